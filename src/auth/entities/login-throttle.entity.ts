import { INSTANT } from '../../database/engine';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins counted per account (`user:<sha256 of name>`) and per address
 * (`ip:<sha256 of addr>`), and wrong status lookups (`lookup-ip:`, `lookup-case:`), in the
 * database so that every instance sees the same counts. Keys are made by `throttleKey()` only.
 */
@Entity('login_throttles')
export class LoginThrottle {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ type: INSTANT })
  windowStartedAt: Date;

  @Column({ type: INSTANT, nullable: true })
  blockedUntil: Date | null;
}
