import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Unit } from '../../calendar/work-calendar';
import { Case } from '../../cases/entities/case.entity';
import type { Stage } from '../stages';

export type DeadlineStatus = 'open' | 'met' | 'paused' | 'cancelled';
export type DueState = 'ok' | 'dueSoon' | 'overdue';

/**
 * One clock of one case. Open clocks are what the scan watches and what a calendar or rule
 * change recomputes; closed ones stay as the record of whether the stage was on time.
 */
@Entity('case_deadlines')
@Index('IDX_case_deadlines_open_due', ['status', 'dueState', 'dueDate'])
@Index('IDX_case_deadlines_case', ['caseId', 'stage', 'referralId', 'status', 'late', 'dueDate'])
// the reports: clocks closed since a day (overdue as it stood then), notices due in a period
@Index('IDX_case_deadlines_closed', ['closedAt'], { where: '"closedAt" IS NOT NULL' })
@Index('IDX_case_deadlines_notice_due', ['dueDate'], { where: "\"stage\" = 'receiptNotice'" })
export class CaseDeadline {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  caseId: number;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'caseId' })
  case: Case;

  @Column({ type: 'varchar', length: 30 })
  stage: Stage;

  /** Set for the clocks of a referral (liaison sign-for, reporter notices); caseId is its first case. */
  @Column({ type: 'integer', nullable: true })
  referralId: number | null;

  /** The day the clock started (YYYY-MM-DD, Shanghai); counting starts the next day. */
  @Column({ type: 'varchar', length: 10 })
  startDate: string;

  @Column({ type: 'integer' })
  limitValue: number;

  @Column({ type: 'varchar', length: 10 })
  unit: Unit;

  @Column({ type: 'integer', nullable: true })
  ruleId: number | null;

  /** Days added by approved extensions, in `unit`. */
  @Column({ type: 'integer', default: 0 })
  extension: number;

  /** Last day (YYYY-MM-DD); null while the range reaches a year with no calendar. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  dueDate: string | null;

  /** The year without a calendar that stopped the computation. */
  @Column({ type: 'integer', nullable: true })
  missingYear: number | null;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: DeadlineStatus;

  @Column({ type: 'varchar', length: 10, default: 'ok' })
  dueState: DueState;

  /** Working days left when the clock was paused (objection pending). */
  @Column({ type: 'integer', nullable: true })
  remaining: number | null;

  @Column({ type: INSTANT })
  createdAt: Date;

  @Column({ type: INSTANT, nullable: true })
  closedAt: Date | null;

  /** Met after its due date. */
  @Column({ type: 'boolean', nullable: true })
  late: boolean | null;
}
