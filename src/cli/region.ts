import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { describeDatabase, loadConfigOrExit } from '../config/config';
import { createDataSource } from '../database/data-source';
import { migrateAtStart } from '../database/migrate';
import { Region, REGION_LEVEL_LABELS, REGION_LEVELS, RegionLevel } from '../regions/entities/region.entity';
import { isRegionCode } from '../regions/region-codes';

/**
 * The regions of a database: counties, and the prefectures and provinces above them.
 *
 *   npm run region -- list
 *   npm run region -- add --code 141098 --name 清河县 --level county --parent 141000 [--bureau 清河县民政局]
 *   npm run region -- parent --code 141099 --parent 141000   (a county made by COUNTY_CODE, put under its prefecture)
 *
 * A county's administrator is then created with `npm run admin:create -- --region 141098`, and
 * adds the county's townships and users in the browser.
 */
export interface RegionInput {
  code: string;
  name: string;
  level: RegionLevel;
  parent?: string;
  bureau?: string;
}

/** Adds a region, or says in Chinese why not (nothing is written then). */
export async function addRegion(ds: DataSource, input: RegionInput): Promise<Region> {
  if (!isRegionCode(input.code)) throw new Error('行政区划代码应为六位数字，如 141098');
  if (!REGION_LEVELS.includes(input.level)) throw new Error(`级别应为 ${REGION_LEVELS.join('、')} 之一`);
  const shape: Record<RegionLevel, boolean> = {
    province: input.code.endsWith('0000'),
    prefecture: input.code.endsWith('00') && !input.code.endsWith('0000'),
    county: !input.code.endsWith('00'),
  };
  if (!shape[input.level]) throw new Error(`代码 ${input.code} 不是${REGION_LEVEL_LABELS[input.level]}行政区划的代码`);
  if (!input.name || input.name.length > 50) throw new Error('名称应为1至50个字');
  const repo = ds.getRepository(Region);
  if (await repo.findOneBy({ code: input.code })) throw new Error(`行政区划 ${input.code} 已存在`);
  if (input.parent) await checkParent(ds, input.level, input.parent);
  else if (input.level !== 'province') {
    // a county or prefecture may stand alone (a single county's installation); say so
    console.warn(`注意：${input.name} 没有上级行政区划，${input.level === 'county' ? '市级、省级' : '省级'}督办员看不到它`);
  }
  const bureau = input.bureau ?? (input.level === 'province' ? `${input.name}民政厅` : `${input.name}民政局`);
  await repo.insert({ code: input.code, name: input.name, level: input.level, parentCode: input.parent ?? null, bureauName: bureau });
  return repo.findOneByOrFail({ code: input.code });
}

/** The region a county or prefecture may sit under: one that exists, of a higher level. */
async function checkParent(ds: DataSource, level: RegionLevel, parentCode: string): Promise<Region> {
  const parent = await ds.getRepository(Region).findOneBy({ code: parentCode });
  if (!parent) throw new Error(`上级行政区划 ${parentCode} 不存在：请先添加`);
  const allowed: Record<RegionLevel, RegionLevel[]> = { county: ['prefecture', 'province'], prefecture: ['province'], province: [] };
  if (!allowed[level].includes(parent.level)) throw new Error(`${REGION_LEVEL_LABELS[level]}不能设在${REGION_LEVEL_LABELS[parent.level]}的 ${parent.name} 之下`);
  return parent;
}

/**
 * Puts an existing county (or prefecture) under a prefecture or province: the county that
 * COUNTY_CODE or admin:create made on the first start stands alone until then, unseen from above.
 */
export async function setParent(ds: DataSource, code: string, parentCode: string): Promise<Region> {
  const repo = ds.getRepository(Region);
  const region = await repo.findOneBy({ code });
  if (!region) throw new Error(`行政区划 ${code} 不存在`);
  await checkParent(ds, region.level, parentCode);
  await repo.update({ code }, { parentCode });
  return repo.findOneByOrFail({ code });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const config = loadConfigOrExit();
  const command = process.argv[2];
  const ds = createDataSource(config.database);
  await ds.initialize();
  try {
    // as the server starts: under the advisory lock, after a backup of a database that holds cases
    await migrateAtStart(ds, config.database);
    if (command === 'add') {
      const r = await addRegion(ds, { code: arg('code') ?? '', name: arg('name') ?? '', level: (arg('level') ?? 'county') as RegionLevel, parent: arg('parent'), bureau: arg('bureau') });
      console.log(`已添加${REGION_LEVEL_LABELS[r.level]} ${r.code} ${r.name}（${r.bureauName}）（${describeDatabase(config.database)}）`);
    } else if (command === 'parent') {
      const r = await setParent(ds, arg('code') ?? '', arg('parent') ?? '');
      console.log(`已将${REGION_LEVEL_LABELS[r.level]} ${r.code} ${r.name} 设在 ${r.parentCode} 之下（${describeDatabase(config.database)}）`);
    } else if (command === 'list' || !command) {
      for (const r of await ds.getRepository(Region).find({ order: { code: 'ASC' } })) {
        console.log(`${r.code}  ${REGION_LEVEL_LABELS[r.level]}  ${r.name}  ${r.bureauName}${r.parentCode ? `  上级 ${r.parentCode}` : ''}`);
      }
    } else {
      console.error('用法：npm run region -- list | add --code 六位代码 --name 名称 --level county|prefecture|province [--parent 上级代码] [--bureau 民政局名称] | parent --code 六位代码 --parent 上级代码');
      process.exitCode = 1;
    }
  } catch (e) {
    console.error(`未完成：${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) void main();
