import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { CASE_STATUS_LABELS, KIND_LABELS } from '../cases/case.enums';
import { caseScopeSql } from '../cases/case-access';
import { toDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';
import type { SpotResult } from './entities/spot-check.entity';

/**
 * The SQL of spot checks (回访抽查). Every statement reads only the cases the user may see (the one
 * scope rule, case-access.ts): a case they are recused from is never in their sample, and another
 * supervisor's sample does not show it to them.
 */

/** Closed cases of a period whose reporter can be called back, optionally of one township. */
export interface CallbackPeriod {
  /** first instant of the period */
  from: Date;
  /** the instant after it */
  until: Date;
  townshipId?: number;
}

// Only cases whose reporter can be called back: anonymous ones and those without a phone number
// would only inflate 无法联系.
function callbackCases(user: AuthUser, p: CallbackPeriod): { where: string; params: unknown[] } {
  const scope = caseScopeSql(user);
  return {
    where: `c.status = 'closed' AND c.closedAt >= ? AND c.closedAt < ? AND c.reporterType <> 'anonymous' AND c.reporterPhone IS NOT NULL${p.townshipId ? ' AND c.townshipId = ?' : ''} AND ${scope.sql}`,
    params: [toDbDateTime(p.from), toDbDateTime(p.until), ...(p.townshipId ? [p.townshipId] : []), ...scope.params],
  };
}

/** How many cases of the period the user may see could be called back. */
export async function callbackPopulation(m: EntityManager, user: AuthUser, p: CallbackPeriod): Promise<number> {
  const { where, params } = callbackCases(user, p);
  return Number((await sqlOf(m).get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`, params))!.n);
}

/** `size` of those cases at random (the database's random(), SQLite's and PostgreSQL's alike: each has the same chance). */
export async function drawCallbackSample(m: EntityManager, user: AuthUser, p: CallbackPeriod, size: number): Promise<number[]> {
  const { where, params } = callbackCases(user, p);
  return (await sqlOf(m).all<{ id: number }>(`SELECT c.id FROM cases c WHERE ${where} ORDER BY random() LIMIT ?`, [...params, size])).map((r) => r.id);
}

export interface SpotCheckItemRow {
  caseId: number;
  result: SpotResult | null;
  note: string | null;
  checkedAt: string | Date | null;
  checkedByName: string | null;
  caseNo: string;
  kind: keyof typeof KIND_LABELS;
  status: keyof typeof CASE_STATUS_LABELS;
  reporterType: string;
  reporterName: string | null;
  reporterPhone: string | null;
  closedAt: string;
  townshipName: string | null;
}

/** The items of a check whose cases the viewer may see, by case. */
export function spotCheckItems(m: EntityManager, viewer: AuthUser, spotCheckId: number): Promise<SpotCheckItemRow[]> {
  const scope = caseScopeSql(viewer);
  return sqlOf(m).all<SpotCheckItemRow>(
    `SELECT i.caseId, i.result, i.note, i.checkedAt, i.checkedByName, c.caseNo, c.kind, c.status, c.reporterType, c.reporterName, c.reporterPhone, c.closedAt, t.name AS townshipName
     FROM spot_check_items i JOIN cases c ON c.id = i.caseId LEFT JOIN townships t ON t.id = c.townshipId WHERE i.spotCheckId = ? AND ${scope.sql} ORDER BY c.id`,
    [spotCheckId, ...scope.params],
  );
}

/** The id of the case `caseNo` if it is in the check and the user may see it. */
export async function spotCheckCaseId(m: EntityManager, user: AuthUser, spotCheckId: number, caseNo: string): Promise<number | undefined> {
  const scope = caseScopeSql(user);
  const row = await sqlOf(m).get<{ caseId: number }>(
    `SELECT i.caseId FROM spot_check_items i JOIN cases c ON c.id = i.caseId WHERE i.spotCheckId = ? AND c.caseNo = ? AND ${scope.sql}`,
    [spotCheckId, caseNo, ...scope.params],
  );
  return row?.caseId;
}

/** Items checked in [from, to) by result, of the cases the viewer may see (optionally of one township). */
export function spotCheckResults(m: EntityManager, viewer: AuthUser, from: Date, to: Date, townshipId: number | null): Promise<{ result: SpotResult; n: number }[]> {
  const scope = caseScopeSql(viewer);
  return sqlOf(m).all(
    `SELECT i.result, COUNT(*) AS n FROM spot_check_items i JOIN cases c ON c.id = i.caseId
     WHERE i.checkedAt >= ? AND i.checkedAt < ?${townshipId ? ' AND c.townshipId = ?' : ''} AND ${scope.sql} GROUP BY i.result`,
    [toDbDateTime(from), toDbDateTime(to), ...(townshipId ? [townshipId] : []), ...scope.params],
  );
}
