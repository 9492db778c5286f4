import type { AuthUser } from '../auth/auth-user';
import type { EntityManager } from 'typeorm';
import { notRecusedSql } from '../cases/case-access';
import { sqlOf } from '../database/sql';
import { RelativeRegistration } from './entities/relative-registration.entity';

/**
 * The SQL of protection: the register of close relatives (近亲属备案), the matching of a case to
 * it and the recusals it makes (run inside the write of intake and assignment, on the caller's
 * manager), and the log of disclosed reporters.
 */

// ---- the register

export interface RegisterQuery {
  /** the counties whose register is read (the reader's) */
  countyCodes: readonly string[];
  text?: string;
  /** the text as an ID number (normalised), compared whole */
  idNumber?: string;
  townshipId?: number;
  status?: string;
}

/**
 * Registrations matching a search, newest first (at most 500). Names and units match any part of
 * the text, Latin letters in any case on both engines (lower() on both sides: SQLite's LIKE
 * ignores ASCII case, PostgreSQL's does not), % and _ as themselves; an ID number matches whole.
 */
export function searchRegistrations(m: EntityManager, q: RegisterQuery): Promise<RelativeRegistration[]> {
  const qb = m.getRepository(RelativeRegistration).createQueryBuilder('r').orderBy('r.id', 'DESC').limit(500);
  qb.where('r.countyCode IN (:...counties)', { counties: q.countyCodes.length ? [...q.countyCodes] : [''] });
  if (q.text) {
    // the text as typed: a % or _ in it is that character, not LIKE's wildcard
    const like = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere(`(lower(r.staffName) LIKE lower(:t) ESCAPE '\\' OR lower(r.relativeName) LIKE lower(:t) ESCAPE '\\' OR r.relativeIdNumber = :id OR lower(r.staffUnit) LIKE lower(:t) ESCAPE '\\')`, {
      t: like,
      id: q.idNumber,
    });
  }
  if (q.townshipId) qb.andWhere('r.townshipId = :tw', { tw: q.townshipId });
  if (q.status === 'active') qb.andWhere('r.endedAt IS NULL');
  if (q.status === 'ended') qb.andWhere('r.endedAt IS NOT NULL');
  if (q.status === 'pending') qb.andWhere('r.registeredAt IS NULL AND r.endedAt IS NULL');
  return qb.getMany();
}

/** The first active user of the county with this name key (for township staff: of that township), or null. */
export async function staffUserByName(m: EntityManager, countyCode: string, nameKey: string, townshipId: number | null): Promise<number | null> {
  const row = await sqlOf(m).get<{ id: number }>(
    townshipId === null
      ? `SELECT id FROM users WHERE displayNameKey = ? AND regionCode = ? AND disabled = FALSE ORDER BY id LIMIT 1`
      : `SELECT id FROM users WHERE displayNameKey = ? AND regionCode = ? AND disabled = FALSE AND (role <> 'township' OR townshipId = ?) ORDER BY id LIMIT 1`,
    townshipId === null ? [nameKey, countyCode] : [nameKey, countyCode, townshipId],
  );
  return row?.id ?? null;
}

// ---- matching and recusal

/** The facts of a case the register is compared with (names as name keys). */
export interface MatchFacts {
  villageId: number | null;
  reporterNameKey: string | null;
  reporterIdNumber: string | null;
  subjectNameKey: string | null;
}

/**
 * Registrations still on the register whose relative is the case's reporter (by ID number, or
 * name and village) or subject (name and village), by id (at most 20). Only the facts the case has
 * are compared (a parameter tested for NULL in SQL has no type on PostgreSQL); a registration
 * without a village matches a name in any village.
 */
export function matchingRegistrations(m: EntityManager, f: MatchFacts): Promise<{ id: number; staffUserId: number | null }[]> {
  const sameVillage = f.villageId === null ? '' : ' AND (villageId IS NULL OR villageId = ?)';
  const byName = `(relativeNameKey = ?${sameVillage})`;
  const village = f.villageId === null ? [] : [f.villageId];
  const either: string[] = [];
  const params: unknown[] = [];
  if (f.reporterIdNumber) either.push('relativeIdNumber = ?'), params.push(f.reporterIdNumber);
  if (f.reporterNameKey) either.push(byName), params.push(f.reporterNameKey, ...village);
  if (f.subjectNameKey) either.push(byName), params.push(f.subjectNameKey, ...village);
  if (!either.length) return Promise.resolve([]);
  return sqlOf(m).all(`SELECT id, staffUserId FROM relative_registrations WHERE endedAt IS NULL AND (${either.join(' OR ')}) ORDER BY id LIMIT 20`, params);
}

/** Registrations still on the register of a staff user whose relative has this name key (in the village, or without one). */
export function staffRelativesNamed(m: EntityManager, nameKey: string, villageId: number | null): Promise<{ id: number; staffUserId: number }[]> {
  return sqlOf(m).all(
    `SELECT id, staffUserId FROM relative_registrations WHERE endedAt IS NULL AND staffUserId IS NOT NULL AND relativeNameKey = ?${villageId === null ? '' : ' AND (villageId IS NULL OR villageId = ?)'}`,
    villageId === null ? [nameKey] : [nameKey, villageId],
  );
}

/** Flags the case 单独登记 by the registration (or clears the flag with null); written only when it changes. */
export async function setRelativeFlag(m: EntityManager, caseId: number, registrationId: number | null): Promise<void> {
  await sqlOf(m).run(
    registrationId === null
      ? 'UPDATE cases SET relativeFlag = ?, relativeRegistrationId = NULL WHERE id = ? AND (relativeFlag = TRUE OR relativeRegistrationId IS NOT NULL)'
      : 'UPDATE cases SET relativeFlag = ?, relativeRegistrationId = ? WHERE id = ? AND (relativeFlag = FALSE OR relativeRegistrationId IS NULL OR relativeRegistrationId <> ?)',
    registrationId === null ? [false, caseId] : [true, registrationId, caseId, registrationId],
  );
}

/** Active users with this name key (for a case of a township: county users and that township's staff). */
export async function activeUsersNamed(m: EntityManager, nameKey: string, townshipId: number | null): Promise<number[]> {
  const rows = await sqlOf(m).all<{ id: number }>(
    townshipId === null
      ? `SELECT id FROM users WHERE disabled = FALSE AND displayNameKey = ?`
      : `SELECT id FROM users WHERE disabled = FALSE AND displayNameKey = ? AND (role <> 'township' OR townshipId = ?)`,
    townshipId === null ? [nameKey] : [nameKey, townshipId],
  );
  return rows.map((r) => r.id);
}

/** Records that the user may not see the case (once). */
export async function addRecusal(m: EntityManager, r: { caseId: number; userId: number; reason: 'subject' | 'relative'; registrationId: number | null }): Promise<void> {
  await sqlOf(m).run(`INSERT INTO case_recusals (caseId, userId, reason, registrationId) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, [r.caseId, r.userId, r.reason, r.registrationId]);
}

/** Township staff of `townshipId` who may not see this case. */
export function recusedInTownship(m: EntityManager, caseId: number, townshipId: number): Promise<{ id: number; displayName: string }[]> {
  return sqlOf(m).all(
    `SELECT u.id, u.displayName FROM case_recusals r JOIN users u ON u.id = r.userId WHERE r.caseId = ? AND u.role = 'township' AND u.townshipId = ?`,
    [caseId, townshipId],
  );
}

// ---- the disclosure log

export interface DisclosureEventRow {
  at: string | Date;
  actorName: string;
  action: string;
  targetId: string | null;
  detail: string | null;
}

/**
 * Disclosures and every view of a disclosed reporter (and searches by personal details), newest
 * first; an event about a case the viewer is recused from is left out (by its number).
 */
export function disclosureEvents(m: EntityManager, viewer: AuthUser, limit: number): Promise<DisclosureEventRow[]> {
  // the events of the viewer's counties: those whose actor works there (or at the viewer's own region)
  const regions = [...new Set([...(viewer.countyCodes ?? []), viewer.regionCode ?? ''])].filter(Boolean);
  if (!regions.length) return Promise.resolve([]);
  return sqlOf(m).all<DisclosureEventRow>(
    `SELECT a.at, a.actorName, a.action, a.targetId, a.detail FROM audit_events a
     WHERE a.action IN ('reporter.disclose', 'reporter.view', 'reporter.export', 'referral.reporter.view', 'case.search')
       AND EXISTS (SELECT 1 FROM users u WHERE u.id = a.actorId AND u.regionCode IN (${regions.map(() => '?').join(', ')}))
       AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.caseNo = a.targetId AND NOT (${notRecusedSql('c.id', '?')}))
     ORDER BY a.id DESC LIMIT ?`,
    [...regions, viewer.id, limit],
  );
}

/** The numbers of the cases the user is recused from. */
export async function recusedCaseNos(m: EntityManager, userId: number): Promise<Set<string>> {
  return new Set((await sqlOf(m).all<{ caseNo: string }>(`SELECT c.caseNo FROM case_recusals r JOIN cases c ON c.id = r.caseId WHERE r.userId = ?`, [userId])).map((r) => r.caseNo));
}
