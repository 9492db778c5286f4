import type { EntityManager } from 'typeorm';
import type { CaseStatus, Kind, VerificationOutcome } from '../cases/case.enums';
import { toDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';

/** What the public status lookup reads of a case: its state and what masking needs, no more. */
export interface LookupCaseRow {
  id: number;
  caseNo: string;
  kind: Kind;
  status: CaseStatus;
  /** text on SQLite, a Date on PostgreSQL: read with fromDbDateTime */
  receivedAt: string | Date;
  dueDate: string | null;
  verificationOutcome: VerificationOutcome | null;
  queryCodeHash: string | null;
  replyText: string | null;
  closeReason: string | null;
  reporterName: string | null;
  subjectName: string | null;
}

export function lookupCase(m: EntityManager, caseNo: string): Promise<LookupCaseRow | undefined> {
  return sqlOf(m).get<LookupCaseRow>(
    `SELECT id, caseNo, kind, status, receivedAt, dueDate, verificationOutcome, queryCodeHash, replyText, closeReason, reporterName, subjectName FROM cases WHERE caseNo = ?`,
    [caseNo],
  );
}

/** The reason given when the case was not accepted (its latest 不予受理), or null. */
export async function notAcceptedNote(m: EntityManager, caseId: number): Promise<string | null> {
  const row = await sqlOf(m).get<{ note: string | null }>(`SELECT note FROM case_history WHERE caseId = ? AND action = 'not-accept' ORDER BY id DESC LIMIT 1`, [caseId]);
  return row?.note ?? null;
}

/** A new query code for the case (its hash); the old one stops working. */
export async function setQueryCodeHash(m: EntityManager, caseId: number, hash: string, now: Date): Promise<void> {
  await sqlOf(m).run('UPDATE cases SET queryCodeHash = ?, updatedAt = ?, version = version + 1 WHERE id = ?', [hash, toDbDateTime(now), caseId]);
}
