import type { QueryRunner } from 'typeorm';
import { countyOfTownshipCode, isRegionCode } from './region-codes';

/** Tables whose rows belong to one county, with the column that says which. */
export const COUNTY_TABLES = ['townships', 'cases', 'referrals', 'spot_checks', 'relative_registrations'] as const;

export class CountyCodeUnknownError extends Error {
  constructor(detail: string) {
    super(
      `无法确定本县的行政区划代码（${detail}）：请设置环境变量 COUNTY_CODE（六位数字，如 141099）后重新启动；数据库未作任何改动。` +
        ` / Cannot tell this database's county code (${detail}): set COUNTY_CODE (six digits) and start again; nothing was changed.`,
    );
  }
}

/**
 * The county an existing single-county database belongs to, for the upgrade that adds counties
 * (migration Counties, both engines): COUNTY_CODE when it is set, else the six digits every
 * township's division code starts with. Null for a database with nothing in it yet (a fresh
 * install: the county is created at start-up from the configuration). Throws, before anything is
 * changed, when the database holds townships, users or cases but no county can be told.
 */
export async function countyForUpgrade(q: QueryRunner, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const count = async (t: string) => Number((await q.query(`SELECT COUNT(*) AS n FROM "${t}"`))[0].n);
  const held = (await count('townships')) + (await count('users')) + (await count('cases'));
  const configured = env.COUNTY_CODE?.trim();
  if (configured) {
    if (!isRegionCode(configured) || configured.endsWith('00')) throw new CountyCodeUnknownError(`COUNTY_CODE=${configured} 不是六位县级代码`);
    return held ? configured : null;
  }
  if (!held) return null;
  const codes: string[] = (await q.query(`SELECT DISTINCT "code" FROM "townships"`)).map((r: { code: string }) => r.code);
  const counties = new Set(codes.map((c) => countyOfTownshipCode(c)));
  if (codes.length && counties.size === 1 && !counties.has(null)) return [...counties][0]!;
  throw new CountyCodeUnknownError(codes.length ? '各乡镇的区划代码不是同一个县的' : '尚未设置乡镇');
}

/** Names the upgrade gives the county row; start-up fills in what the configuration knows. */
export function countyNamesForUpgrade(env: NodeJS.ProcessEnv = process.env): { name: string; bureauName: string } {
  const bureauName = env.BUREAU_NAME?.trim() || '';
  const name = env.COUNTY_NAME?.trim() || (bureauName.endsWith('民政局') ? bureauName.slice(0, -3) : '');
  return { name, bureauName };
}
