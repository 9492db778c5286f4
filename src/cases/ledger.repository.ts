import type { EntityManager } from 'typeorm';
import { isPostgres } from '../database/engine';
import { rawDb } from '../database/raw';
import { perEngine, Sql } from '../database/sql';
import { ON_TIME_STAGES } from '../deadlines/stages';

/**
 * The ledger export's SQL (台账), both engines side by side: the filtered list's page of cases in
 * id order, and per batch of cases (an id range) their timeliness, their 书面告知 clock, their
 * leads and the numbers of the earlier cases they repeat. Rows come back as arrays in select-list
 * order: per-row objects cost three times the query at a million rows.
 */

type Row = (string | number | boolean | Date | null)[];

const ON_TIME_SQL = ON_TIME_STAGES.map((x) => `'${x}'`).join(', ');

/**
 * The list's query, built once per export: on SQLite prepared for the export and not kept in the
 * statement cache (TypeORM writes filter numbers, a township id say, into the SQL text, so each
 * filter value would cache a statement forever); on PostgreSQL sent with its parameters.
 */
export function ledgerSelect(m: EntityManager, sql: Sql, text: string): (params: unknown[]) => Promise<Row[]> {
  if (isPostgres) return (params) => sql.rows<Row>(text, params);
  const select = rawDb(m).prepare(text).raw(true);
  return async (params) => select.all(...params) as Row[];
}

/**
 * 是否按期 per case of the batch, as the dashboard counts it (the county's clocks before the
 * hand-over and the township's): `late` when one was met late or is open past its date today;
 * `finished` once the township has finished (verification or redo met, nothing open).
 */
const TIMELINESS = `SELECT caseId,
        MAX(CASE WHEN (status = 'met' AND late = TRUE) OR (status = 'open' AND dueDate < ?) THEN 1 ELSE 0 END) AS late,
        MAX(CASE WHEN stage IN ('verify', 'redo') AND status = 'met' THEN 1 ELSE 0 END) = 1 AND MAX(CASE WHEN status = 'open' THEN 1 ELSE 0 END) = 0 AS finished
 FROM case_deadlines WHERE caseId BETWEEN ? AND ? AND stage IN (${ON_TIME_SQL}) AND referralId IS NULL GROUP BY caseId`;

export function timeliness(sql: Sql, today: string, first: number, last: number): Promise<[number, number, number | boolean][]> {
  return sql.rows(TIMELINESS, [today, first, last]);
}

/** 书面告知 (《信访工作条例》第二十三条): the clock of each case of the batch (`late` 0/1 on SQLite, a boolean on PostgreSQL). */
export function receiptNotices(sql: Sql, first: number, last: number): Promise<[number, string, string | null, number | boolean | null][]> {
  return sql.rows(`SELECT caseId, status, dueDate, late FROM case_deadlines WHERE caseId BETWEEN ? AND ? AND stage = 'receiptNotice' AND referralId IS NULL`, [first, last]);
}

const LEADS = perEngine({
  sqlite: `SELECT rc.caseId, GROUP_CONCAT(r.leadNo, '、') FROM referral_cases rc JOIN referrals r ON r.id = rc.referralId WHERE rc.caseId BETWEEN ? AND ? GROUP BY rc.caseId`,
  postgres: `SELECT rc.caseId, string_agg(r.leadNo, '、') FROM referral_cases rc JOIN referrals r ON r.id = rc.referralId WHERE rc.caseId BETWEEN ? AND ? GROUP BY rc.caseId`,
});

/** The lead numbers (、-separated) of each case of the batch referred to 纪检. */
export function leadNos(sql: Sql, first: number, last: number): Promise<[number, string][]> {
  return sql.rows(LEADS, [first, last]);
}

/** One statement for any number of ids (a list of ? would prepare one per length). */
const ID_IN_LIST = perEngine({ sqlite: 'c.id IN (SELECT value FROM json_each(?))', postgres: 'c.id = ANY(?)' });

/** The case numbers of the given cases within the viewer's scope (`scope`: caseScopeSql of the viewer). */
export function caseNosOf(sql: Sql, ids: number[], scope: { sql: string; params: unknown[] }): Promise<[number, string][]> {
  if (!ids.length) return Promise.resolve([]);
  return sql.rows(`SELECT c.id, c.caseNo FROM cases c WHERE ${ID_IN_LIST} AND ${scope.sql}`, [isPostgres ? ids : JSON.stringify(ids), ...scope.params]);
}
