import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Program } from '../../cases/case.enums';

/**
 * 近亲属备案: a staff member or village cadre whose close relative receives (or applies for)
 * assistance in their area. Cases naming the relative are flagged 单独登记 and need a county home
 * visit before approval; cases about the relative are hidden from the staff member (recusal).
 */
@Entity('relative_registrations')
@Index(['relativeIdNumber'])
@Index(['relativeNameKey', 'villageId'])
@Index(['staffUserId'])
export class RelativeRegistration {
  @PrimaryGeneratedColumn()
  id: number;

  /** The county (行政区划代码) it belongs to. */
  @Column({ type: 'varchar', length: 6, default: '' })
  countyCode: string;

  @Column({ type: 'varchar', length: 50 })
  staffName: string;

  @Column({ type: 'varchar', length: 50 })
  staffPost: string;

  @Column({ type: 'varchar', length: 100 })
  staffUnit: string;

  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  @Column({ type: 'integer', nullable: true })
  villageId: number | null;

  /** The staff member's account, when they have one (matched by name and township). */
  @Column({ type: 'integer', nullable: true })
  staffUserId: number | null;

  /** Appointment date (YYYY-MM-DD): registration is due within one month of it (seed 002). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  appointedAt: string | null;

  /**
   * When the registration is due: the appointment date plus the editable relativeRegistration
   * rule (DeadlinesService.dueOf); recomputed with the case clocks when a rule or the
   * calendar changes. Null without an appointment date, or while the calendar lacks the year.
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  dueDate: string | null;

  @Column({ type: 'varchar', length: 50 })
  relativeName: string;

  /** relativeName as matched (nameKey: spaces and name dots left out), kept by database triggers. */
  @Column({ type: 'varchar', length: 50, default: '' })
  relativeNameKey: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  relativeIdNumber: string | null;

  /** 配偶, 父母, 子女, 兄弟姐妹 … */
  @Column({ type: 'varchar', length: 20 })
  relationship: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  program: Program | null;

  /** When the relative's assistance began (YYYY-MM-DD). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  startDate: string | null;

  /** Filed with the county (YYYY-MM-DD); null while still due. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  registeredAt: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  homeVisitDate: string | null;

  /** 县级入户核查结果 */
  @Column({ type: 'text', nullable: true })
  homeVisitResult: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  endedAt: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  endReason: string | null;

  @Column({ type: INSTANT })
  createdAt: Date;

  @Column({ type: INSTANT })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 50 })
  updatedBy: string;
}
