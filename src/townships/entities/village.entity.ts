import { INSTANT } from '../../database/engine';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Township } from './township.entity';

/** 村(社区) within a township. */
@Entity('villages')
@Index(['townshipId', 'name'], { unique: true })
export class Village {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  townshipId: number;

  @ManyToOne(() => Township, (t) => t.villages, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'townshipId' })
  township: Township;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  /** 村 or 社区 */
  @Column({ type: 'varchar', length: 10, default: '村' })
  type: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: INSTANT })
  createdAt: Date;
}
