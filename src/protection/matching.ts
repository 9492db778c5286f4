import type { EntityManager } from 'typeorm';
import { nameKey } from '../common/names';
import { activeUsersNamed, addRecusal, matchingRegistrations, setRelativeFlag, staffRelativesNamed } from './protection.repository';

interface CaseFacts {
  id: number;
  townshipId: number | null;
  villageId: number | null;
  reporterName: string | null;
  reporterIdNumber: string | null;
  subjectName: string | null;
  /** Inserted in this transaction, so not flagged yet: without a match there is nothing to clear. */
  isNew?: boolean;
}

/**
 * 近亲属备案 matching and recusal, run inside the write transaction of intake and assignment.
 * On the caller's manager (protection.repository.ts), so cases/ and workflow/ can call it without a module cycle.
 *
 * - The case is flagged 单独登记 when its reporter (by ID number, or name and village) or its
 *   subject (name and village) is a registered relative still on the register. Names are compared
 *   by nameKey (spaces and name dots ignored).
 * - A user may not see the case (case_recusals) when its subject is them (same name; for
 *   township staff, in the case's township) or a registered relative of theirs.
 */
export async function applyProtection(m: EntityManager, c: CaseFacts): Promise<{ relativeRegistrationId: number | null; recusedUserIds: number[] }> {
  const reporterName = nameKey(c.reporterName) || null;
  const subjectName = nameKey(c.subjectName) || null;
  if (!reporterName && !c.reporterIdNumber && !subjectName) return { relativeRegistrationId: null, recusedUserIds: [] };
  const match = await matchingRegistrations(m, { villageId: c.villageId, reporterNameKey: reporterName, reporterIdNumber: c.reporterIdNumber, subjectNameKey: subjectName });
  const relativeRegistrationId = match[0]?.id ?? null;
  // Written only when it changes (a new case without a match writes nothing, and sends nothing).
  if (relativeRegistrationId !== null || !c.isNew) await setRelativeFlag(m, c.id, relativeRegistrationId);

  const recused = new Map<number, { reason: 'subject' | 'relative'; registrationId: number | null }>();
  if (subjectName) {
    for (const id of await activeUsersNamed(m, subjectName, c.townshipId)) recused.set(id, { reason: 'subject', registrationId: null });
    for (const r of await staffRelativesNamed(m, subjectName, c.villageId)) if (!recused.has(r.staffUserId)) recused.set(r.staffUserId, { reason: 'relative', registrationId: r.id });
  }
  for (const [userId, r] of recused) await addRecusal(m, { caseId: c.id, userId, ...r });
  return { relativeRegistrationId, recusedUserIds: [...recused.keys()] };
}

export { recusedInTownship } from './protection.repository';
