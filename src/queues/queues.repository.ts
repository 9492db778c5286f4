import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { CASE_STATUS_LABELS, KIND_LABELS, PROGRAM_LABELS } from '../cases/case.enums';
import { caseScopeSql } from '../cases/case-access';
import type { Unit } from '../calendar/work-calendar';
import { sqlOf } from '../database/sql';
import { dueClockUnitSql } from '../deadlines/deadlines.repository';
import type { Stage } from '../deadlines/stages';

/**
 * The SQL of the work lists: the county's triage and review queues, the township inbox, the
 * overdue board and the counts beside the navigation. Every statement is within what the user may
 * see (the one scope rule, case-access.ts, recusal included); each list is one indexed query.
 */

/** A case of a work list as read; the service adds the overdue days and masks the excerpt. */
export interface QueueCaseRow {
  caseNo: string;
  kind: keyof typeof KIND_LABELS;
  program: keyof typeof PROGRAM_LABELS;
  status: keyof typeof CASE_STATUS_LABELS;
  receivedAt: string;
  townshipName: string | null;
  dueDate: string | null;
  dueState: string | null;
  urgedAt: string | null;
  pendingExtensionDays: number | null;
  calendarMissingYear: number | null;
  excerpt: string;
  /** The unit of the clock that sets `dueDate` (working or calendar days). */
  dueUnit: Unit | null;
  /** The case's county: its calendar counts the overdue days. */
  countyCode: string;
  // what masking the excerpt needs
  reporterType: 'realName' | 'anonymous';
  reporterName: string | null;
  subjectName: string | null;
  subjectUnit: string | null;
  subjectPost: string | null;
  problemTypes: string;
  reporterDisclosedToTownshipId: number | null;
}

const COLUMNS = `c.caseNo, c.kind, c.program, c.status, c.receivedAt, t.name AS townshipName, c.dueDate, c.dueState, c.urgedAt,
  c.pendingExtensionDays, c.calendarMissingYear, substr(c.content, 1, 50) AS excerpt,
  ${dueClockUnitSql('c')} AS dueUnit, c.countyCode,
  c.reporterType, c.reporterName, c.subjectName, c.subjectUnit, c.subjectPost, c.problemTypes, c.reporterDisclosedToTownshipId`;
const LIMIT = 300;

/** The township's cases with a running clock (the scope keeps them to the user's township). */
const INBOX = `c.dueDate IS NOT NULL OR c.status IN ('assigned', 'verifying')`;

/** Each work list: which cases, in which order. */
const LISTS = {
  /** registered, to accept: oldest first */
  registered: { where: `c.status = 'registered'`, order: 'c.receivedAt ASC, c.id ASC' },
  /** accepted, to assign: oldest first */
  accepted: { where: `c.status = 'accepted'`, order: 'c.receivedAt ASC, c.id ASC' },
  /** township feedback for the supervisor to review */
  inReview: { where: `c.status = 'inReview'`, order: 'c.updatedAt ASC' },
  objecting: { where: `c.status = 'objecting'`, order: 'c.updatedAt ASC' },
  extensionRequests: { where: `c.pendingExtensionDays IS NOT NULL`, order: 'c.dueDate ASC' },
  /** approved, to call back */
  approved: { where: `c.status = 'approved'`, order: 'c.updatedAt ASC' },
  /** nearest deadline first */
  inbox: { where: INBOX, order: `c.dueDate IS NULL, c.dueDate ASC, c.id ASC` },
  overdue: { where: `c.dueState = 'overdue'`, order: 'c.dueDate ASC, c.id ASC' },
} as const;
export type QueueName = keyof typeof LISTS;

/** The counts beside the navigation: the same cases as the lists they count. */
const COUNTS = {
  triage: `c.status IN ('registered', 'accepted')`,
  callback: `c.status = 'approved'`,
  /** feedback and objections to decide */
  toDecide: `c.status IN ('inReview', 'objecting')`,
  /** extension requests on cases not already counted in toDecide (two indexed counts, not one OR, which reads every case) */
  otherExtensionRequests: `c.pendingExtensionDays IS NOT NULL AND c.status NOT IN ('inReview', 'objecting')`,
  overdue: `c.dueState = 'overdue'`,
  inbox: INBOX,
} as const;
export type QueueCountName = keyof typeof COUNTS;

/** The cases of a work list that `user` may see (at most 300). */
export function queueCases(m: EntityManager, user: AuthUser, name: QueueName): Promise<QueueCaseRow[]> {
  const { where, order } = LISTS[name];
  const scope = caseScopeSql(user);
  return sqlOf(m).all<QueueCaseRow>(
    `SELECT ${COLUMNS} FROM cases c LEFT JOIN townships t ON t.id = c.townshipId WHERE (${where}) AND ${scope.sql} ORDER BY ${order} LIMIT ${LIMIT}`,
    scope.params,
  );
}

/**
 * How many cases of the count `name` the user may see, counted up to `upTo` (more gives upTo + 1):
 * a badge costs the same in a county of millions.
 */
export async function queueCount(m: EntityManager, user: AuthUser, name: QueueCountName, upTo: number): Promise<number> {
  const scope = caseScopeSql(user);
  const row = await sqlOf(m).get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM cases c WHERE (${COUNTS[name]}) AND ${scope.sql} LIMIT ${upTo + 1}) counted`,
    scope.params,
  );
  return Number(row!.n);
}

/** Overdue and due-soon cases per township, of those the user may see. */
export function overdueByTownship(m: EntityManager, user: AuthUser): Promise<{ id: number; name: string; overdue: number; dueSoon: number }[]> {
  const scope = caseScopeSql(user);
  return sqlOf(m).all(
    `SELECT t.id, t.name,
       SUM(CASE WHEN c.dueState = 'overdue' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN c.dueState = 'dueSoon' THEN 1 ELSE 0 END) AS dueSoon
     FROM cases c JOIN townships t ON t.id = c.townshipId
     WHERE c.dueState IN ('overdue', 'dueSoon') AND ${scope.sql} GROUP BY t.id ORDER BY overdue DESC, t.sortOrder`,
    scope.params,
  );
}

/** Open case clocks of `stages` (not a lead's) as the scan marked them: overdue and due-soon counts per stage. */
export function openClocksByStage(m: EntityManager, user: AuthUser, stages: readonly Stage[]): Promise<{ stage: Stage; overdue: number; dueSoon: number }[]> {
  const scope = caseScopeSql(user);
  return sqlOf(m).all(
    `SELECT d.stage, SUM(CASE WHEN d.dueState = 'overdue' THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN d.dueState = 'dueSoon' THEN 1 ELSE 0 END) AS dueSoon
     FROM case_deadlines d JOIN cases c ON c.id = d.caseId
     WHERE d.status = 'open' AND d.dueState IN ('overdue', 'dueSoon') AND d.referralId IS NULL AND d.stage IN (${stages.map(() => '?').join(', ')}) AND ${scope.sql}
     GROUP BY d.stage`,
    [...stages, ...scope.params],
  );
}

/** The overdue case clocks of `stages` (not a lead's), one row per clock, earliest first (at most 300). */
export function overdueClocks(
  m: EntityManager,
  user: AuthUser,
  stages: readonly Stage[],
): Promise<{ caseNo: string; status: keyof typeof CASE_STATUS_LABELS; kind: keyof typeof KIND_LABELS; townshipName: string | null; stage: Stage; dueDate: string }[]> {
  const scope = caseScopeSql(user);
  return sqlOf(m).all(
    `SELECT c.caseNo, c.status, c.kind, t.name AS townshipName, d.stage, d.dueDate
     FROM case_deadlines d JOIN cases c ON c.id = d.caseId LEFT JOIN townships t ON t.id = c.townshipId
     WHERE d.status = 'open' AND d.dueState = 'overdue' AND d.referralId IS NULL AND d.stage IN (${stages.map(() => '?').join(', ')}) AND ${scope.sql}
     ORDER BY d.dueDate ASC, d.id ASC LIMIT ${LIMIT}`,
    [...stages, ...scope.params],
  );
}
