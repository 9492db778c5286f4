import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../../users/role';
import type { CaseStatus } from '../case.enums';
import { Case } from './case.entity';

/** transition: a workflow action (also those that keep the status); deadline: a clock went overdue or moved. */
export const HISTORY_TYPES = ['created', 'transition', 'fieldsChanged', 'note', 'deadline'] as const;
export type HistoryType = (typeof HISTORY_TYPES)[number];

/**
 * The whole-process record (全过程资料): one row per event, never updated or deleted (the
 * migrations add triggers that refuse UPDATE, DELETE and INSERT OR REPLACE). Actor name and role
 * are copied so the record stays true after a user is renamed or disabled. Written only by
 * CaseHistoryWriter (src/cases/history), typed by HistoryEntryKind and hash-chained per case.
 */
@Entity('case_history')
@Index('IDX_case_history_case_seq', ['caseId', 'seq'], { unique: true })
// the reports' entries of a period: by action and time, and visits by the visit's own date (an
// expression on the JSON data, made by the migrations: ReportIndexes)
@Index('IDX_case_history_action_at', ['action', 'at'])
@Index('IDX_case_history_visit_date', { synchronize: false })
export class CaseHistory {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  caseId: number;

  @ManyToOne(() => Case, (c) => c.history, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'caseId' })
  case: Case;

  @Column({ type: INSTANT })
  at: Date;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 50 })
  actorName: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  actorRole: Role | null;

  @Column({ type: 'varchar', length: 30 })
  type: HistoryType;

  /** Workflow action code (accept, assign, ...) for transitions. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  action: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus: CaseStatus | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  toStatus: CaseStatus | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Typed per type and action (HistoryEntryKind in src/cases/history/history-entry.ts), canonical JSON. */
  @Column({ type: 'simple-json', nullable: true })
  data: Record<string, unknown> | null;

  /** 1, 2, 3 … per case, in the order written. The default only serves ALTER TABLE; the chain trigger refuses it. */
  @Column({ type: 'integer', default: 0 })
  seq: number;

  /** The hash of the case's previous entry; null for its first. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  prevHash: string | null;

  /** SHA-256 of this entry's fields and prevHash (src/cases/history/history-chain.ts). */
  @Column({ type: 'varchar', length: 64, default: '' })
  hash: string;
}
