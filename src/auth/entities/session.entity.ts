import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** express-session rows: sessions survive restarts and are shared by instances. */
@Entity('sessions')
export class SessionRow {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid: string;

  @Index()
  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'text' })
  data: string;

  @Index()
  @Column({ type: INSTANT })
  expiresAt: Date;
}
