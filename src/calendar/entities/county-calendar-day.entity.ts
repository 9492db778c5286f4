import { INSTANT } from '../../database/engine';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DayType } from '../work-calendar';

/**
 * A day one county keeps differently from the national calendar (calendar_days): a local rest day
 * or a working day. It overlays the national day of the same date for that county only. No row:
 * the county follows the national calendar.
 */
@Entity('county_calendar_days')
export class CountyCalendarDay {
  /** The county's six-digit division code (regions.code). */
  @PrimaryColumn({ type: 'varchar', length: 6 })
  countyCode: string;

  /** YYYY-MM-DD, Shanghai. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 10 })
  type: DayType;

  @Column({ type: 'varchar', length: 20 })
  name: string;

  @Column({ type: INSTANT })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 50 })
  updatedBy: string;
}
