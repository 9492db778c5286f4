import { notRecusedSql } from '../cases/case-access';
import type { CaseStatus } from '../cases/case.enums';
import type { EntityManager } from 'typeorm';
import { perEngine, Sql, sqlFrom } from '../database/sql';
import { Stage, STAGE_LABELS, TOWNSHIP_STAGES } from '../deadlines/stages';

/** A clock the batch moved to overdue (each gets one history row on its case). */
export interface OverdueClock {
  deadlineId: number;
  caseId: number;
  stage: Stage;
  dueDate: string;
  status: CaseStatus;
}

export interface ScanBatch {
  /** Clocks moved by this batch (fewer than the limit: nothing more to do, or taken by another scan). */
  picked: number;
  dueSoon: number;
  overdue: number;
  notifications: number;
  overdueClocks: OverdueClock[];
}

const TOWNSHIP_STAGE_LIST = TOWNSHIP_STAGES.map((x) => `'${x}'`).join(',');
const STAGE_LABEL = `CASE b.stage ${Object.entries(STAGE_LABELS).map(([k, v]) => `WHEN '${k}' THEN '${v}'`).join(' ')} END`;

/**
 * The notices of a batch `b` (id, caseId, stage, dueDate, state, townshipId, caseNo, countyCode,
 * township 1/0, handlerId): township clocks tell the township's staff and the supervisors; a referred
 * lead's clocks its liaison and the supervisors; the county's clocks the supervisors, all of the
 * case's county (a prefecture's supervisors are not told a county's daily clocks). Nobody hears
 * of a case they are recused from. One notice per event and user (unique eventKey).
 * The batch carries its cases' county: joined to the cases here, SQLite's planner walked the
 * county's whole index for each user (users outside, the cases by countyCode, the batch by
 * caseId), so each batch cost as much as the county's cases, and a scan their square.
 */
function noticesOf(batch: string, createdAt: string): string {
  return `INSERT INTO notifications (userId, caseId, type, eventKey, message, createdAt, readAt)
    SELECT u.id, b.caseId, b.state, b.state || ':' || b.id || ':' || u.id,
           CASE b.state WHEN 'overdue' THEN '案件 ' || b.caseNo || ' ' || ${STAGE_LABEL} || '已超期（期限 ' || b.dueDate || '）'
                        ELSE '案件 ' || b.caseNo || ' ' || ${STAGE_LABEL} || '今日到期' END,
           ${createdAt}, NULL
    FROM ${batch} b JOIN users u ON u.disabled = FALSE AND u.regionCode = b.countyCode
      AND (u.role = 'supervisor' OR (b.township = 1 AND u.role = 'township' AND u.townshipId = b.townshipId) OR (u.id = b.handlerId AND u.role = 'liaison'))
      AND ${notRecusedSql('b.caseId', 'u.id')}
    WHERE TRUE
    ON CONFLICT (eventKey) DO NOTHING`;
}

/**
 * SQLite: the batch in a temp table, then set-based statements over it. The write transaction
 * holds the database's write lock from its BEGIN IMMEDIATE, so nothing changes these clocks
 * between the pick and the updates, in this process or another.
 */
const SQLITE = {
  create: `CREATE TEMP TABLE IF NOT EXISTS scan_batch (id INTEGER PRIMARY KEY, caseId INTEGER, stage TEXT, dueDate TEXT, state TEXT, townshipId INTEGER, caseNo TEXT, countyCode TEXT, status TEXT, township INTEGER, handlerId INTEGER)`,
  index: `CREATE INDEX IF NOT EXISTS temp.scan_batch_case ON scan_batch (caseId)`,
  clear: `DELETE FROM scan_batch`,
  // Two index ranges on (status, dueState, dueDate), forced: an OR, or a plan that scans because
  // most clocks are 'ok', would read every open clock again for each batch.
  pick: (limit: number) => `INSERT INTO scan_batch (id, caseId, stage, dueDate, state, townshipId, caseNo, countyCode, status, township, handlerId)
    SELECT d.id, d.caseId, d.stage, d.dueDate, CASE WHEN d.dueDate < ? THEN 'overdue' ELSE 'dueSoon' END, c.townshipId, c.caseNo, c.countyCode, c.status,
           CASE WHEN d.stage IN (${TOWNSHIP_STAGE_LIST}) THEN 1 ELSE 0 END, (SELECT r.handlerId FROM referrals r WHERE r.id = d.referralId)
    FROM (SELECT id FROM case_deadlines INDEXED BY IDX_case_deadlines_open_due WHERE status = 'open' AND dueState = 'dueSoon' AND dueDate < ?
          UNION ALL
          SELECT id FROM case_deadlines INDEXED BY IDX_case_deadlines_open_due WHERE status = 'open' AND dueState = 'ok' AND dueDate <= ?
          LIMIT ${limit}) p
    JOIN case_deadlines d ON d.id = p.id JOIN cases c ON c.id = d.caseId`,
  mark: `UPDATE case_deadlines SET dueState = (SELECT state FROM scan_batch b WHERE b.id = case_deadlines.id) WHERE id IN (SELECT id FROM scan_batch)`,
  // the case's flag follows its township deadline (cases.dueDate is the earliest open one)
  flag: `UPDATE cases SET dueState = (SELECT b.state FROM scan_batch b WHERE b.caseId = cases.id AND b.township = 1 AND b.dueDate = cases.dueDate ORDER BY b.state = 'overdue' DESC LIMIT 1)
    WHERE id IN (SELECT caseId FROM scan_batch WHERE township = 1) AND EXISTS (SELECT 1 FROM scan_batch b WHERE b.caseId = cases.id AND b.township = 1 AND b.dueDate = cases.dueDate)`,
  notify: noticesOf('scan_batch', '?'),
  overdue: `SELECT id, caseId, stage, dueDate, status FROM scan_batch WHERE state = 'overdue' ORDER BY id`,
  counts: `SELECT SUM(CASE WHEN state = 'overdue' THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN state = 'dueSoon' THEN 1 ELSE 0 END) AS dueSoon FROM scan_batch`,
};

async function sqliteBatch(sql: Sql, today: string, now: Date, limit: number): Promise<ScanBatch> {
  await sql.run(SQLITE.create);
  await sql.run(SQLITE.index);
  await sql.run(SQLITE.clear);
  const picked = await sql.run(SQLITE.pick(limit), [today, today, today]);
  if (!picked) return { picked: 0, dueSoon: 0, overdue: 0, notifications: 0, overdueClocks: [] };
  await sql.run(SQLITE.mark);
  await sql.run(SQLITE.flag);
  const notifications = await sql.run(SQLITE.notify, [now]);
  const rows = await sql.rows<[number, number, Stage, string, CaseStatus]>(SQLITE.overdue);
  const counts = (await sql.get<{ overdue: number | null; dueSoon: number | null }>(SQLITE.counts))!;
  return {
    picked,
    overdue: counts.overdue ?? 0,
    dueSoon: counts.dueSoon ?? 0,
    notifications,
    overdueClocks: rows.map(([deadlineId, caseId, stage, dueDate, status]) => ({ deadlineId, caseId, stage, dueDate, status })),
  };
}

/** Any constant: the key of the transaction-scoped advisory lock that makes scans take turns. */
const SCAN_LOCK = 7_431_002;

/**
 * PostgreSQL: one statement per batch. Scans take turns on a transaction-scoped advisory lock
 * (as on SQLite's write lock): a second scan, even one that ignores the lease, waits for the first
 * batch to commit and then sees its clocks already moved. Clocks that a workflow write holds at
 * this moment are skipped (SKIP LOCKED), not waited for: the next scan takes them.
 * Data-modifying CTEs: the batch is picked and locked once (`p`), joined to its cases (`b`), and
 * the clocks, the cases' flags and the notices are written from it; the case flag is set only if
 * the case's due date is still the one read (re-checked on the row's latest version).
 */
const POSTGRES = {
  lock: `SELECT pg_advisory_xact_lock(${SCAN_LOCK})`,
  batch: (limit: number) => `WITH p AS (
      SELECT d.id, d.caseId, d.stage, d.dueDate, d.referralId, CASE WHEN d.dueDate < ? THEN 'overdue' ELSE 'dueSoon' END AS state
      FROM case_deadlines d
      WHERE d.status = 'open' AND ((d.dueState = 'dueSoon' AND d.dueDate < ?) OR (d.dueState = 'ok' AND d.dueDate <= ?))
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    ), b AS (
      SELECT p.id, p.caseId, p.stage, p.dueDate, p.state, c.townshipId, c.caseNo, c.countyCode, c.status, c.dueDate AS caseDueDate,
             CASE WHEN p.stage IN (${TOWNSHIP_STAGE_LIST}) THEN 1 ELSE 0 END AS township, r.handlerId
      FROM p JOIN cases c ON c.id = p.caseId LEFT JOIN referrals r ON r.id = p.referralId
    ), marked AS (
      UPDATE case_deadlines d SET dueState = b.state FROM b WHERE d.id = b.id
    ), flagged AS (
      UPDATE cases c SET dueState = f.state
      FROM (SELECT caseId, dueDate, MAX(state) AS state FROM b WHERE township = 1 AND dueDate = caseDueDate GROUP BY caseId, dueDate) f
      WHERE c.id = f.caseId AND c.dueDate = f.dueDate
    ), notified AS (
      ${noticesOf('b', 'CAST(? AS timestamptz)')}
      RETURNING 1
    )
    SELECT b.id, b.caseId, b.stage, b.dueDate, b.status, b.state, (SELECT COUNT(*) FROM notified) AS notifications
    FROM b ORDER BY b.id`,
};

/** The statements whose plans a test reads: SQLite's batch table and its notices, PostgreSQL's whole batch. */
export const SCAN_STATEMENTS_FOR_PLANS = {
  sqlite: { create: SQLITE.create, index: SQLITE.index, notify: SQLITE.notify },
  postgres: { batch: POSTGRES.batch(5000) },
};

async function postgresBatch(sql: Sql, today: string, now: Date, limit: number): Promise<ScanBatch> {
  await sql.get(POSTGRES.lock);
  const rows = await sql.rows<[number, number, Stage, string, CaseStatus, 'overdue' | 'dueSoon', number]>(POSTGRES.batch(limit), [today, today, today, now]);
  const overdueClocks = rows.filter((r) => r[5] === 'overdue').map(([deadlineId, caseId, stage, dueDate, status]) => ({ deadlineId, caseId, stage, dueDate, status }));
  return {
    picked: rows.length,
    overdue: overdueClocks.length,
    dueSoon: rows.length - overdueClocks.length,
    notifications: rows.length ? Number(rows[0][6]) : 0,
    overdueClocks,
  };
}

/**
 * One batch of the deadline scan, inside the caller's write: up to `limit` open clocks that reach
 * their last day `today` become "dueSoon", those past it "overdue"; the cases' flags follow their
 * township clock, and each change notifies once. The caller writes the overdue clocks' history.
 */
const scanBatchOn: (sql: Sql, today: string, now: Date, limit: number) => Promise<ScanBatch> = perEngine({ sqlite: sqliteBatch, postgres: postgresBatch });

/** One batch of the scan, inside the caller's write (its manager, or an Sql made of it). */
export function scanBatch(db: Sql | EntityManager, today: string, now: Date, limit: number): Promise<ScanBatch> {
  return scanBatchOn(sqlFrom(db), today, now, limit);
}
