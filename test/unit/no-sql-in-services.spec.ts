import * as fs from 'fs';
import * as path from 'path';

/**
 * House rule (STYLE.md, "One seam per concern"): SQL lives in repositories per aggregate
 * (src/<area>/<area>.repository.ts); services and controllers hold none, neither as text nor by
 * calling the SQL seam or a query builder themselves.
 */
const SRC = path.join(__dirname, '../../src');

/**
 * Still holding SQL, each being moved by its own change: remove a file from here once its SQL is
 * in a repository (the test then keeps it out for good).
 */
const NOT_YET_MOVED = new Set<string>([]);

/** SQL text inside a string literal, or a call that runs SQL or builds it. */
const SQL_TEXT = /\b(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/;
const SQL_CALL = /\bsqlOf\(|\.query\(|createQueryBuilder\(/;
/** A query builder's clause given as SQL text, on a builder a repository handed out. */
const BUILDER_SQL = /\.(where|andWhere|orWhere|orderBy|addOrderBy|groupBy|addGroupBy|having|andHaving|innerJoin|leftJoin|innerJoinAndSelect|leftJoinAndSelect|select|addSelect)\(\s*\[?\s*['"`]/;
const STRING = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** What in one file breaks the rule, by line. */
export function sqlFindings(source: string): string[] {
  const found: string[] = [];
  // comments may describe SQL; only code counts
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  code.split('\n').forEach((line, i) => {
    if (SQL_CALL.test(line) || BUILDER_SQL.test(line)) found.push(`${i + 1}: ${line.trim()}`);
  });
  for (const m of code.matchAll(STRING)) {
    if (SQL_TEXT.test(m[0])) found.push(`${code.slice(0, m.index).split('\n').length}: ${m[0].split('\n')[0].trim()}`);
  }
  return found;
}

describe('SQL stays in repositories', () => {
  const checked = filesUnder(SRC)
    .filter((f) => /\.(service|controller)\.ts$/.test(f))
    .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
    // the SQL seam itself (DbWriter's transactions and locks), not a service of an aggregate
    .filter((f) => !f.startsWith('database/'));

  it('finds no SQL in any service or controller but those still listed as not yet moved', () => {
    const offenders = checked
      .filter((f) => !NOT_YET_MOVED.has(f))
      .flatMap((f) => sqlFindings(fs.readFileSync(path.join(SRC, f), 'utf8')).map((x) => `${f}:${x}`));
    expect(offenders).toEqual([]);
  });

  it('lists as not yet moved only files that exist and still hold SQL (a moved one leaves the list)', () => {
    const stale = [...NOT_YET_MOVED].filter((f) => !checked.includes(f) || !sqlFindings(fs.readFileSync(path.join(SRC, f), 'utf8')).length);
    expect(stale).toEqual([]);
  });

  it('recognises SQL text and SQL calls, and not words in comments or messages', () => {
    expect(sqlFindings("const rows = await this.dataSource.query('SELECT 1');")).toHaveLength(2);
    expect(sqlFindings('const s = `UPDATE cases SET status = ?`;')).toHaveLength(1);
    expect(sqlFindings("await sqlOf(m).all(q);")).toHaveLength(1);
    expect(sqlFindings("const qb = repo.createQueryBuilder('r');")).toHaveLength(1);
    expect(sqlFindings("const q = 'DELETE FROM sessions';")).toHaveLength(1);
    // clauses added to a builder obtained elsewhere (the ledger's export did this)
    expect(sqlFindings("this.query.filtered(u, f).andWhere('c.id > :last', { last }).orderBy('c.id', 'ASC');")).toHaveLength(1);
    expect(sqlFindings("qb.select(['c.id AS id']);")).toHaveLength(1);
    expect(sqlFindings("// SELECT id FROM users: see the repository\nconst x = '请选择乡镇';")).toEqual([]);
    expect(sqlFindings("/** runs UPDATE cases SET ... */\nreturn queueCount(m, user, 'inbox');")).toEqual([]);
  });
});
