import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import type { CaseStatus } from '../cases/case.enums';
import { CASE_SEARCH } from '../cases/case-search.repository';
import type { Case } from '../cases/entities/case.entity';
import { sqlOf } from '../database/sql';

/**
 * The SQL of likely repeats (重复件): the cases of a window around a case that share its phone,
 * ID number or subject, or whose content the full-text index finds similar. Only cases the viewer
 * may see (the one scope rule, case-access.ts, recusal included).
 */

/** What repeat detection reads of a candidate case. */
export interface RepeatCandidateRow {
  id: number;
  caseNo: string;
  receivedAt: string;
  status: CaseStatus;
  content: string;
  reporterPhone: string | null;
  reporterIdNumber: string | null;
  subjectName: string | null;
  subjectUnit: string | null;
  subjectPost: string | null;
  villageId: number | null;
  kind: Case['kind'];
  reporterType: Case['reporterType'];
  reporterName: string | null;
  problemTypes: string;
}

/** The cases received in [since, until] (instants as stored text), other than the case `selfId` (0: none yet). */
export interface RepeatWindow {
  selfId: number;
  since: string;
  until: string;
}

/** What a candidate has in common with the case. */
export type SameFacts = { reporterPhone: string } | { reporterIdNumber: string } | { subjectName: string; villageId: number };

const COLS =
  'c.id, c.caseNo, c.receivedAt, c.status, c.content, c.reporterPhone, c.reporterIdNumber, c.subjectName, c.subjectUnit, c.subjectPost, c.villageId, c.kind, c.reporterType, c.reporterName, c.problemTypes';

function sameAs(facts: SameFacts): { where: string; params: unknown[] } {
  if ('reporterPhone' in facts) return { where: 'c.reporterPhone = ?', params: [facts.reporterPhone] };
  if ('reporterIdNumber' in facts) return { where: 'c.reporterIdNumber = ?', params: [facts.reporterIdNumber] };
  return { where: 'c.subjectName = ? AND c.villageId = ?', params: [facts.subjectName, facts.villageId] };
}

/** Up to 50 cases of the window the viewer may see that share `facts` with the case. */
export function casesSharing(m: EntityManager, viewer: AuthUser, w: RepeatWindow, facts: SameFacts): Promise<RepeatCandidateRow[]> {
  const scope = caseScopeSql(viewer);
  const same = sameAs(facts);
  return sqlOf(m).all<RepeatCandidateRow>(`SELECT ${COLS} FROM cases c WHERE c.id <> ? AND c.receivedAt BETWEEN ? AND ? AND ${same.where} AND ${scope.sql} LIMIT 50`, [
    w.selfId,
    w.since,
    w.until,
    ...same.params,
    ...scope.params,
  ]);
}

/** Up to 100 cases of the window the viewer may see whose content has any of `grams`, best matches first. */
export function casesWithAnyGram(m: EntityManager, viewer: AuthUser, w: RepeatWindow, grams: string[]): Promise<RepeatCandidateRow[]> {
  const scope = caseScopeSql(viewer);
  const match = CASE_SEARCH.anyOf(grams);
  const rank = CASE_SEARCH.rankOrder.includes('?') ? [match] : [];
  return sqlOf(m).all<RepeatCandidateRow>(
    `SELECT ${COLS} FROM case_search s JOIN cases c ON ${CASE_SEARCH.join} WHERE ${CASE_SEARCH.joined('?')} AND c.id <> ? AND c.receivedAt BETWEEN ? AND ? AND ${scope.sql} ORDER BY ${CASE_SEARCH.rankOrder} LIMIT 100`,
    [match, w.selfId, w.since, w.until, ...scope.params, ...rank],
  );
}

/** The cases an operator said are not repeats of the case `caseId`. */
export async function dismissedRepeatIds(m: EntityManager, caseId: number): Promise<Set<number>> {
  return new Set((await sqlOf(m).all<{ otherId: number }>(`SELECT otherId FROM repeat_dismissals WHERE caseId = ?`, [caseId])).map((r) => r.otherId));
}

/** Village names by id, of the given villages. */
export async function villageNames(m: EntityManager, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await sqlOf(m).all<{ id: number; name: string }>(`SELECT id, name FROM villages WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return new Map(rows.map((v) => [v.id, v.name]));
}
