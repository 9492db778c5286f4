import { INSTANT } from '../../database/engine';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Unit } from '../../calendar/work-calendar';

/**
 * One county's own limit for one shared rule (deadline_rules): its days, their unit and the most
 * an extension may add, with the county's own source. No row: the county follows the shared rule.
 * Keyed by the shared rule, not by stage × kind × program: those may be NULL ("any"), and a
 * unique index treats NULLs as distinct on both engines, so it would not keep one row per key.
 */
@Entity('county_deadline_rules')
export class CountyDeadlineRule {
  /** The county's six-digit division code (regions.code). */
  @PrimaryColumn({ type: 'varchar', length: 6 })
  countyCode: string;

  /** The shared rule this row overrides for the county (deadline_rules.id). */
  @PrimaryColumn({ type: 'integer' })
  ruleId: number;

  @Column({ type: 'integer' })
  limitValue: number;

  @Column({ type: 'varchar', length: 10 })
  unit: Unit;

  @Column({ type: 'integer', default: 0 })
  maxExtension: number;

  /** The county's basis for its own limit (e.g. its bureau's notice). */
  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: INSTANT })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 50 })
  updatedBy: string;
}
