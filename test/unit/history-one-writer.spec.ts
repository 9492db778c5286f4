import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '..', '..', 'src');
/** The history module, and the migrations that made and chained the table. */
const ALLOWED = [path.join(SRC, 'cases', 'history') + path.sep, path.join(SRC, 'database', 'migrations') + path.sep];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Every way code could write case history rows past CaseHistoryWriter: raw SQL, TypeORM's
// repository or manager of the entity.
const WRITES = [/\b(INSERT|REPLACE)\b(\s+OR\s+\w+)?\s+INTO\s+["`]?case_history\b/i, /getRepository\(\s*CaseHistory\s*\)/, /\b(insert|save|upsert)\(\s*CaseHistory\b/];

describe('the case history', () => {
  it('is written only by the history module (src/cases/history)', () => {
    const offenders = sources(SRC)
      .filter((f) => !ALLOWED.some((a) => f.startsWith(a)))
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${path.relative(SRC, f)}:${i + 1}` }))
          .filter(({ line }) => WRITES.some((re) => re.test(line)))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
