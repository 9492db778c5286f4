import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { DEFAULT_RULES } from '../../src/deadlines/stages';

/**
 * Users see a rule's own name (信访工作条例第二十二条), never our working documents: the seed
 * documents, the counties they come from, or the domain guide.
 */
describe('screen text', () => {
  const views = path.resolve(__dirname, '..', '..', 'views');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.hbs') ? [path.join(dir, e.name)] : []));

  it('cites no seed document, other county or section of our own guide', () => {
    const found: string[] = [];
    for (const f of files(views)) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/种子|seed \d{3}|DOMAIN|永福县|文水县|彭水县|沁源县/gi)) found.push(`${path.relative(views, f)}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });

  it('builds no message on the server that cites them (string literals of src/, not comments)', () => {
    const src = path.resolve(__dirname, '..', '..', 'src');
    const tsFiles = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const found: string[] = [];
    // migrations rewrite the old texts, so they must name them
    for (const f of tsFiles(src).filter((f) => !f.includes(`${path.sep}migrations${path.sep}`))) {
      const file = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
          const m = /种子|seed \d{3}|DOMAIN|永福县|文水县|彭水县|沁源县|\bissue \d/i.exec(node.text);
          if (m) found.push(`${path.relative(src, f)}: ${m[0]}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    expect(found).toEqual([]);
  });

  it('names the rule, not our sources, on the deadline rules an administrator reads', () => {
    expect(DEFAULT_RULES.filter((r) => /种子|DOMAIN|县《|宁夏|永福|文水|彭水|沁源/.test(r.source)).map((r) => r.source)).toEqual([]);
  });
});
