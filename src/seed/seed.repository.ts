import type { EntityManager } from 'typeorm';
import { MISCONDUCT_PROBLEM_TYPES } from '../cases/case.enums';
import { toDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';

/** The demo seed's reads: which of the seeded cases the later steps (leads, repeats, reviews) act on. */

/** Up to four open complaints about misconduct (anonymous ones first), to refer as leads. */
export function misconductComplaints(m: EntityManager): Promise<{ id: number; caseNo: string; reporterType: string }[]> {
  return sqlOf(m).all(
    `SELECT c.id, c.caseNo, c.reporterType FROM cases c
     WHERE c.kind = 'complaint' AND c.status NOT IN ('registered', 'closed')
       AND EXISTS (SELECT 1 FROM case_problem_types p WHERE p.caseId = c.id AND p.problemType IN (${MISCONDUCT_PROBLEM_TYPES.map(() => '?').join(', ')}))
     ORDER BY CASE WHEN c.reporterType = 'realName' THEN 1 ELSE 0 END, c.id LIMIT 4`,
    [...MISCONDUCT_PROBLEM_TYPES],
  );
}

/** Up to three open help requests, each with the case before it of the same kind and program in its township. */
export function helpRequestRepeats(m: EntityManager): Promise<{ repeat: string; original: string }[]> {
  return sqlOf(m).all(
    `SELECT repeat, original FROM (
       SELECT a.id, a.caseNo AS repeat,
         (SELECT b.caseNo FROM cases b WHERE b.townshipId = a.townshipId AND b.kind = a.kind AND b.program = a.program AND b.id < a.id ORDER BY b.id DESC LIMIT 1) AS original
       FROM cases a WHERE a.kind = 'helpRequest' AND a.status <> 'closed') x
     WHERE original IS NOT NULL ORDER BY id LIMIT 3`,
  );
}

/** The two latest real-name cases closed to the reporter's satisfaction in [from, until). */
export function satisfiedClosedCases(m: EntityManager, from: Date, until: Date): Promise<{ caseNo: string }[]> {
  return sqlOf(m).all(
    `SELECT caseNo FROM cases WHERE status = 'closed' AND reporterType = 'realName' AND closeReason IN ('satisfied', 'basicallySatisfied') AND closedAt >= ? AND closedAt < ? ORDER BY closedAt DESC LIMIT 2`,
    [toDbDateTime(from), toDbDateTime(until)],
  );
}

/** Three 低保 cases past the township's hand-over, those not closed first, newest first. */
export function dibaoCasesHandedBack(m: EntityManager): Promise<{ caseNo: string }[]> {
  return sqlOf(m).all(
    `SELECT caseNo FROM cases WHERE program IN ('urbanDibao', 'ruralDibao') AND status IN ('verifying', 'inReview', 'approved', 'closed') ORDER BY status = 'closed', id DESC LIMIT 3`,
  );
}
