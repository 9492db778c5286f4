import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins counted per account (`user:<name>`) and per address (`ip:<addr>`), in the
 * database so that every instance sees the same counts.
 */
@Entity('login_throttles')
export class LoginThrottle {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ type: 'datetime' })
  windowStartedAt: Date;

  @Column({ type: 'datetime', nullable: true })
  blockedUntil: Date | null;
}
