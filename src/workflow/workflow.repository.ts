import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { sqlOf } from '../database/sql';

/** The reads of the case page and the workflow that are not a plain find. */

/** The number of the case `caseId` if the user may see it (the one scope rule), else null. */
export async function visibleCaseNo(m: EntityManager, user: AuthUser, caseId: number): Promise<string | null> {
  const scope = caseScopeSql(user);
  const row = await sqlOf(m).get<{ caseNo: string }>(`SELECT c.caseNo FROM cases c WHERE c.id = ? AND ${scope.sql}`, [caseId, ...scope.params]);
  return row?.caseNo ?? null;
}
