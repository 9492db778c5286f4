import type { EntityManager } from 'typeorm';
import { nameKey } from '../common/names';
import { rawDb, stmt } from '../database/raw';

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
export function applyProtection(m: EntityManager, c: CaseFacts): { relativeRegistrationId: number | null; recusedUserIds: number[] } {
  const db = rawDb(m);
  const reporterName = nameKey(c.reporterName) || null;
  const subjectName = nameKey(c.subjectName) || null;
  if (!reporterName && !c.reporterIdNumber && !subjectName) return { relativeRegistrationId: null, recusedUserIds: [] };
  const match = stmt(
    db,
    `SELECT id, staffUserId FROM relative_registrations
     WHERE endedAt IS NULL AND (
       (? IS NOT NULL AND relativeIdNumber = ?)
       OR (? IS NOT NULL AND relativeNameKey = ? AND (villageId IS NULL OR ? IS NULL OR villageId = ?))
       OR (? IS NOT NULL AND relativeNameKey = ? AND (villageId IS NULL OR ? IS NULL OR villageId = ?))
     ) ORDER BY id LIMIT 20`,
  ).all(
    c.reporterIdNumber, c.reporterIdNumber,
    reporterName, reporterName, c.villageId, c.villageId,
    subjectName, subjectName, c.villageId, c.villageId,
  ) as { id: number; staffUserId: number | null }[];
  const relativeRegistrationId = match[0]?.id ?? null;
  // Written only when it changes (a new case without a match writes nothing).
  stmt(db, `UPDATE cases SET relativeFlag = ?, relativeRegistrationId = ? WHERE id = ? AND (relativeFlag <> ? OR relativeRegistrationId IS NOT ?)`).run(
    relativeRegistrationId ? 1 : 0,
    relativeRegistrationId,
    c.id,
    relativeRegistrationId ? 1 : 0,
    relativeRegistrationId,
  );

  const recused = new Map<number, { reason: 'subject' | 'relative'; registrationId: number | null }>();
  if (subjectName) {
    const users = stmt(
      db,
      `SELECT id FROM users WHERE disabled = 0 AND displayNameKey = ? AND (role <> 'township' OR townshipId = ? OR ? IS NULL)`,
    ).all(subjectName, c.townshipId, c.townshipId) as { id: number }[];
    for (const u of users) recused.set(u.id, { reason: 'subject', registrationId: null });
    const relatives = stmt(
      db,
      `SELECT id, staffUserId FROM relative_registrations WHERE endedAt IS NULL AND staffUserId IS NOT NULL AND relativeNameKey = ?
         AND (villageId IS NULL OR ? IS NULL OR villageId = ?)`,
    ).all(subjectName, c.villageId, c.villageId) as { id: number; staffUserId: number }[];
    for (const r of relatives) if (!recused.has(r.staffUserId)) recused.set(r.staffUserId, { reason: 'relative', registrationId: r.id });
  }
  const insert = stmt(db, `INSERT OR IGNORE INTO case_recusals (caseId, userId, reason, registrationId) VALUES (?, ?, ?, ?)`);
  for (const [userId, r] of recused) insert.run(c.id, userId, r.reason, r.registrationId);
  return { relativeRegistrationId, recusedUserIds: [...recused.keys()] };
}

/** Township staff of `townshipId` who may not see this case. */
export function recusedInTownship(m: EntityManager, caseId: number, townshipId: number): { id: number; displayName: string }[] {
  return stmt(
    rawDb(m),
    `SELECT u.id, u.displayName FROM case_recusals r JOIN users u ON u.id = r.userId WHERE r.caseId = ? AND u.role = 'township' AND u.townshipId = ?`,
  ).all(caseId, townshipId) as { id: number; displayName: string }[];
}
