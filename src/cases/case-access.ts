import { SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { COUNTY_CASE_ROLES } from '../users/role';

/**
 * Who may read which case (DOMAIN §2), as a condition on alias `c`. Every read of cases goes
 * through here, so a township user asking for another township's case finds nothing and gets
 * the same 404 as for a case that does not exist.
 * - operator, supervisor: every case;
 * - township: cases of their township once handed over (assignedAt set);
 * - liaison: the cases of leads referred to them; admin: none.
 * - nobody: a case whose subject is them or their registered close relative (recusal).
 */
/**
 * The recusal rule as an SQL condition: the case `caseExpr` is not hidden from the user
 * `userExpr` (both SQL expressions: a column, a bound parameter, or a number). One wording for
 * the scope of every read path, the intake's repeat link, repeat suggestions and notices.
 */
export function notRecusedSql(caseExpr: string, userExpr: string): string {
  return `NOT EXISTS (SELECT 1 FROM case_recusals r WHERE r.caseId = ${caseExpr} AND r.userId = ${userExpr})`;
}

export function applyCaseScope<T extends object>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'c'): SelectQueryBuilder<T> {
  // Recusal: a case about the user or their registered close relative does not exist for them.
  // Checked only for users who have any (known at sign-in of each request), so big counts stay cheap.
  if (user.recused) {
    qb.andWhere(notRecusedSql(`${alias}.id`, ':scopeUserId'), { scopeUserId: user.id });
  }
  if (COUNTY_CASE_ROLES.includes(user.role)) return qb;
  if (user.role === 'township' && user.townshipId) {
    return qb.andWhere(`${alias}.townshipId = :scopeTownshipId AND ${alias}.assignedAt IS NOT NULL`, { scopeTownshipId: user.townshipId });
  }
  if (user.role === 'liaison') {
    // Only the cases of leads referred to this liaison.
    return qb.andWhere(
      `${alias}.id IN (SELECT rc.caseId FROM referral_cases rc JOIN referrals rf ON rf.id = rc.referralId WHERE rf.handlerId = :scopeLiaisonId)`,
      { scopeLiaisonId: user.id },
    );
  }
  return qb.andWhere('1 = 0');
}

export function canReadCases(user: AuthUser): boolean {
  return COUNTY_CASE_ROLES.includes(user.role) || (user.role === 'township' && !!user.townshipId);
}
