import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Unit } from '../../calendar/work-calendar';
import type { Kind, Program } from '../../cases/case.enums';
import type { Stage } from '../stages';

/** One limit: stage × kind × program → n working or calendar days, with its legal source. */
@Entity('deadline_rules')
@Index(['stage', 'kind', 'program'], { unique: true })
export class DeadlineRule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 30 })
  stage: Stage;

  /** null: any kind. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  kind: Kind | null;

  /** null: any program. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  program: Program | null;

  @Column({ type: 'integer' })
  limitValue: number;

  @Column({ type: 'varchar', length: 10 })
  unit: Unit;

  /** Most an approved extension may add, in the same unit (0: not extendable). */
  @Column({ type: 'integer', default: 0 })
  maxExtension: number;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: INSTANT })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 50 })
  updatedBy: string;
}
