import * as fs from 'fs';
import * as path from 'path';

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
});
