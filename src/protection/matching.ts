import type { EntityManager } from 'typeorm';
import { nameKey } from '../common/names';
import { sqlOf } from '../database/sql';

interface CaseFacts {
  id: number;
  townshipId: number | null;
  villageId: number | null;
  reporterName: string | null;
  reporterIdNumber: string | null;
  subjectName: string | null;
}

/**
 * 近亲属备案 matching and recusal, run inside the write transaction of intake and assignment.
 * Plain SQL on the caller's connection, so cases/ and workflow/ can call it without a module cycle.
 *
 * - The case is flagged 单独登记 when its reporter (by ID number, or name and village) or its
 *   subject (name and village) is a registered relative still on the register. Names are compared
 *   by nameKey (spaces and name dots ignored).
 * - A user may not see the case (case_recusals) when its subject is them (same name; for
 *   township staff, in the case's township) or a registered relative of theirs.
 */
export async function applyProtection(m: EntityManager, c: CaseFacts): Promise<{ relativeRegistrationId: number | null; recusedUserIds: number[] }> {
  const sql = sqlOf(m);
  const reporterName = nameKey(c.reporterName) || null;
  const subjectName = nameKey(c.subjectName) || null;
  if (!reporterName && !c.reporterIdNumber && !subjectName) return { relativeRegistrationId: null, recusedUserIds: [] };
  // Only the facts the case has are compared (a parameter tested for NULL in SQL has no type on
  // PostgreSQL); a registration without a village matches a name in any village.
  const sameVillage = c.villageId === null ? '' : ' AND (villageId IS NULL OR villageId = ?)';
  const byName = `(relativeNameKey = ?${sameVillage})`;
  const village = c.villageId === null ? [] : [c.villageId];
  const either: string[] = [];
  const params: unknown[] = [];
  if (c.reporterIdNumber) either.push('relativeIdNumber = ?'), params.push(c.reporterIdNumber);
  if (reporterName) either.push(byName), params.push(reporterName, ...village);
  if (subjectName) either.push(byName), params.push(subjectName, ...village);
  const match = await sql.all<{ id: number; staffUserId: number | null }>(
    `SELECT id, staffUserId FROM relative_registrations WHERE endedAt IS NULL AND (${either.join(' OR ')}) ORDER BY id LIMIT 20`,
    params,
  );
  const relativeRegistrationId = match[0]?.id ?? null;
  // Written only when it changes (a new case without a match writes nothing).
  await sql.run(
    relativeRegistrationId === null
      ? 'UPDATE cases SET relativeFlag = ?, relativeRegistrationId = NULL WHERE id = ? AND (relativeFlag = TRUE OR relativeRegistrationId IS NOT NULL)'
      : 'UPDATE cases SET relativeFlag = ?, relativeRegistrationId = ? WHERE id = ? AND (relativeFlag = FALSE OR relativeRegistrationId IS NULL OR relativeRegistrationId <> ?)',
    relativeRegistrationId === null ? [false, c.id] : [true, relativeRegistrationId, c.id, relativeRegistrationId],
  );

  const recused = new Map<number, { reason: 'subject' | 'relative'; registrationId: number | null }>();
  if (subjectName) {
    const users = await sql.all<{ id: number }>(
      c.townshipId === null
        ? `SELECT id FROM users WHERE disabled = FALSE AND displayNameKey = ?`
        : `SELECT id FROM users WHERE disabled = FALSE AND displayNameKey = ? AND (role <> 'township' OR townshipId = ?)`,
      c.townshipId === null ? [subjectName] : [subjectName, c.townshipId],
    );
    for (const u of users) recused.set(u.id, { reason: 'subject', registrationId: null });
    const relatives = await sql.all<{ id: number; staffUserId: number }>(
      `SELECT id, staffUserId FROM relative_registrations WHERE endedAt IS NULL AND staffUserId IS NOT NULL AND relativeNameKey = ?${sameVillage}`,
      [subjectName, ...village],
    );
    for (const r of relatives) if (!recused.has(r.staffUserId)) recused.set(r.staffUserId, { reason: 'relative', registrationId: r.id });
  }
  for (const [userId, r] of recused) {
    await sql.run(`INSERT INTO case_recusals (caseId, userId, reason, registrationId) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, [c.id, userId, r.reason, r.registrationId]);
  }
  return { relativeRegistrationId, recusedUserIds: [...recused.keys()] };
}

/** Township staff of `townshipId` who may not see this case. */
export function recusedInTownship(m: EntityManager, caseId: number, townshipId: number): Promise<{ id: number; displayName: string }[]> {
  return sqlOf(m).all(
    `SELECT u.id, u.displayName FROM case_recusals r JOIN users u ON u.id = r.userId WHERE r.caseId = ? AND u.role = 'township' AND u.townshipId = ?`,
    [caseId, townshipId],
  );
}
