import { SQLITE_SHANGHAI_MODIFIER } from '../common/time';
import type { EntityManager } from 'typeorm';
import { perEngine, Sql, sqlFrom } from '../database/sql';
import { CLOCKS_FINISHED } from '../database/migrations/1765900000000-CaseTallies';

/**
 * The SQL of the reports (月度统计表, 周报, the dashboard): counts over the cases a viewer may see.
 * Every function takes the viewer's scope condition on cases `c` (caseScopeSql) and ends its
 * WHERE clause with it. Instants are compared as UTC text (toDbDateTime), days as YYYY-MM-DD.
 */

/** The database a report reads: the manager (its connection or transaction), or an Sql made of one. */
export type Db = Sql | EntityManager;

export interface Scope {
  sql: string;
  params: unknown[];
}

/** A half-open range: instants as toDbDateTime text, or days as YYYY-MM-DD. */
export type Range = readonly [from: string, to: string];

const ENGINE_SQL = perEngine({
  sqlite: {
    /** The Shanghai calendar month (YYYY-MM) of an instant column. */
    shanghaiMonth: (col: string) => `strftime('%Y-%m', datetime(${col}, '${SQLITE_SHANGHAI_MODIFIER}'))`,
    /** A text field of a history entry's data (canonical JSON text, HistoryEntryKind). */
    historyField: (alias: string, key: string) => `json_extract(${alias}.data, '$.${key}')`,
  },
  postgres: {
    shanghaiMonth: (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
    historyField: (alias: string, key: string) => `(${alias}.data::json ->> '${key}')`,
  },
});

/**
 * The visit's own date of an entry, read by the expression index IDX_case_history_visit_date
 * (migrations ReportIndexes): the expression must stay as the index has it, and a query using it
 * says VISIT_ACTIONS too (the index holds only those entries).
 */
const VISIT_DATE = ENGINE_SQL.historyField('h', 'visitDate');
const VISIT_ACTIONS = `h.action IN ('verify', 'county-visit')`;

/** A township verification made by 入户调查 (its methods hold homeVisit). */
const HOME_VISIT = `h.data LIKE '%"homeVisit"%'`;

const n = async (sql: Sql, text: string, params: unknown[]) => Number((await sql.get<{ n: number | null }>(text, params))?.n ?? 0);

/** ` AND c.townshipId = ?` and the viewer's scope, with their parameters. */
function casesOf(scope: Scope, townshipId: number | null): { sql: string; params: unknown[] } {
  return { sql: `${townshipId ? ' AND c.townshipId = ?' : ''} AND ${scope.sql}`, params: [...(townshipId ? [townshipId] : []), ...scope.params] };
}

// ——— 月度统计表 (seed 004) ————————————————————————————————————————————————

/** Cases received in the range, by kind and program. */
export function receivedByKindProgram(db: Db, at: Range, scope: Scope, townshipId: number | null) {
  const sql = sqlFrom(db);
  const tw = casesOf(scope, townshipId);
  return sql.all<{ kind: string; program: string; n: number }>(
    `SELECT c.kind, c.program, COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ?${tw.sql} GROUP BY c.kind, c.program`,
    [...at, ...tw.params],
  );
}

/** 受理: online help requests accepted in the range (a refused one is not 受理). */
export function onlineAccepted(db: Db, at: Range, scope: Scope, townshipId: number | null): Promise<number> {
  const sql = sqlFrom(db);
  const tw = casesOf(scope, townshipId);
  return n(
    sql,
    `SELECT COUNT(DISTINCT c.id) AS n FROM cases c JOIN case_history h ON h.caseId = c.id
     WHERE c.channel = 'online' AND c.kind = 'helpRequest' AND h.action = 'accept' AND h.at >= ? AND h.at < ?${tw.sql}`,
    [...at, ...tw.params],
  );
}

/** Close relatives registered on the days of the range (近亲属备案), of one township or all. */
export function relativesRegistered(db: Db, days: Range, townshipId: number | null): Promise<number> {
  const sql = sqlFrom(db);
  return n(
    sql,
    `SELECT COUNT(*) AS n FROM relative_registrations r WHERE r.registeredAt >= ? AND r.registeredAt < ?${townshipId ? ' AND r.townshipId = ?' : ''}`,
    [...days, ...(townshipId ? [townshipId] : [])],
  );
}

/** Favouritism or bribery complaints closed in the range and found true or partly true. */
export function favouritismFound(db: Db, at: Range, scope: Scope, townshipId: number | null): Promise<number> {
  const sql = sqlFrom(db);
  const tw = casesOf(scope, townshipId);
  return n(
    sql,
    `SELECT COUNT(*) AS n FROM cases c WHERE c.closedAt >= ? AND c.closedAt < ? AND c.kind = 'complaint' AND c.verificationOutcome IN ('true', 'partlyTrue')${tw.sql}
       AND EXISTS (SELECT 1 FROM case_problem_types p WHERE p.caseId = c.id AND p.problemType IN ('favouritism', 'bribery'))`,
    [...at, ...tw.params],
  );
}

/** Leads referred in the range that hold a case of the township / scope. */
export function leadsReferredWithCases(db: Db, at: Range, scope: Scope, townshipId: number | null): Promise<number> {
  const sql = sqlFrom(db);
  const tw = casesOf(scope, townshipId);
  return n(
    sql,
    `SELECT COUNT(DISTINCT r.id) AS n FROM referrals r JOIN referral_cases rc ON rc.referralId = r.id JOIN cases c ON c.id = rc.caseId WHERE r.referredAt >= ? AND r.referredAt < ?${tw.sql}`,
    [...at, ...tw.params],
  );
}

/**
 * Cases visited on the days of the range (by the visit's own date, not when it was recorded):
 * 'verify' counts the township's verifications by 入户调查, 'county-visit' the county's visits.
 */
export function casesVisited(db: Db, action: 'verify' | 'county-visit', days: Range, scope: Scope, townshipId: number | null): Promise<number> {
  const sql = sqlFrom(db);
  const tw = casesOf(scope, townshipId);
  return n(
    sql,
    `SELECT COUNT(DISTINCT h.caseId) AS n FROM case_history h JOIN cases c ON c.id = h.caseId
     WHERE ${VISIT_ACTIONS} AND h.action = ? AND ${VISIT_DATE} >= ? AND ${VISIT_DATE} < ?${action === 'verify' ? ` AND ${HOME_VISIT}` : ''}${tw.sql}`,
    [action, ...days, ...tw.params],
  );
}

/** 书面告知: notices due on the days of the range (by the clock's last day), and those not given by then. */
export async function receiptNoticesDue(db: Db, days: Range, today: string, scope: Scope, townshipId: number | null): Promise<{ due: number; late: number }> {
  const sql = sqlFrom(db);
  const tw = casesOf(scope, townshipId);
  const row = await sql.get<{ due: number; late: number }>(
    `SELECT COUNT(DISTINCT c.id) AS due,
            COUNT(DISTINCT CASE WHEN (d.status = 'met' AND d.late = TRUE) OR (d.status = 'open' AND d.dueDate < ?) THEN c.id END) AS late
     FROM case_deadlines d JOIN cases c ON c.id = d.caseId
     WHERE d.stage = 'receiptNotice' AND d.referralId IS NULL AND d.status IN ('open', 'met') AND d.dueDate >= ? AND d.dueDate < ?${tw.sql}`,
    [today, ...days, ...tw.params],
  );
  return { due: Number(row?.due ?? 0), late: Number(row?.late ?? 0) };
}

// ——— 周报 (seed 000) ——————————————————————————————————————————————————————

/**
 * 超期未办结 as it stood on a day: the cases with a township clock past its date then, and not yet
 * met by then; rebuilt from the clocks, so a past week's figure does not change as cases are
 * closed later. Read from the clocks, not per case: those open past the day (IDX_case_deadlines_open_due)
 * and those closed since (IDX_case_deadlines_closed). Its parameters: the day twice, the day's
 * start as an instant, the day twice.
 */
const TOWNSHIP_CLOCK = `d.stage IN ('acknowledge', 'verify', 'redo') AND d.referralId IS NULL AND d.dueDate < ? AND d.startDate < ?`;
const OVERDUE_AS_OF_CASES = `SELECT d.caseId FROM case_deadlines d WHERE d.status = 'open' AND ${TOWNSHIP_CLOCK}
     UNION ALL SELECT d2.caseId FROM case_deadlines d2 WHERE d2.closedAt >= ? AND ${TOWNSHIP_CLOCK.replace(/\bd\./g, 'd2.')}`;
const overdueParams = (asOf: AsOf) => [asOf.day, asOf.day, asOf.at, asOf.day, asOf.day];
/**
 * The cases of OVERDUE_AS_OF_CASES as a table `od` made first (MATERIALIZED), its two branches
 * each through its own index (UNION ALL: a UNION would have SQLite walk the clocks in caseId order
 * to merge them, and join them to a township's cases, reading all of that township's clocks).
 */
const WITH_OVERDUE = `WITH od AS MATERIALIZED (${OVERDUE_AS_OF_CASES}) `;

export interface AsOf {
  day: string;
  /** The day's start, as an instant (toDbDateTime). */
  at: string;
}

export function receivedByKind(db: Db, at: Range, scope: Scope) {
  const sql = sqlFrom(db);
  return sql.all<{ kind: string; n: number }>(`SELECT c.kind, COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ? AND ${scope.sql} GROUP BY c.kind`, [...at, ...scope.params]);
}

/**
 * Per active township, in its order: cases received and closed in the range, and overdue as of a
 * day. One grouped query per measure, each reading only its period's cases through an index.
 */
export async function townshipWeek(db: Db, at: Range, asOf: AsOf, scope: Scope) {
  const sql = sqlFrom(db);
  const byTownship = (text: string, params: unknown[]) => sql.all<{ id: number; n: number }>(text, params).then((rows) => new Map(rows.map((r) => [Number(r.id), Number(r.n)])));
  const [townships, received, closed, overdue] = await Promise.all([
    sql.all<{ id: number; name: string }>('SELECT t.id, t.name FROM townships t WHERE t.active = TRUE ORDER BY t.sortOrder, t.id'),
    byTownship(`SELECT c.townshipId AS id, COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ? AND ${scope.sql} GROUP BY c.townshipId`, [...at, ...scope.params]),
    byTownship(`SELECT c.townshipId AS id, COUNT(*) AS n FROM cases c WHERE c.closedAt >= ? AND c.closedAt < ? AND ${scope.sql} GROUP BY c.townshipId`, [...at, ...scope.params]),
    byTownship(`${WITH_OVERDUE}SELECT c.townshipId AS id, COUNT(*) AS n FROM cases c WHERE c.id IN (SELECT caseId FROM od) AND ${scope.sql} GROUP BY c.townshipId`, [...overdueParams(asOf), ...scope.params]),
  ]);
  return townships.map((t) => ({ name: t.name, received: received.get(t.id) ?? 0, closed: closed.get(t.id) ?? 0, overdue: overdue.get(t.id) ?? 0 }));
}

export function casesClosed(db: Db, at: Range, scope: Scope): Promise<number> {
  const sql = sqlFrom(db);
  return n(sql, `SELECT COUNT(*) AS n FROM cases c WHERE c.closedAt >= ? AND c.closedAt < ? AND ${scope.sql}`, [...at, ...scope.params]);
}

/** Complaints received in the range about favouritism, bribery, opaque handling or embezzlement. */
export function misconductReceived(db: Db, at: Range, scope: Scope): Promise<number> {
  const sql = sqlFrom(db);
  return n(
    sql,
    `SELECT COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ? AND c.kind = 'complaint'
       AND EXISTS (SELECT 1 FROM case_problem_types p WHERE p.caseId = c.id AND p.problemType IN ('favouritism', 'bribery', 'opaqueHandling', 'embezzlement')) AND ${scope.sql}`,
    [...at, ...scope.params],
  );
}

/** Leads (in the viewer's lead scope, alias r) referred, or whose result came back, in the range. */
export function leadsIn(db: Db, column: 'referredAt' | 'resultReturnedAt', at: Range, leads: Scope): Promise<number> {
  const sql = sqlFrom(db);
  return n(sql, `SELECT COUNT(*) AS n FROM referrals r WHERE r.${column} >= ? AND r.${column} < ? AND ${leads.sql}`, [...at, ...leads.params]);
}

/** Home visits made on the days of the range: township verification by 入户调查, and county visits. */
export function homeVisitsMade(db: Db, days: Range, scope: Scope): Promise<number> {
  const sql = sqlFrom(db);
  return n(
    sql,
    `SELECT COUNT(DISTINCT h.caseId) AS n FROM case_history h JOIN cases c ON c.id = h.caseId
     WHERE ${VISIT_ACTIONS} AND ((h.action = 'verify' AND ${HOME_VISIT}) OR h.action = 'county-visit') AND ${VISIT_DATE} >= ? AND ${VISIT_DATE} < ? AND ${scope.sql}`,
    [...days, ...scope.params],
  );
}

export function overdueAsOf(db: Db, asOf: AsOf, scope: Scope): Promise<number> {
  const sql = sqlFrom(db);
  return n(sql, `${WITH_OVERDUE}SELECT COUNT(*) AS n FROM cases c WHERE c.id IN (SELECT caseId FROM od) AND ${scope.sql}`, [...overdueParams(asOf), ...scope.params]);
}

/**
 * Of the complaints reporting any of the problem types: received, closed, and closed found true or
 * partly true in the range. Only the cases received or closed in the range are read (by index).
 */
export async function focusComplaints(db: Db, types: readonly string[], at: Range, scope: Scope): Promise<{ received: number; closed: number; confirmed: number }> {
  const sql = sqlFrom(db);
  const row = await sql.get<{ received: number; closed: number; confirmed: number }>(
    `SELECT COALESCE(SUM(CASE WHEN c.receivedAt >= ? AND c.receivedAt < ? THEN 1 ELSE 0 END), 0) AS received,
            COALESCE(SUM(CASE WHEN c.closedAt >= ? AND c.closedAt < ? THEN 1 ELSE 0 END), 0) AS closed,
            COALESCE(SUM(CASE WHEN c.closedAt >= ? AND c.closedAt < ? AND c.verificationOutcome IN ('true', 'partlyTrue') THEN 1 ELSE 0 END), 0) AS confirmed
     FROM cases c WHERE c.id IN (SELECT cr.id FROM cases cr WHERE cr.receivedAt >= ? AND cr.receivedAt < ? UNION SELECT cc.id FROM cases cc WHERE cc.closedAt >= ? AND cc.closedAt < ?)
       AND c.kind = 'complaint' AND EXISTS (SELECT 1 FROM case_problem_types p WHERE p.caseId = c.id AND p.problemType IN (${types.map(() => '?').join(', ')})) AND ${scope.sql}`,
    [...at, ...at, ...at, ...at, ...at, ...types, ...scope.params],
  );
  return { received: Number(row?.received ?? 0), closed: Number(row?.closed ?? 0), confirmed: Number(row?.confirmed ?? 0) };
}

// ——— the dashboard (DOMAIN §8) ——————————————————————————————————————————————

/** The dashboard's cases: received in the range, of a township or all, that the viewer may see. */
export interface DashboardCases {
  at: Range;
  /** The same period as Asia/Shanghai days, both included (the tallies are kept by day and month). */
  days: { from: string; to: string };
  townshipId: number | null;
  scope: Scope;
  /** The counties whose every case the scope holds, when that is all it says (caseScopeSql's `counties`). */
  wholeCounties: readonly string[] | null;
  /** Today (YYYY-MM-DD): a clock open past its date is overdue by the date itself, not by the scan's last mark. */
  today: string;
}

function dashboardWhere(f: DashboardCases): { sql: string; params: unknown[] } {
  return {
    sql: `c.receivedAt >= ? AND c.receivedAt < ?${f.townshipId ? ' AND c.townshipId = ?' : ''} AND ${f.scope.sql}`,
    params: [...f.at, ...(f.townshipId ? [f.townshipId] : []), ...f.scope.params],
  };
}

/**
 * How the supervision counts are grouped: over all the dashboard's cases at once (the dashboard),
 * or by the case's county (the roll-up across counties, 各县统计). Both are the same queries, the
 * grouping added to their GROUP BY, so a county's row is exactly what the dashboard counts on that
 * county's cases alone.
 */
export type CountsGrouping = 'all' | 'county';

/** The key of the one group when the counts are not grouped by county. */
export const ALL_CASES = '';

/** The counts the on-time and satisfaction figures are made of (DashboardService reads them). */
export interface SupervisionCounts {
  byKind: { kind: string; n: number }[];
  callbacks: { result: string; n: number }[];
  /** Cases measured for timeliness (late, or finished on time), and of those late. */
  measured: number;
  late: number;
  /** Cases with a clock still open past its date. */
  openOverdue: number;
}

export const NO_COUNTS: SupervisionCounts = Object.freeze({ byKind: [], callbacks: [], measured: 0, late: 0, openOverdue: 0 });

/**
 * Where the supervision counts are read: the period's cases one by one, or the tallies the
 * database keeps of them per county, by month and by day (migration CaseTallies: the same
 * columns, counted). Both give the same counts; the tallies cost what the period's months and
 * days hold rather than its cases,
 * and serve whenever the question is about whole counties (no township, no recusal, a county
 * role: DashboardCases.wholeCounties). The conditions below are written once over the source's
 * columns: `weight` is how many cases a row stands for.
 */
export type CountsSource = 'cases' | 'tallies';

export function countsSourceFor(f: DashboardCases): CountsSource {
  return f.wholeCounties && f.townshipId === null ? 'tallies' : 'cases';
}

/** What the tallies hold besides their day or month. */
const TALLIED = ['countyCode', 'kind', 'callbackResult', 'clocksLate', 'clocksFinished', 'clocksOpenDue', 'n'].join(', ');

/**
 * Days (YYYY-MM-DD, both included) as the months they hold whole and the days before and after
 * those: 2026-01-15..2026-04-10 is 2026-02..2026-03 and the days 2026-01-15..2026-01-31 and
 * 2026-04-01..2026-04-10. No whole month: the days alone.
 */
export function splitByMonth(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  const monthAfter = (m: string) => {
    const [y, mo] = m.split('-').map(Number);
    return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  };
  const monthBefore = (m: string) => {
    const [y, mo] = m.split('-').map(Number);
    return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
  };
  const lastDay = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
  const first = from.endsWith('-01') ? from.slice(0, 7) : monthAfter(from.slice(0, 7));
  const last = to === lastDay(to.slice(0, 7)) ? to.slice(0, 7) : monthBefore(to.slice(0, 7));
  if (from > to) return { months: null, days: [] };
  if (first > last) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < `${first}-01`) days.push([from, dayBefore(`${first}-01`)]);
  if (to > lastDay(last)) days.push([`${monthAfter(last)}-01`, to]);
  return { months: [first, last], days };
}

function countsFrom(f: DashboardCases, source: CountsSource) {
  if (source === 'cases') {
    const w = dashboardWhere(f);
    return { from: 'cases c', where: w.sql, params: w.params, weight: '1', result: 'c.callbackResult', finished: CLOCKS_FINISHED('c') };
  }
  // the months the period holds whole, its days before and after them, and the changes not yet
  // folded in (PostgreSQL's; SQLite's tallies are written at once) over all its days
  const counties = f.wholeCounties ?? [];
  const inCounties = `countyCode IN (${counties.map(() => '?').join(', ')})`;
  const split = splitByMonth(f.days.from, f.days.to);
  const parts: string[] = [];
  const params: unknown[] = [];
  if (split.months) {
    parts.push(`SELECT ${TALLIED} FROM case_month_tallies WHERE ${inCounties} AND month >= ? AND month <= ?`);
    params.push(...counties, ...split.months);
  }
  for (const d of split.days) {
    parts.push(`SELECT ${TALLIED} FROM case_tallies WHERE ${inCounties} AND day >= ? AND day <= ?`);
    params.push(...counties, ...d);
  }
  parts.push(`SELECT ${TALLIED} FROM case_tally_changes WHERE ${inCounties} AND day >= ? AND day <= ?`);
  params.push(...counties, f.days.from, f.days.to);
  return { from: `(${parts.join(' UNION ALL ')}) c`, where: 'TRUE', params, weight: 'c.n', result: `NULLIF(c.callbackResult, '')`, finished: 'c.clocksFinished = TRUE' };
}

/**
 * The supervision counts of the dashboard's cases, per group (ALL_CASES, or each county code that
 * has cases; a county without any has no entry). One query, one pass over the period's cases
 * (from IDX_cases_county_timeliness alone) or their tallies (countsSourceFor): by kind and
 * callback result, and how many of each were late, measured and overdue. Timeliness is judged
 * per case from its clocks (the county's before the hand-over and the township's), as the case's
 * clock columns give it (kept by the database from the clocks, migration CaseTimeliness): late
 * if one was met late or is open past its date today (a case left unaccepted or unassigned is
 * late too); on time once the township has finished (its verification or redo clock met, none
 * still open) and none was late. Cases still being worked on and not yet overdue are not
 * measured either way.
 */
export async function supervisionCounts(db: Db, f: DashboardCases, grouping: CountsGrouping, source: CountsSource = countsSourceFor(f)): Promise<Map<string, SupervisionCounts>> {
  const sql = sqlFrom(db);
  const s = countsFrom(f, source);
  // the group's key as the first column, and first in the GROUP BY
  const g = grouping === 'county' ? { key: 'c.countyCode', by: 'c.countyCode, ' } : { key: `'${ALL_CASES}'`, by: '' };
  // a running clock's date is the tallies' NO_DUE, after every day, where the case has none (NULL)
  const overdue = `c.clocksOpenDue < ?`;
  const late = `(c.clocksLate = TRUE OR ${overdue})`;
  const w = s.weight;
  const rows = await sql.all<{ county: string; kind: string; result: string | null; n: number; late: number; measured: number; overdue: number }>(
    `SELECT ${g.key} AS county, c.kind, ${s.result} AS result, SUM(${w}) AS n,
            COALESCE(SUM(CASE WHEN ${late} THEN ${w} ELSE 0 END), 0) AS late,
            COALESCE(SUM(CASE WHEN ${late} OR ${s.finished} THEN ${w} ELSE 0 END), 0) AS measured,
            COALESCE(SUM(CASE WHEN ${overdue} THEN ${w} ELSE 0 END), 0) AS overdue
     FROM ${s.from} WHERE ${s.where} GROUP BY ${g.by}c.kind, c.callbackResult`,
    [f.today, f.today, f.today, ...s.params],
  );
  const out = new Map<string, SupervisionCounts>();
  // sums per county: kinds over the callback results, callbacks over the kinds
  const kindSums = new Map<string, Map<string, number>>();
  const callbackSums = new Map<string, Map<string, number>>();
  const addTo = (sums: Map<string, Map<string, number>>, county: string, key: string, n: number) => {
    let m = sums.get(county);
    if (!m) sums.set(county, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + n);
  };
  for (const r of rows) {
    let x = out.get(r.county);
    if (!x) out.set(r.county, (x = { byKind: [], callbacks: [], measured: 0, late: 0, openOverdue: 0 }));
    x.late += Number(r.late);
    x.measured += Number(r.measured);
    x.openOverdue += Number(r.overdue);
    addTo(kindSums, r.county, r.kind, Number(r.n));
    if (r.result !== null) addTo(callbackSums, r.county, r.result, Number(r.n));
  }
  // in the order of their names, on either engine (a GROUP BY promises no order)
  const byName = (m: Map<string, number> | undefined) => [...(m ?? new Map<string, number>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [county, x] of out) {
    x.byKind = byName(kindSums.get(county)).map(([kind, n]) => ({ kind, n }));
    x.callbacks = byName(callbackSums.get(county)).map(([result, n]) => ({ result, n }));
  }
  return out;
}

/** The dashboard's breakdowns besides the supervision counts (those are supervisionCounts', ungrouped). */
export async function dashboardCounts(db: Db, f: DashboardCases) {
  const sql = sqlFrom(db);
  const w = dashboardWhere(f);
  const q = <T>(text: string, extra: unknown[] = []) => sql.all<T>(text, [...extra, ...w.params]);
  const [byTownship, byMonth, outcomes, repeats, referrals, counts] = await Promise.all([
    q<{ name: string; n: number }>(
      `SELECT COALESCE(t.name, '未定') AS name, COUNT(*) AS n FROM cases c LEFT JOIN townships t ON t.id = c.townshipId WHERE ${w.sql} GROUP BY c.townshipId, t.name ORDER BY n DESC`,
    ),
    q<{ month: string; n: number }>(`SELECT ${ENGINE_SQL.shanghaiMonth('c.receivedAt')} AS month, COUNT(*) AS n FROM cases c WHERE ${w.sql} GROUP BY month ORDER BY month`),
    q<{ outcome: string; n: number }>(`SELECT c.verificationOutcome AS outcome, COUNT(*) AS n FROM cases c WHERE ${w.sql} AND c.verificationOutcome IS NOT NULL GROUP BY c.verificationOutcome`),
    q<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${w.sql} AND c.repeatOfId IS NOT NULL`),
    q<{ status: string; disposal: string | null; n: number }>(
      `SELECT r.status, r.disposal, COUNT(DISTINCT r.id) AS n FROM referrals r JOIN referral_cases rc ON rc.referralId = r.id JOIN cases c ON c.id = rc.caseId WHERE ${w.sql} GROUP BY r.status, r.disposal`,
    ),
    supervisionCounts(sql, f, 'all'),
  ]);
  return { byTownship, byMonth, outcomes, repeats: repeats[0]?.n ?? 0, referrals, ...(counts.get(ALL_CASES) ?? NO_COUNTS) };
}
