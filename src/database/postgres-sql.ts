/**
 * Duban writes its SQL once, in the form both engines read: `?` placeholders and bare camelCase
 * names (caseId, dueDate), as SQLite takes them. PostgreSQL numbers its placeholders ($1, $2 …)
 * and folds bare names to lower case (caseid), so on PostgreSQL every statement passes through
 * `toPostgresSql` first: `?` becomes `$n`, and a bare name with a capital letter is quoted.
 * Strings, quoted names, comments and dollar-quoted bodies are left as they are; SQL that TypeORM
 * writes itself (already numbered and quoted) comes out unchanged.
 *
 * Where the engines differ in more than this (full-text search, JSON, dates, upserts with RAISE),
 * a repository has one statement per engine, side by side (see `perEngine`).
 */
const CACHE_LIMIT = 4000;
const cache = new Map<string, string>();

const CAMEL = /^[a-z][a-z0-9_]*[A-Z][A-Za-z0-9_]*$/;

export function toPostgresSql(sql: string): string {
  const hit = cache.get(sql);
  if (hit !== undefined) return hit;
  const out = translate(sql);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, out);
  return out;
}

function translate(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  const len = sql.length;
  while (i < len) {
    const ch = sql[i];
    if (ch === "'") {
      const end = closing(sql, i, "'");
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '"') {
      const end = closing(sql, i, '"');
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? len : nl;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? len : close + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '')) {
      // $tag$ … $tag$ (function bodies): copied whole. $1 (a numbered placeholder) is not a tag.
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? len : close + tag[0].length;
        out += sql.slice(i, end);
        i = end;
      } else {
        out += ch;
        i++;
      }
    } else if (ch === '?') {
      out += `$${++n}`;
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < len && /[A-Za-z0-9_$]/.test(sql[j])) j++;
      const word = sql.slice(i, j);
      out += CAMEL.test(word) ? `"${word}"` : word;
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** The index just past the quote that closes the one at `start` (a doubled quote is an escape). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const q = sql.indexOf(quote, i);
    if (q < 0) return sql.length;
    if (sql[q + 1] === quote) {
      i = q + 2;
      continue;
    }
    return q + 1;
  }
}
