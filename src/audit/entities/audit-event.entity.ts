import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only record of sensitive actions that are not case transitions: user administration,
 * sign-ins, and (reporter protection) disclosures and views of unmasked identities.
 */
@Entity('audit_events')
@Index(['targetType', 'targetId'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: INSTANT })
  at: Date;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 50 })
  actorName: string;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'varchar', length: 30 })
  targetType: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  targetId: string | null;

  @Column({ type: 'simple-json', nullable: true })
  detail: Record<string, unknown> | null;
}
