import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { Region, RegionLevel } from './entities/region.entity';

/** What a user's region lets them read: their level and the counties below (or at) it. */
export interface RegionReach {
  level: RegionLevel;
  countyCodes: string[];
}

/**
 * The regions (counties, and the prefectures and provinces above them) and who reaches which
 * county. The county a new database starts with comes from the configuration (COUNTY_CODE or the
 * demo county) and is created here at start-up, once across instances.
 */
@Injectable()
export class RegionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Regions');
  /** A code's level never changes once the region exists, so it is kept for the process. */
  private readonly levels = new Map<string, RegionLevel>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const home = this.config.county;
    await this.writer.exclusive('seed-regions', async (m) => {
      const repo = m.getRepository(Region);
      if (home && !(await repo.findOneBy({ code: home.code }))) {
        await repo.insert({ code: home.code, name: home.name, level: 'county', parentCode: null, bureauName: this.config.bureauName });
        this.logger.log(`county ${home.code} ${home.name} created`);
      }
      // an upgraded database: its county has only what the upgrade could tell (its code)
      for (const r of await repo.find({ where: [{ name: '' }, { bureauName: '' }] })) {
        const name = r.name || (home?.code === r.code ? home.name : '') || this.config.bureauName.replace(/民政局$/, '') || r.code;
        await repo.update({ code: r.code }, { name, bureauName: r.bureauName || this.config.bureauName });
      }
    });
  }

  get(code: string, m: EntityManager = this.dataSource.manager): Promise<Region | null> {
    return m.getRepository(Region).findOneBy({ code });
  }

  /** Every region, parents before children, for the administrator's and the CLI's lists. */
  async all(): Promise<Region[]> {
    const rows = await this.dataSource.getRepository(Region).find({ order: { sortOrder: 'ASC', code: 'ASC' } });
    const rank: Record<RegionLevel, number> = { province: 0, prefecture: 1, county: 2 };
    return rows.sort((a, b) => rank[a.level] - rank[b.level] || a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
  }

  async levelOf(code: string): Promise<RegionLevel | null> {
    const known = this.levels.get(code);
    if (known) return known;
    const r = code ? await this.get(code) : null;
    if (r) this.levels.set(code, r.level);
    return r?.level ?? null;
  }

  /**
   * The counties a user of `code` reads: the county itself, or every county below a prefecture
   * or a province (through its prefectures, and those directly under it). Unknown code: none.
   */
  async reach(code: string): Promise<RegionReach | null> {
    const level = await this.levelOf(code);
    if (!level) return null;
    if (level === 'county') return { level, countyCodes: [code] };
    return { level, countyCodes: (await this.countiesUnder(code)).map((c) => c.code) };
  }

  /** The counties below a prefecture or province, in display order. */
  async countiesUnder(code: string): Promise<Region[]> {
    const repo = this.dataSource.getRepository(Region);
    const prefectures = (await repo.find({ where: { parentCode: code, level: 'prefecture' } })).map((r) => r.code);
    const counties = await repo.find({ where: { parentCode: In([code, ...prefectures]), level: 'county' }, order: { sortOrder: 'ASC', code: 'ASC' } });
    return counties;
  }

  /** The bureau at the head of a county's documents (its own name, or the configured one). */
  async bureauOf(countyCode: string): Promise<string> {
    return (await this.get(countyCode))?.bureauName || this.config.bureauName;
  }

  /** The names of counties, by code (for roll-ups and labels). */
  async names(codes: readonly string[]): Promise<Map<string, Region>> {
    if (!codes.length) return new Map();
    const rows = await this.dataSource.getRepository(Region).findBy({ code: In([...codes]) });
    return new Map(rows.map((r) => [r.code, r]));
  }
}
