import { INSTANT } from '../../database/engine';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who runs a scheduled job now: instances sharing a database take turns through this row. */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name: string;

  @Column({ type: 'varchar', length: 80 })
  holder: string;

  @Column({ type: INSTANT })
  expiresAt: Date;

  @Column({ type: INSTANT, nullable: true })
  lastRunAt: Date | null;

  @Column({ type: 'simple-json', nullable: true })
  lastResult: Record<string, unknown> | null;
}
