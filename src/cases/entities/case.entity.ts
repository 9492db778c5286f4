import { INSTANT } from '../../database/engine';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Township } from '../../townships/entities/township.entity';
import { Village } from '../../townships/entities/village.entity';
import { User } from '../../users/entities/user.entity';
import type { CallbackResult, CaseStatus, Channel, CloseReason, Kind, NoticeKind, NoticeMethod, ProblemType, Program, RecheckResult, ReporterType, ReviewState, Urgency, VerificationOutcome } from '../case.enums';
import { CaseHistory } from './case-history.entity';
import { CaseProblemType } from './case-problem-type.entity';

/**
 * 件: one matter raised by one person at one time. Lists are read newest first with keyset
 * pagination on (receivedAt, id); each filter has an index that ends with those two columns.
 */
@Entity('cases')
@Index('IDX_cases_received', ['receivedAt', 'id'])
@Index('IDX_cases_township_received', ['countyCode', 'townshipId', 'receivedAt', 'id'])
@Index('IDX_cases_status_received', ['countyCode', 'status', 'receivedAt', 'id'])
@Index('IDX_cases_kind_received', ['countyCode', 'kind', 'receivedAt', 'id'])
@Index('IDX_cases_program_received', ['countyCode', 'program', 'receivedAt', 'id'])
@Index('IDX_cases_channel_received', ['countyCode', 'channel', 'receivedAt', 'id'])
// Partial: only cases with a running township clock are in them, so intake does not pay for them.
@Index('IDX_cases_township_due', ['townshipId', 'dueDate'], { where: '"dueDate" IS NOT NULL' })
// the list by deadline and the overdue / due-soon filters (keyset on dueDate, id)
@Index('IDX_cases_due', ['dueDate', 'id'], { where: '"dueDate" IS NOT NULL' })
// the reports' cases closed in a period
@Index('IDX_cases_closed', ['closedAt', 'id'], { where: '"closedAt" IS NOT NULL' })
@Index('IDX_cases_due_state', ['dueState', 'townshipId'], { where: '"dueState" IS NOT NULL' })
@Index('IDX_cases_pending_extension', ['pendingExtensionDays'], { where: '"pendingExtensionDays" IS NOT NULL' })
// The search box's name lookups: indexes on nameKeySql(reporterName) and (subjectName), partial
// (most cases name nobody), made by migration CaseNameKeys; TypeORM has no words for an index on
// an expression, so it is told to leave them alone.
// A county's cases newest first: every list and count starts with the viewer's county.
@Index('IDX_cases_county_received', ['countyCode', 'receivedAt', 'id'])
// the on-time figures: a county's cases of a period with all they count, read from the index alone
@Index('IDX_cases_county_timeliness', ['countyCode', 'receivedAt', 'kind', 'callbackResult', 'clocksLate', 'clocksMet', 'clocksOpen', 'clocksOpenDue'])
@Index('IDX_cases_reporter_name_key', { synchronize: false })
@Index('IDX_cases_subject_name_key', { synchronize: false })
export class Case {
  @PrimaryGeneratedColumn()
  id: number;

  /** Readable number: prefix and year, the county's code, the sequence (JZ2026-141099-000123; before counties: JZ2026-000123). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20 })
  caseNo: string;

  /** The county (行政区划代码) the case belongs to, from the registering office. */
  @Column({ type: 'varchar', length: 6, default: '' })
  countyCode: string;

  @Column({ type: 'varchar', length: 20 })
  channel: Channel;

  @Column({ type: 'varchar', length: 20 })
  kind: Kind;

  @Column({ type: 'varchar', length: 30 })
  program: Program;

  /** Comma-separated copy of case_problem_types for display; filtering uses the join table. */
  @Column({ type: 'simple-array', default: '' })
  problemTypes: ProblemType[];

  @OneToMany(() => CaseProblemType, (p) => p.case, { cascade: ['insert'] })
  problemTypeRows: CaseProblemType[];

  @Column({ type: 'varchar', length: 12 })
  reporterType: ReporterType;

  @Column({ type: 'varchar', length: 50, nullable: true })
  reporterName: string | null;

  @Index()
  @Column({ type: 'varchar', length: 20, nullable: true })
  reporterPhone: string | null;

  @Index()
  @Column({ type: 'varchar', length: 18, nullable: true })
  reporterIdNumber: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reporterAddress: string | null;

  /** 未成年人: the reporter is a minor (ticked at intake, or read from the ID number's birth date). Never named in public output. */
  @Column({ type: 'boolean', default: false })
  reporterMinor: boolean;

  /**
   * 所在乡镇: where the matter is. Once the case is assigned this is the township handling it
   * (re-assignment updates it and writes history).
   */
  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  @ManyToOne(() => Township, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'townshipId' })
  township: Township | null;

  @Column({ type: 'integer', nullable: true })
  villageId: number | null;

  @ManyToOne(() => Village, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'villageId' })
  village: Village | null;

  /** 被反映人 */
  @Column({ type: 'varchar', length: 50, nullable: true })
  subjectName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  subjectUnit: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  subjectPost: string | null;

  /** The person the matter is about is a minor (e.g. a child in a household's assistance). */
  @Column({ type: 'boolean', default: false })
  subjectMinor: boolean;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'varchar', length: 12, default: 'normal' })
  urgency: Urgency;

  @Column({ type: 'varchar', length: 20 })
  status: CaseStatus;

  /** When the bureau received the matter (back-dated for letters). Deadlines count from here. */
  @Column({ type: INSTANT })
  receivedAt: Date;

  /** First hand-over to the township; township staff see a case only from then on. */
  @Column({ type: INSTANT, nullable: true })
  assignedAt: Date | null;

  @Column({ type: INSTANT, nullable: true })
  closedAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  closeReason: CloseReason | null;

  /** Township signed for it (签收). */
  @Column({ type: INSTANT, nullable: true })
  acknowledgedAt: Date | null;

  /** The township's current deadline (YYYY-MM-DD): its open acknowledge, verify or redo clock. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  dueDate: string | null;

  /** null while no township clock runs. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  dueState: 'ok' | 'dueSoon' | 'overdue' | null;

  /** A deadline of this case reaches a year with no holiday calendar. */
  @Column({ type: 'integer', nullable: true })
  calendarMissingYear: number | null;

  /**
   * A supervisor disclosed the reporter to this township, with a written reason (信访工作条例
   * Art. 30 allows it only so). Every later view there is audited.
   */
  @Column({ type: 'integer', nullable: true })
  reporterDisclosedToTownshipId: number | null;

  @Column({ type: 'text', nullable: true })
  reporterDisclosureReason: string | null;

  /**
   * HMAC of the 6-digit query code read out to the reporter at intake (件件有回应): with the case
   * number it opens the public status page. The code itself is never stored.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  queryCodeHash: string | null;

  /** 重复件: the earlier case this one repeats (linked by the operator, counted separately). */
  @Column({ type: 'integer', nullable: true })
  repeatOfId: number | null;

  /** 单独登记: the reporter or subject matches a close-relative registration. */
  @Column({ type: 'boolean', default: false })
  relativeFlag: boolean;

  @Column({ type: 'integer', nullable: true })
  relativeRegistrationId: number | null;

  /** County home visit recorded (required before approving a 单独登记 case). */
  @Column({ type: INSTANT, nullable: true })
  countyVisitAt: Date | null;

  /** 督办: the latest urging, shown prominently to the township. */
  @Column({ type: INSTANT, nullable: true })
  urgedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  urgeNote: string | null;

  /**
   * The reply to the reporter (答复意见), its own text, never the internal notes: drafted by the
   * township when it submits, edited and approved by the county on approval (or written by the
   * county when it answers on the spot). Only the approved text reaches the reporter, masked.
   */
  @Column({ type: 'text', nullable: true })
  replyDraft: string | null;

  @Column({ type: 'text', nullable: true })
  replyText: string | null;

  @Column({ type: INSTANT, nullable: true })
  replyApprovedAt: Date | null;

  /**
   * 书面告知 (《信访工作条例》第二十三条): which written notice the reporter got, how and on which day.
   * Its 15-day clock (receiptNotice) runs from the receipt and stops when this is recorded.
   */
  @Column({ type: 'varchar', length: 20, nullable: true })
  receiptNoticeKind: NoticeKind | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  receiptNoticeMethod: NoticeMethod | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  receiptNoticeDate: string | null;

  /** 复查/复核 of the closed case (《信访工作条例》第三十五条、第三十六条); null while none was asked for. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  reviewState: ReviewState | null;

  /** The day of the last review decision (YYYY-MM-DD): the window for asking 复核 runs from it. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  reviewDecidedOn: string | null;

  /** A 低保 recipient's date of death: the 3-month household re-check (deathRecheck) runs from it. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  recipientDeathDate: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  deathRecheckResult: RecheckResult | null;

  @Column({ type: 'integer', default: 0 })
  urgeCount: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  verificationOutcome: VerificationOutcome | null;

  @Column({ type: INSTANT, nullable: true })
  verifiedAt: Date | null;

  @Column({ type: INSTANT, nullable: true })
  feedbackAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  callbackResult: CallbackResult | null;

  @Column({ type: 'integer', default: 0 })
  callbackAttempts: number;

  /** An extension the township asked for, waiting for the supervisor. */
  @Column({ type: 'integer', nullable: true })
  pendingExtensionDays: number | null;

  @Column({ type: 'text', nullable: true })
  pendingExtensionReason: string | null;

  /*
   * What the case's clocks say about its timeliness (the on-time figures read these, not the
   * clocks): written by the database's triggers on case_deadlines only (migration CaseTimeliness),
   * never by the app, so TypeORM neither writes nor reads them.
   */
  /** A timeliness clock was met late. */
  @Column({ type: 'boolean', default: false, insert: false, update: false, select: false })
  clocksLate: boolean;

  /** The township finished (its verify or redo clock met). */
  @Column({ type: 'boolean', default: false, insert: false, update: false, select: false })
  clocksMet: boolean;

  /** A timeliness clock still runs. */
  @Column({ type: 'boolean', default: false, insert: false, update: false, select: false })
  clocksOpen: boolean;

  /** The earliest due date (YYYY-MM-DD) of the timeliness clocks still running. */
  @Column({ type: 'varchar', length: 10, nullable: true, insert: false, update: false, select: false })
  clocksOpenDue: string | null;

  @Column({ type: 'integer' })
  createdById: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'createdById' })
  createdBy: User;

  @CreateDateColumn({ type: INSTANT })
  createdAt: Date;

  @UpdateDateColumn({ type: INSTANT })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;

  @OneToMany(() => CaseHistory, (h) => h.case)
  history: CaseHistory[];
}
