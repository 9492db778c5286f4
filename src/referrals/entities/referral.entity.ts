import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ReporterType } from '../../cases/case.enums';

export const REFERRAL_STATUSES = ['referred', 'acknowledged', 'disposed', 'resultReturned'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const DISPOSALS = ['talk', 'preliminary', 'shelve', 'close'] as const;
export type Disposal = (typeof DISPOSALS)[number];

/**
 * 线索移交: a lead of misconduct handed to the discipline-inspection body, numbered, with its
 * package, and tracked until the result comes back (DOMAIN §5 referral branch).
 */
@Entity('referrals')
@Index(['handlerId', 'status'])
export class Referral {
  @PrimaryGeneratedColumn()
  id: number;

  /** XS2026-141099-0001 (before counties: XS2026-0001) */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20 })
  leadNo: string;

  /** The county (行政区划代码) it belongs to. */
  @Column({ type: 'varchar', length: 6, default: '' })
  countyCode: string;

  /** 线索来源 */
  @Column({ type: 'varchar', length: 100 })
  source: string;

  @Column({ type: 'text' })
  mainProblem: string;

  /** 前期核查情况 */
  @Column({ type: 'text', nullable: true })
  verificationSoFar: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  subjectName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  subjectUnit: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  subjectPost: string | null;

  @Column({ type: 'varchar', length: 12 })
  reporterType: ReporterType;

  /** Copied at referral: the discipline body must reach a real-name reporter. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  reporterName: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  reporterPhone: string | null;

  /** 附件清单, one item a line. */
  @Column({ type: 'text', nullable: true })
  attachments: string | null;

  /** The liaison handling it. */
  @Column({ type: 'integer' })
  handlerId: number;

  @Column({ type: 'varchar', length: 20 })
  status: ReferralStatus;

  @Column({ type: INSTANT })
  referredAt: Date;

  @Column({ type: 'integer' })
  referredById: number;

  @Column({ type: 'varchar', length: 50 })
  referredByName: string;

  @Column({ type: INSTANT, nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  disposal: Disposal | null;

  @Column({ type: 'text', nullable: true })
  disposalNote: string | null;

  @Column({ type: INSTANT, nullable: true })
  disposedAt: Date | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  resultDate: string | null;

  @Column({ type: 'text', nullable: true })
  resultSummary: string | null;

  @Column({ type: INSTANT, nullable: true })
  resultReturnedAt: Date | null;

  /** Real-name reports: acceptance notice and result feedback to the reporter (15 working days each). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  reporterNoticeDate: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  reporterFeedbackDate: string | null;
}
