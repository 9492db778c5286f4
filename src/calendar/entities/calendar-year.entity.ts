import { INSTANT } from '../../database/engine';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A year whose State Council holiday notice is in the calendar. No row: no calendar for that year. */
@Entity('calendar_years')
export class CalendarYear {
  @PrimaryColumn({ type: 'integer' })
  year: number;

  /** The notice, e.g. 国务院办公厅关于2026年部分节假日安排的通知. */
  @Column({ type: 'varchar', length: 200 })
  source: string;

  @Column({ type: INSTANT })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 50 })
  updatedBy: string;
}
