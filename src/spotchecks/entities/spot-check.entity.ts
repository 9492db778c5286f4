import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** 随机抽查: a random sample of closed cases drawn by a supervisor for callback checks (seed 003). */
@Entity('spot_checks')
export class SpotCheck {
  @PrimaryGeneratedColumn()
  id: number;

  /** The county (行政区划代码) it belongs to. */
  @Column({ type: 'varchar', length: 6, default: '' })
  countyCode: string;

  @Column({ type: INSTANT })
  drawnAt: Date;

  @Column({ type: 'integer' })
  drawnById: number;

  @Column({ type: 'varchar', length: 50 })
  drawnByName: string;

  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  /** Period of closing, YYYY-MM-DD inclusive. */
  @Column({ type: 'varchar', length: 10 })
  fromDate: string;

  @Column({ type: 'varchar', length: 10 })
  toDate: string;

  /** How many closed cases the period had (the sample is drawn from them). */
  @Column({ type: 'integer' })
  population: number;
}

export const SPOT_RESULTS = ['confirmed', 'problem', 'unreachable'] as const;
export type SpotResult = (typeof SPOT_RESULTS)[number];
export const SPOT_RESULT_LABELS: Record<SpotResult, string> = { confirmed: '核实无误，群众满意', problem: '发现问题', unreachable: '无法联系' };

@Entity('spot_check_items')
@Index(['caseId'])
export class SpotCheckItem {
  @PrimaryColumn({ type: 'integer' })
  spotCheckId: number;

  @PrimaryColumn({ type: 'integer' })
  caseId: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  result: SpotResult | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: INSTANT, nullable: true })
  checkedAt: Date | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  checkedByName: string | null;
}
