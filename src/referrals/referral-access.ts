import { SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { countyCondition, notRecusedSql } from '../cases/case-access';
import { REFERRAL_STAGES, Stage } from '../deadlines/stages';

type Bind = (name: string, value: unknown) => string;

/**
 * Who may see which lead (线索), within the counties the user reaches: supervisors every lead, a liaison the leads handed to them,
 * nobody else any. A lead made of a case the user is recused from is hidden from them whole
 * (its main problem and subject describe that case): the case's own scope rule (cases/case-access)
 * reaches through to its leads.
 */
function leadCondition(user: AuthUser, alias: string, bind: Bind): string {
  const county = countyCondition(user, `${alias}.countyCode`, bind);
  if (county === '1 = 0') return county;
  const parts: string[] = [county];
  if (user.role === 'liaison') parts.push(`${alias}.handlerId = ${bind('leadHandlerId', user.id)}`);
  else if (user.role !== 'supervisor') parts.push('1 = 0');
  if (user.recused !== false) {
    parts.push(`NOT EXISTS (SELECT 1 FROM referral_cases rcs WHERE rcs.referralId = ${alias}.id AND NOT (${notRecusedSql('rcs.caseId', bind('leadUserId', user.id))}))`);
  }
  return parts.length ? parts.map((p) => `(${p})`).join(' AND ') : '1 = 1';
}

export function applyReferralScope<T extends object>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'r'): SelectQueryBuilder<T> {
  const params: Record<string, unknown> = {};
  return qb.andWhere(
    leadCondition(user, alias, (name, value) => {
      params[name] = value;
      return `:${name}`;
    }),
    params,
  );
}

export function referralScopeSql(user: AuthUser, alias = 'r'): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = leadCondition(user, alias, (_name, value) => {
    params.push(value);
    return '?';
  });
  return { sql, params };
}

/**
 * Referral steps and results are never shown to township staff (DOMAIN §7): a lead is the
 * discipline body's business, and the township may be the unit reported on. County staff and the
 * liaison may know of leads (the ledger's 移交纪检 column, the case page's lead list).
 */
export function mayKnowOfLeads(user: AuthUser): boolean {
  return user.role === 'operator' || user.role === 'supervisor' || user.role === 'liaison';
}

/**
 * A case-history entry about a lead: its steps (移交, 签收, 处置方式, 办理结果, 告知举报人), and the
 * deadline entries (超期, 期限调整) of its clocks.
 */
export function isReferralEntry(h: { action: string | null; type?: string; data?: Record<string, unknown> | null }): boolean {
  if (h.action === 'refer' || (h.action ?? '').startsWith('referral-')) return true;
  return h.type === 'deadline' && REFERRAL_STAGES.includes(h.data?.stage as Stage);
}
