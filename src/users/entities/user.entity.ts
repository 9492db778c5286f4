import { INSTANT } from '../../database/engine';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Township } from '../../townships/entities/township.entity';
import type { Role } from '../role';

@Entity('users')
@Index('IDX_users_region', ['regionCode'])
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  username: string;

  @Column({ type: 'varchar', length: 50 })
  displayName: string;

  /**
   * displayName as matched for recusal (nameKey: spaces and name dots left out), kept by
   * database triggers (migration NameKeys).
   */
  @Index()
  @Column({ type: 'varchar', length: 50, default: '' })
  displayNameKey: string;

  /** argon2id */
  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /**
   * Where the user works: their county's code, or for a prefecture or province supervisor the code
   * of that region (regions.code); the region's level is the user's level.
   */
  @Column({ type: 'varchar', length: 6, default: '' })
  regionCode: string;

  /** Required for township staff; the one township whose cases they see. */
  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  @ManyToOne(() => Township, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'townshipId' })
  township: Township | null;

  /** Kept so that cases naming this user (or their registered relatives) can be hidden from them (recusal). */
  @Column({ type: 'varchar', length: 18, nullable: true })
  idNumber: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ type: INSTANT, nullable: true })
  lastLoginAt: Date | null;

  @Column({ type: INSTANT, nullable: true })
  passwordChangedAt: Date | null;

  @CreateDateColumn({ type: INSTANT })
  createdAt: Date;

  @UpdateDateColumn({ type: INSTANT })
  updatedAt: Date;
}
