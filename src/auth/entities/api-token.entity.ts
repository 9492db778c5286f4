import { INSTANT } from '../../database/engine';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../users/entities/user.entity';

/** Bearer tokens of the JSON API. Only a SHA-256 of the token is stored. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Index()
  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: User;

  @CreateDateColumn({ type: INSTANT })
  createdAt: Date;

  /** Sliding: moved forward on use, like a session's idle expiry. */
  @Index()
  @Column({ type: INSTANT })
  expiresAt: Date;

  @Column({ type: INSTANT })
  lastUsedAt: Date;
}
