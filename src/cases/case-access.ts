import { SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { COUNTY_CASE_ROLES } from '../users/role';

/**
 * Who may read which case (DOMAIN §2). The one rule: every query that lists, counts, suggests,
 * exports or notifies about cases takes its condition from here, as a TypeORM condition
 * (applyCaseScope) or as SQL with positional parameters (caseScopeSql). Both are written by
 * scopeCondition below, so they cannot drift apart; a test checks them against the rule stated
 * independently in JavaScript.
 * - everyone: only cases of the counties they reach (AuthUser.countyCodes: their county, or the
 *   counties below their prefecture or province; none if unknown);
 * - operator, supervisor: every case of those counties;
 * - township: cases of their township once handed over (assignedAt set);
 * - liaison: the cases of leads referred to them; admin, or anyone else: none;
 * - nobody: a case whose subject is them or their registered close relative (recusal). A case a
 *   user is recused from does not exist for them: 404 on its page, and absent from every list,
 *   count, suggestion, export and notice.
 */

/**
 * The recusal rule as an SQL condition: the case `caseExpr` is not hidden from the user
 * `userExpr` (both SQL expressions: a column, a bound parameter, or a number). Used inside the
 * scope below, and directly where the reader is not one user but a set of recipients (the
 * deadline scan's notices).
 */
export function notRecusedSql(caseExpr: string, userExpr: string): string {
  return `NOT EXISTS (SELECT 1 FROM case_recusals r WHERE r.caseId = ${caseExpr} AND r.userId = ${userExpr})`;
}

/** Binds a value and returns its placeholder. */
export type Bind = (name: string, value: unknown) => string;

/**
 * The county rule, for every record that belongs to a county (cases, leads, registers, spot
 * checks, townships): a user reaches the counties in AuthUser.countyCodes (their own, or those
 * below their prefecture or province), and nothing when that is unknown. `column` is the SQL
 * expression of the record's county code.
 */
export function countyCondition(user: AuthUser, column: string, bind: Bind): string {
  const counties = user.countyCodes ?? [];
  if (!counties.length) return '1 = 0';
  return counties.length === 1
    ? `${column} = ${bind('scopeCounty', counties[0])}`
    : `${column} IN (${counties.map((c, i) => bind(`scopeCounty${i}`, c)).join(', ')})`;
}

/** True when the user reaches the county (the JavaScript statement of countyCondition). */
export function reachesCounty(user: AuthUser, countyCode: string | null | undefined): boolean {
  return !!countyCode && (user.countyCodes ?? []).includes(countyCode);
}

function scopeCondition(user: AuthUser, alias: string, bind: Bind): string {
  // The county first: a user who reaches no county sees nothing (and binds nothing).
  const county = countyCondition(user, `${alias}.countyCode`, bind);
  if (county === '1 = 0') return county;
  const parts: string[] = [county];
  // Recusal. Skipped only for users known to have none (`recused === false`, set at sign-in of
  // each request), so big counts stay cheap; an actor built without that knowledge is checked.
  if (user.recused !== false) parts.push(notRecusedSql(`${alias}.id`, bind('scopeUserId', user.id)));
  if (COUNTY_CASE_ROLES.includes(user.role)) {
    // every case of those counties
  } else if (user.role === 'township' && user.townshipId) {
    parts.push(`${alias}.townshipId = ${bind('scopeTownshipId', user.townshipId)} AND ${alias}.assignedAt IS NOT NULL`);
  } else if (user.role === 'liaison') {
    // Only the cases of leads referred to this liaison.
    parts.push(`${alias}.id IN (SELECT rc.caseId FROM referral_cases rc JOIN referrals rf ON rf.id = rc.referralId WHERE rf.handlerId = ${bind('scopeLiaisonId', user.id)})`);
  } else {
    parts.push('1 = 0');
  }
  return parts.length ? parts.map((p) => `(${p})`).join(' AND ') : '1 = 1';
}

/** The scope as a condition on the query builder's alias (named parameters). */
export function applyCaseScope<T extends object>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'c'): SelectQueryBuilder<T> {
  const params: Record<string, unknown> = {};
  const sql = scopeCondition(user, alias, (name, value) => {
    params[name] = value;
    return `:${name}`;
  });
  return qb.andWhere(sql, params);
}

/**
 * The scope as SQL text for raw queries, with its positional parameters in order: put `sql` in
 * the WHERE clause where its `?` fall, and spread `params` there.
 */
export function caseScopeSql(user: AuthUser, alias = 'c'): { sql: string; params: unknown[]; everything: boolean; counties: readonly string[] | null } {
  const params: unknown[] = [];
  const sql = scopeCondition(user, alias, (_name, value) => {
    params.push(value);
    return '?';
  });
  // every case of the database is never in scope now that cases carry their county: callers
  // always apply the condition (kept for callers that skip a join when it holds)
  return { sql, params, everything: sql === '1 = 1', counties: wholeCounties(user) };
}

/**
 * The counties whose every case the user sees, when the scope is exactly that (the county rule
 * alone: a county role with no recusal, `recused === false`); null otherwise. Counts over those
 * may be read from per-county tallies (case_tallies) instead of the cases one by one.
 */
function wholeCounties(user: AuthUser): readonly string[] | null {
  const counties = user.countyCodes ?? [];
  return counties.length && user.recused === false && COUNTY_CASE_ROLES.includes(user.role) ? counties : null;
}
