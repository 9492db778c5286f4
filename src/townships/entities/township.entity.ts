import { INSTANT } from '../../database/engine';
import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Village } from './village.entity';

/** 乡镇/街道: every case belongs to one once assigned. */
@Entity('townships')
// a name is unique within its county (two counties may each have a 城关镇)
@Index('IDX_townships_county_name', ['countyCode', 'name'], { unique: true })
export class Township {
  @PrimaryGeneratedColumn()
  id: number;

  /** Administrative division code, e.g. 140123101. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  /** The county (行政区划代码) it belongs to. */
  @Column({ type: 'varchar', length: 6, default: '' })
  countyCode: string;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: INSTANT })
  createdAt: Date;

  @OneToMany(() => Village, (v) => v.township)
  villages: Village[];
}
