import * as fs from 'fs';
import * as path from 'path';
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

  it('names the rule, not our sources, on the deadline rules an administrator reads', () => {
    expect(DEFAULT_RULES.filter((r) => /种子|DOMAIN|县《|宁夏|永福|文水|彭水|沁源/.test(r.source)).map((r) => r.source)).toEqual([]);
  });
});
