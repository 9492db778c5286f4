import { perEngine } from '../database/sql';
import { toMatchQuery, toSearchBody, toTsQuery, toTsVector } from './search-text';

/**
 * The full-text index of case contents, on each engine side by side.
 * - SQLite: an FTS5 table (case_search, rowid = case id) of bigram tokens, queried with MATCH.
 * - PostgreSQL: case_search (caseId, body tsvector) under a GIN index, queried with @@; the same
 *   tokens (search-text.ts), so both engines find the same cases for the same words.
 */
export const CASE_SEARCH = perEngine({
  sqlite: {
    insert: 'INSERT INTO case_search (rowid, body) VALUES (?, ?)',
    body: toSearchBody,
    query: toMatchQuery,
    /** The join of the index to cases c (alias s). */
    join: 's.rowid = c.id',
    /** The case id as the joined index gives it (the list's order walks it). */
    id: 's.rowid',
    /** A condition on the joined index, or on c.id without the join; `p` is the query's parameter. */
    joined: (p: string) => `case_search MATCH ${p}`,
    within: (p: string) => `c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ${p})`,
    /** Any of the given tokens (likely repeats), best matches first. */
    anyOf: (grams: string[]) => grams.map((g) => `"${g}"`).join(' OR '),
    rankOrder: 'rank',
  },
  postgres: {
    insert: 'INSERT INTO case_search (caseId, body) VALUES (?, CAST(? AS tsvector))',
    body: toTsVector,
    query: toTsQuery,
    join: 's.caseId = c.id',
    id: 's.caseId',
    joined: (p: string) => `s.body @@ CAST(${p} AS tsquery)`,
    within: (p: string) => `c.id IN (SELECT caseId FROM case_search WHERE body @@ CAST(${p} AS tsquery))`,
    anyOf: (grams: string[]) => grams.map((g) => `'${g}'`).join(' | '),
    rankOrder: 'ts_rank(s.body, CAST(? AS tsquery)) DESC',
  },
});

