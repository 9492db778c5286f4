import { perEngine, ReadConnection, Sql, sqlOfConnection } from '../database/sql';

/**
 * The ledger export's reads (台账), one batch of cases at a time: the cases themselves (the case
 * list's own query, keyset on the id) and, per batch, the clocks, leads and earlier cases of the
 * batch's id range, one indexed query each.
 */

/** A row as the read connection gives it: text (instants as UTC text), numbers, booleans (PostgreSQL), nulls. */
export type LedgerRow = (string | number | boolean | null)[];

/**
 * The batch query of one export (built once by the case list's query builder) as a function of
 * its parameters, rows as arrays, on the export's own read connection. On SQLite it is prepared
 * for this export only and run by better-sqlite3 directly, in raw mode: TypeORM's and even
 * better-sqlite3's per-row objects cost three times the query, and it is not kept in a statement
 * cache because TypeORM writes filter numbers (a township id, say) into the SQL text. On
 * PostgreSQL it goes through the SQL seam like any statement.
 */
export function ledgerBatchReader(c: ReadConnection, sql: string): (params: readonly unknown[]) => Promise<LedgerRow[]> {
  if (c.engine === 'postgres') {
    const s = sqlOfConnection(c);
    return (params) => s.rows<LedgerRow>(sql, params);
  }
  const select = c.db.prepare(sql).raw(true);
  return async (params) => select.all(...params) as LedgerRow[];
}

/** 书面告知 (《信访工作条例》第二十三条): the clock of each case of the range: caseId, status, dueDate, late (1 or 0). */
export function batchNoticeClocks(sql: Sql, first: number, last: number): Promise<[number, string, string | null, number][]> {
  return sql.rows(
    `SELECT caseId, status, dueDate, CASE WHEN late = TRUE THEN 1 ELSE 0 END AS late FROM case_deadlines WHERE caseId BETWEEN ? AND ? AND stage = 'receiptNotice' AND referralId IS NULL`,
    [first, last],
  );
}

const LEADS = perEngine({
  sqlite: `SELECT rc.caseId, GROUP_CONCAT(r.leadNo, '、') FROM referral_cases rc JOIN referrals r ON r.id = rc.referralId WHERE rc.caseId BETWEEN ? AND ? GROUP BY rc.caseId`,
  postgres: `SELECT rc.caseId, string_agg(r.leadNo, '、' ORDER BY r.id) FROM referral_cases rc JOIN referrals r ON r.id = rc.referralId WHERE rc.caseId BETWEEN ? AND ? GROUP BY rc.caseId`,
});

/** The lead numbers (移交纪检) of each case of the range that was referred, joined with 、. */
export function batchLeadNos(sql: Sql, first: number, last: number): Promise<[number, string][]> {
  return sql.rows<[number, string]>(LEADS, [first, last]);
}

/**
 * A list of ids as one parameter, so one prepared statement serves every list length: a JSON
 * array read by json_each on SQLite, an integer array on PostgreSQL.
 */
const ID_LIST = perEngine({
  sqlite: { within: (col: string) => `${col} IN (SELECT value FROM json_each(?))`, param: (ids: readonly number[]) => JSON.stringify(ids) as unknown },
  postgres: { within: (col: string) => `${col} = ANY(?)`, param: (ids: readonly number[]) => ids as unknown },
});

/** The numbers of the given cases among those the scope condition (on alias c) admits. */
export function caseNosWithin(sql: Sql, ids: readonly number[], scope: { sql: string; params: unknown[] }): Promise<[number, string][]> {
  return sql.rows<[number, string]>(`SELECT c.id, c.caseNo FROM cases c WHERE ${ID_LIST.within('c.id')} AND ${scope.sql}`, [ID_LIST.param(ids), ...scope.params]);
}

/** Township and village names by id. */
export async function placeNames(sql: Sql): Promise<{ townships: Map<number, string>; villages: Map<number, string> }> {
  const [townships, villages] = await Promise.all([sql.rows<[number, string]>('SELECT id, name FROM townships'), sql.rows<[number, string]>('SELECT id, name FROM villages')]);
  return { townships: new Map(townships), villages: new Map(villages) };
}
