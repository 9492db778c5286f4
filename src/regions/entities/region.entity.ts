import { INSTANT } from '../../database/engine';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The three levels of administration above a township that Duban knows. */
export const REGION_LEVELS = ['county', 'prefecture', 'province'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export const REGION_LEVEL_LABELS: Readonly<Record<RegionLevel, string>> = { county: '县级', prefecture: '市级', province: '省级' };

/**
 * An administrative region by its GB/T 2260 division code (行政区划代码, six digits): a county
 * (县、县级市、区) with its townships, users, cases and leads; or a prefecture (市) or province (省)
 * whose supervisors see the counties below them. `parentCode` says which region a county or
 * prefecture is under (a county directly under a province has the province as parent).
 */
@Entity('regions')
@Index('IDX_regions_parent', ['parentCode'])
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 6 })
  code: string;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'varchar', length: 12 })
  level: RegionLevel;

  @Column({ type: 'varchar', length: 6, nullable: true })
  parentCode: string | null;

  /** The civil-affairs bureau's name, at the head of its documents (e.g. 清源县民政局). */
  @Column({ type: 'varchar', length: 100, default: '' })
  bureauName: string;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  @CreateDateColumn({ type: INSTANT })
  createdAt: Date;
}
