import { INSTANT } from '../../database/engine';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** In-app notice to one user. `eventKey` is unique, so a repeated scan never notifies twice. */
@Entity('notifications')
@Index('IDX_notifications_user_unread', ['userId', 'readAt', 'id'])
export class Notification {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'integer', nullable: true })
  caseId: number | null;

  @Column({ type: 'varchar', length: 20 })
  /** handOver: the case came to the user's desk (submitted, sent back, objection or extension decided …). */
  type: 'dueSoon' | 'overdue' | 'urged' | 'assigned' | 'handOver' | 'calendarMissing' | 'leadResult' | 'chased';

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 120 })
  eventKey: string;

  @Column({ type: 'varchar', length: 300 })
  message: string;

  @Column({ type: INSTANT })
  createdAt: Date;

  @Column({ type: INSTANT, nullable: true })
  readAt: Date | null;
}
