import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { sqlOf } from '../database/sql';
import { Referral } from './entities/referral.entity';
import { ReferralCase } from './entities/referral-case.entity';
import { applyReferralScope, referralScopeSql } from './referral-access';

/**
 * The reads of leads (线索) that need more than a find: within what the user may see of leads
 * (referral-access.ts: supervisors every lead, a liaison theirs, recusal hiding a lead whole).
 */

function visible(m: EntityManager, user: AuthUser) {
  return applyReferralScope(m.getRepository(Referral).createQueryBuilder('r'), user);
}

/** The leads the user may see, newest first (at most 1000), optionally of one status. */
export function visibleLeads(m: EntityManager, user: AuthUser, status?: string): Promise<Referral[]> {
  const qb = visible(m, user).orderBy('r.id', 'DESC').limit(1000);
  if (status) qb.andWhere('r.status = :status', { status });
  return qb.getMany();
}

/** The lead `leadNo` if the user may see it. */
export function visibleLead(m: EntityManager, user: AuthUser, leadNo: string): Promise<Referral | null> {
  return visible(m, user).andWhere('r.leadNo = :leadNo', { leadNo }).getOne();
}

/** Every lead made of the case, oldest first. */
export function leadsOfCase(m: EntityManager, caseId: number): Promise<Referral[]> {
  return m.getRepository(Referral).createQueryBuilder('r').innerJoin(ReferralCase, 'rc', 'rc.referralId = r.id').where('rc.caseId = :caseId', { caseId }).orderBy('r.id', 'ASC').getMany();
}

export interface CaseLeadRow {
  leadNo: string;
  status: string;
  disposal: string | null;
  resultDate: string | null;
  resultSummary: string | null;
}

/** The leads of the case that the user may see, oldest first: what the case page lists of them. */
export function visibleLeadsOfCase(m: EntityManager, user: AuthUser, caseId: number): Promise<CaseLeadRow[]> {
  const scope = referralScopeSql(user);
  return sqlOf(m).all<CaseLeadRow>(
    `SELECT r.leadNo, r.status, r.disposal, r.resultDate, r.resultSummary FROM referrals r JOIN referral_cases rc ON rc.referralId = r.id WHERE rc.caseId = ? AND ${scope.sql} ORDER BY r.id`,
    [caseId, ...scope.params],
  );
}
