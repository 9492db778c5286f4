import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { sqlOf } from '../database/sql';
import type { Role } from '../users/role';
import type { Notification } from './entities/notification.entity';

/**
 * The SQL of in-app notices: who is told, the notices written once per event and user, and what
 * a user reads of them (only while they may see the case: the one scope rule, case-access.ts).
 */

/**
 * Active users of the given roles working at a county: the county given, or with `every` each
 * county's own (never the prefecture's or province's, who are not told a county's business).
 */
export async function activeUserIds(m: EntityManager, roles: readonly Role[], county: string | 'every'): Promise<number[]> {
  const where = county === 'every' ? `regionCode IN (SELECT code FROM regions WHERE level = 'county')` : 'regionCode = ?';
  const rows = await sqlOf(m).all<{ id: number }>(
    `SELECT id FROM users WHERE disabled = FALSE AND role IN (${roles.map(() => '?').join(', ')}) AND ${where}`,
    county === 'every' ? roles : [...roles, county],
  );
  return rows.map((r) => r.id);
}

/** Active township staff of a township and, with `withSupervisors`, the active supervisors of the county. */
export async function townshipStaffIds(m: EntityManager, countyCode: string, townshipId: number | null, withSupervisors: boolean): Promise<number[]> {
  const rows = await sqlOf(m).all<{ id: number }>(
    `SELECT id FROM users WHERE disabled = FALSE AND regionCode = ? AND ((role = 'township' AND townshipId = ?) ${withSupervisors ? "OR role = 'supervisor'" : ''})`,
    [countyCode, townshipId ?? -1],
  );
  return rows.map((r) => r.id);
}

/** The users recused from the case. */
export async function recusedUserIds(m: EntityManager, caseId: number): Promise<Set<number>> {
  return new Set((await sqlOf(m).all<{ userId: number }>('SELECT userId FROM case_recusals WHERE caseId = ?', [caseId])).map((r) => r.userId));
}

/** Writes a notice unless one with its event key is there already; 1 if written, else 0. */
export function addNotice(
  m: EntityManager,
  n: { userId: number; caseId: number | null; type: Notification['type']; eventKey: string; message: string; createdAt: string },
): Promise<number> {
  return sqlOf(m).run(
    `INSERT INTO notifications (userId, caseId, type, eventKey, message, createdAt, readAt) VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (eventKey) DO NOTHING`,
    [n.userId, n.caseId, n.type, n.eventKey, n.message, n.createdAt],
  );
}

/**
 * A notice about a case is shown only while the user may see the case: a notice written before a
 * recusal was recorded, or before the case went to another township, does not keep it in view.
 */
function visible(user: AuthUser): { sql: string; params: unknown[] } {
  const scope = caseScopeSql(user);
  // nothing to check for a user who may see every case: the count stays an index count
  if (scope.everything) return { sql: '1 = 1', params: [] };
  return { sql: `(n.caseId IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = n.caseId AND ${scope.sql}))`, params: scope.params };
}

/** How many of the user's notices they have not read (of those they may see), counted up to `upTo` (more gives upTo + 1). */
export async function unreadNoticeCount(m: EntityManager, user: AuthUser, upTo: number): Promise<number> {
  const v = visible(user);
  const row = await sqlOf(m).get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM notifications n WHERE n.userId = ? AND n.readAt IS NULL AND ${v.sql} LIMIT ${upTo + 1}) counted`,
    [user.id, ...v.params],
  );
  return Number(row!.n);
}

export interface NoticeRow {
  id: number;
  type: string;
  message: string;
  createdAt: string;
  readAt: string | null;
  caseNo: string | null;
}

/** The user's latest notices (of those they may see), newest first. */
export function noticesOf(m: EntityManager, user: AuthUser, limit: number): Promise<NoticeRow[]> {
  const v = visible(user);
  return sqlOf(m).all<NoticeRow>(
    `SELECT n.id AS id, n.type AS type, n.message AS message, n.createdAt AS createdAt, n.readAt AS readAt, (SELECT c.caseNo FROM cases c WHERE c.id = n.caseId) AS caseNo
     FROM notifications n WHERE n.userId = ? AND ${v.sql} ORDER BY n.id DESC LIMIT ?`,
    [user.id, ...v.params, limit],
  );
}
