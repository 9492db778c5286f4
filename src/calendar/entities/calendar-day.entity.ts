import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DayType } from '../work-calendar';

/** A day that differs from the Monday-to-Friday rule: a holiday rest day or a make-up working day. */
@Entity('calendar_days')
@Index(['year'])
export class CalendarDay {
  /** YYYY-MM-DD, Shanghai. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 10 })
  type: DayType;

  /** 春节, 国庆节 …; for a make-up day, the holiday it makes up for. */
  @Column({ type: 'varchar', length: 20 })
  name: string;
}
