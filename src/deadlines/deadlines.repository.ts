import type { EntityManager } from 'typeorm';
import type { CaseStatus } from '../cases/case.enums';
import type { Unit } from '../calendar/work-calendar';
import { perEngine, Sql, sqlFrom } from '../database/sql';
import { Stage, TOWNSHIP_STAGES } from './stages';

/** A repository function's database: the caller's manager (its transaction) or an Sql made of one. */
type Db = Sql | EntityManager;

/**
 * The SQL of the case clocks (case_deadlines), the cases' deadline columns that follow them and
 * the registrations' due dates. Reads are written once for both engines. Writes of many rows:
 * SQLite runs one prepared statement per row (in-process, microseconds each); PostgreSQL one
 * statement per batch over arrays (unnest), so a batch of 5,000 is one round trip, not 5,000.
 */

const TOWNSHIP_STAGE_SQL = TOWNSHIP_STAGES.map((s) => `'${s}'`).join(',');

/**
 * SQL for the unit (workday / day) of the clock that gives a case its `dueDate` (the earliest open
 * township clock, as `syncCases` sets it), for a query over `cases` aliased `alias`.
 */
export function dueClockUnitSql(alias: string): string {
  return `(SELECT d.unit FROM case_deadlines d WHERE d.caseId = ${alias}.id AND d.status = 'open' AND d.stage IN (${TOWNSHIP_STAGE_SQL}) AND d.dueDate = ${alias}.dueDate LIMIT 1)`;
}

export interface NewClock {
  caseId: number;
  stage: Stage;
  referralId: number | null;
  startDate: string;
  limitValue: number;
  unit: Unit;
  ruleId: number | null;
  dueDate: string | null;
  missingYear: number | null;
  createdAt: Date;
}

/** One prepared INSERT, not TypeORM's save: intake starts two clocks per case on the hot write path. */
export async function insertClock(db: Db, c: NewClock): Promise<number> {
  const inserted = await sqlFrom(db).get<{ id: number }>(
    `INSERT INTO case_deadlines (caseId, stage, referralId, startDate, limitValue, unit, ruleId, extension, dueDate, missingYear, status, dueState, remaining, createdAt, closedAt, late)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'open', 'ok', NULL, ?, NULL, NULL) RETURNING id`,
    [c.caseId, c.stage, c.referralId, c.startDate, c.limitValue, c.unit, c.ruleId, c.dueDate, c.missingYear, c.createdAt],
  );
  return Number(inserted!.id);
}

/**
 * Several clocks of one case at once (intake's two), ids in the order given: SQLite a prepared
 * INSERT each; PostgreSQL one multi-row INSERT (one round trip), its ids matched by stage.
 */
export const insertClocks: (db: Db, rows: readonly NewClock[]) => Promise<number[]> = perEngine({
  sqlite: async (db: Db, rows: readonly NewClock[]) => {
    const ids: number[] = [];
    for (const r of rows) ids.push(await insertClock(db, r));
    return ids;
  },
  postgres: async (db: Db, rows: readonly NewClock[]) => {
    if (rows.length < 2) return Promise.all(rows.map((r) => insertClock(db, r)));
    const key = (caseId: number, stage: string) => `${caseId}/${stage}`;
    if (new Set(rows.map((r) => key(r.caseId, r.stage))).size !== rows.length) throw new Error('insertClocks: one clock per case and stage');
    const values = rows.map(() => "(?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'open', 'ok', NULL, ?, NULL, NULL)").join(', ');
    const found = await sqlFrom(db).all<{ id: number; caseId: number; stage: string }>(
      `INSERT INTO case_deadlines (caseId, stage, referralId, startDate, limitValue, unit, ruleId, extension, dueDate, missingYear, status, dueState, remaining, createdAt, closedAt, late)
       VALUES ${values} RETURNING id, caseId, stage`,
      rows.flatMap((c) => [c.caseId, c.stage, c.referralId, c.startDate, c.limitValue, c.unit, c.ruleId, c.dueDate, c.missingYear, c.createdAt]),
    );
    const ids = new Map(found.map((f) => [key(Number(f.caseId), f.stage), Number(f.id)]));
    return rows.map((r) => ids.get(key(r.caseId, r.stage))!);
  },
});

/**
 * SQLite: one statement for the whole list (the ids as a JSON array), each case's row written once
 * with its due date, flag and missing year, as on PostgreSQL; two statements per case wrote each
 * row twice.
 */
const SYNC_SQLITE = `WITH x AS MATERIALIZED (SELECT i.value AS id,
      (SELECT MIN(d.dueDate) FROM case_deadlines d WHERE d.caseId = i.value AND d.status = 'open' AND d.stage IN (${TOWNSHIP_STAGE_SQL})) AS dueDate,
      (SELECT MAX(d.missingYear) FROM case_deadlines d WHERE d.caseId = i.value AND d.status = 'open') AS missingYear
    FROM json_each(?) i)
  UPDATE cases SET dueDate = x.dueDate, calendarMissingYear = x.missingYear, updatedAt = ?,
    dueState = CASE WHEN x.dueDate IS NULL THEN NULL WHEN x.dueDate < ? THEN 'overdue' WHEN x.dueDate = ? THEN 'dueSoon' ELSE 'ok' END
  FROM x WHERE cases.id = x.id`;

/** The cases' township deadline (the earliest open township clock), its flag on `today` and any missing calendar year. */
const syncCaseDeadlinesOn: (sql: Sql, caseIds: readonly number[], today: string, now: Date) => Promise<void> = perEngine({
  sqlite: async (sql: Sql, caseIds: readonly number[], today: string, now: Date) => {
    if (!caseIds.length) return;
    await sql.run(SYNC_SQLITE, [JSON.stringify(caseIds), now, today, today]);
  },
  postgres: async (sql: Sql, caseIds: readonly number[], today: string, now: Date) => {
    if (!caseIds.length) return;
    await sql.run(
      `UPDATE cases c SET dueDate = x.dueDate, calendarMissingYear = x.missingYear, updatedAt = ?,
         dueState = CASE WHEN x.dueDate IS NULL THEN NULL WHEN x.dueDate < ? THEN 'overdue' WHEN x.dueDate = ? THEN 'dueSoon' ELSE 'ok' END
       FROM (SELECT id,
               (SELECT MIN(d.dueDate) FROM case_deadlines d WHERE d.caseId = i.id AND d.status = 'open' AND d.stage IN (${TOWNSHIP_STAGE_SQL})) AS dueDate,
               (SELECT MAX(d.missingYear) FROM case_deadlines d WHERE d.caseId = i.id AND d.status = 'open') AS missingYear
             FROM unnest(CAST(? AS integer[])) AS i(id)) x
       WHERE c.id = x.id`,
      [now, today, today, [...caseIds]],
    );
  },
});

/**
 * Which counties a recomputation covers: null every county (a change of the shared rules or the
 * national calendar), else the counties listed (a change of a county's own rules or days).
 */
export type CountyScope = readonly string[] | null;

/** ` AND <column> IN (…)` and its values for a scope ('' and none for every county). */
function inScope(column: string, counties: CountyScope): [string, string[]] {
  if (!counties) return ['', []];
  // an empty list covers no county: nothing, never everything
  if (!counties.length) return [' AND 1 = 0', []];
  return [` AND ${column} IN (${counties.map(() => '?').join(', ')})`, [...counties]];
}

export interface OpenClockRow {
  id: number;
  caseId: number;
  countyCode: string;
  stage: Stage;
  startDate: string;
  limitValue: number;
  unit: Unit;
  ruleId: number | null;
  extension: number;
  dueDate: string | null;
  missingYear: number | null;
  caseStatus: CaseStatus;
}

export function syncCaseDeadlines(db: Db, caseIds: readonly number[], today: string, now: Date): Promise<void> {
  return syncCaseDeadlinesOn(sqlFrom(db), caseIds, today, now);
}

/** How many clocks are open in the counties (the recomputation's progress counts through them). */
export async function countOpenClocks(db: Sql | EntityManager, counties: CountyScope = null): Promise<number> {
  const sql = sqlFrom(db);
  if (!counties) return Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM case_deadlines WHERE status = 'open'`))?.n ?? 0);
  const [where, params] = inScope('c.countyCode', counties);
  return Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE d.status = 'open'${where}`, params))?.n ?? 0);
}

/** Open clocks of the counties after `lastId`, in id order (keyset batches of the recomputation). */
export function openClocksAfter(db: Db, lastId: number, limit: number, counties: CountyScope = null): Promise<OpenClockRow[]> {
  const [where, params] = inScope('c.countyCode', counties);
  return sqlFrom(db).all<OpenClockRow>(
    `SELECT d.id, d.caseId, c.countyCode, d.stage, d.startDate, d.limitValue, d.unit, d.ruleId, d.extension, d.dueDate, d.missingYear, c.status AS caseStatus
     FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE d.status = 'open' AND d.id > ?${where} ORDER BY d.id LIMIT ${limit}`,
    [lastId, ...params],
  );
}

export interface ClockDue {
  id: number;
  limitValue: number;
  unit: Unit;
  dueDate: string | null;
  missingYear: number | null;
}

/** Recomputed clocks: their limit, unit and due date, and the flag back to 'ok' (the scan sets it again). */
const updateClockDuesOn: (sql: Sql, rows: readonly ClockDue[]) => Promise<void> = perEngine({
  // one statement for the batch, the rows as a JSON array of [id, limitValue, unit, dueDate, missingYear]
  sqlite: async (sql: Sql, rows: readonly ClockDue[]) => {
    if (!rows.length) return;
    await sql.run(
      `UPDATE case_deadlines SET limitValue = v.value ->> 1, unit = v.value ->> 2, dueDate = v.value ->> 3, missingYear = v.value ->> 4, dueState = 'ok'
       FROM json_each(?) v WHERE case_deadlines.id = v.value ->> 0`,
      [JSON.stringify(rows.map((r) => [r.id, r.limitValue, r.unit, r.dueDate, r.missingYear]))],
    );
  },
  postgres: async (sql: Sql, rows: readonly ClockDue[]) => {
    if (!rows.length) return;
    await sql.run(
      `UPDATE case_deadlines d SET limitValue = v.limitValue, unit = v.unit, dueDate = v.dueDate, missingYear = v.missingYear, dueState = 'ok'
       FROM unnest(CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[])) AS v(id, limitValue, unit, dueDate, missingYear)
       WHERE d.id = v.id`,
      [rows.map((r) => r.id), rows.map((r) => r.limitValue), rows.map((r) => r.unit), rows.map((r) => r.dueDate), rows.map((r) => r.missingYear)],
    );
  },
});

export function updateClockDues(db: Db, rows: readonly ClockDue[]): Promise<void> {
  return updateClockDuesOn(sqlFrom(db), rows);
}

export interface GapClockRow {
  id: number;
  caseId: number;
  countyCode: string;
  stage: Stage;
  startDate: string;
  limitValue: number;
  unit: Unit;
  extension: number;
  closedAt: string | Date;
  caseStatus: CaseStatus;
}

/** Clocks of the counties met while their due date could not be computed (the year's calendar missing), after `lastId`. */
export function gapClocksAfter(db: Db, lastId: number, limit: number, counties: CountyScope = null): Promise<GapClockRow[]> {
  const [where, params] = inScope('c.countyCode', counties);
  return sqlFrom(db).all<GapClockRow>(
    `SELECT d.id, d.caseId, c.countyCode, d.stage, d.startDate, d.limitValue, d.unit, d.extension, d.closedAt, c.status AS caseStatus
     FROM case_deadlines d JOIN cases c ON c.id = d.caseId
     WHERE d.status = 'met' AND d.dueDate IS NULL AND d.missingYear IS NOT NULL AND d.id > ?${where} ORDER BY d.id LIMIT ${limit}`,
    [lastId, ...params],
  );
}

export interface SettledClock {
  id: number;
  dueDate: string;
  late: boolean;
}

/** Ended clocks given their due date and on-time flag once the calendar is there. */
const settleClocksOn: (sql: Sql, rows: readonly SettledClock[]) => Promise<void> = perEngine({
  sqlite: async (sql: Sql, rows: readonly SettledClock[]) => {
    for (const r of rows) await sql.run('UPDATE case_deadlines SET dueDate = ?, missingYear = NULL, late = ? WHERE id = ?', [r.dueDate, r.late, r.id]);
  },
  postgres: async (sql: Sql, rows: readonly SettledClock[]) => {
    if (!rows.length) return;
    await sql.run(
      `UPDATE case_deadlines d SET dueDate = v.dueDate, missingYear = NULL, late = v.late
       FROM unnest(CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS boolean[])) AS v(id, dueDate, late)
       WHERE d.id = v.id`,
      [rows.map((r) => r.id), rows.map((r) => r.dueDate), rows.map((r) => r.late)],
    );
  },
});

export function settleClocks(db: Db, rows: readonly SettledClock[]): Promise<void> {
  return settleClocksOn(sqlFrom(db), rows);
}

/** Whether some registration waits for its due date to be stored (looked for at start-up). */
export async function registrationDueUnset(db: Db): Promise<boolean> {
  return !!(await sqlFrom(db).get(`SELECT 1 AS x FROM relative_registrations WHERE dueDate IS NULL AND registeredAt IS NULL AND endedAt IS NULL AND appointedAt IS NOT NULL LIMIT 1`));
}

export interface PendingRegistrationRow {
  id: number;
  countyCode: string;
  appointedAt: string;
  dueDate: string | null;
}

/** 近亲属备案 of the counties not yet filed nor ended, after `lastId` (only those without a due date: `onlyUnset`). */
export function pendingRegistrationsAfter(db: Db, lastId: number, limit: number, onlyUnset: boolean, counties: CountyScope = null): Promise<PendingRegistrationRow[]> {
  const [where, params] = inScope('countyCode', counties);
  return sqlFrom(db).all<PendingRegistrationRow>(
    `SELECT id, countyCode, appointedAt, dueDate FROM relative_registrations
     WHERE registeredAt IS NULL AND endedAt IS NULL AND appointedAt IS NOT NULL AND id > ?${onlyUnset ? ' AND dueDate IS NULL' : ''}${where} ORDER BY id LIMIT ${limit}`,
    [lastId, ...params],
  );
}

/** The registrations' recomputed due dates. */
const updateRegistrationDuesOn: (sql: Sql, rows: readonly { id: number; dueDate: string | null }[]) => Promise<void> = perEngine({
  sqlite: async (sql: Sql, rows: readonly { id: number; dueDate: string | null }[]) => {
    for (const r of rows) await sql.run('UPDATE relative_registrations SET dueDate = ? WHERE id = ?', [r.dueDate, r.id]);
  },
  postgres: async (sql: Sql, rows: readonly { id: number; dueDate: string | null }[]) => {
    if (!rows.length) return;
    await sql.run(
      `UPDATE relative_registrations r SET dueDate = v.dueDate FROM unnest(CAST(? AS integer[]), CAST(? AS text[])) AS v(id, dueDate) WHERE r.id = v.id`,
      [rows.map((r) => r.id), rows.map((r) => r.dueDate)],
    );
  },
});

export function updateRegistrationDues(db: Db, rows: readonly { id: number; dueDate: string | null }[]): Promise<void> {
  return updateRegistrationDuesOn(sqlFrom(db), rows);
}

/** Cases of the counties whose deadlines wait for a year with no calendar, by year (the calendar page). */
export function missingYearCounts(db: Db, counties: CountyScope = null): Promise<{ year: number; n: number }[]> {
  const [where, params] = inScope('countyCode', counties);
  return sqlFrom(db).all(`SELECT calendarMissingYear AS year, COUNT(*) AS n FROM cases WHERE calendarMissingYear IS NOT NULL${where} GROUP BY calendarMissingYear`, params);
}
