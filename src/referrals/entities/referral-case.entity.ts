import { Entity, Index, PrimaryColumn } from 'typeorm';

/** The cases a lead was made of (one lead may bundle several reports about the same person). */
@Entity('referral_cases')
@Index(['caseId'])
export class ReferralCase {
  @PrimaryColumn({ type: 'integer' })
  referralId: number;

  @PrimaryColumn({ type: 'integer' })
  caseId: number;
}
