/**
 * npm run bench:rollup [-- --cases 1000000 --counties 100 --runs 3 --periods month,year,all]
 *
 * The province roll-up (各县统计, RollupService.counties) over many counties: a SQLite database
 * with the demo county and `counties - 1` more (nine under the demo prefecture, the rest directly
 * under the demo province), three townships each, and `cases` cases spread over their townships
 * in the last three years, with the clocks and callbacks the on-time and satisfaction figures
 * read (met on time, met late, open and overdue, still running; satisfied, dissatisfied,
 * unreachable). Then, in-process on the real services, the province supervisor's roll-up over a
 * month, a year and the whole three years, `runs` times each (the best and the median are
 * printed). The seeded file is reused on the next run of the same size.
 */
import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { shanghaiDate } from '../common/time';
import { DEMO_PREFECTURE, DEMO_PROVINCE } from '../seed/demo-data';
import { BULK_SEED_VERSION, bulkSeed } from './bulk-seed';

const ROOT = path.resolve(__dirname, '..', '..');
const log = (s: string) => process.stdout.write(s + '\n');

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 1) throw new Error(`--${name} takes a positive number`);
  return v;
}

async function context(file: string) {
  process.env.DATABASE_PATH = file;
  process.env.NODE_ENV = 'development';
  process.env.DEMO_DATA = '1';
  process.env.JOBS = '0';
  const { AppModule } = await import('../app.module');
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

/** The county codes added beside the demo county: 9 under the prefecture, then under the province. */
function extraCounties(n: number): { code: string; parent: string }[] {
  const out: { code: string; parent: string }[] = [];
  for (let i = 1; i <= 9 && out.length < n; i++) out.push({ code: `${DEMO_PREFECTURE.code.slice(0, 4)}0${i}`, parent: DEMO_PREFECTURE.code });
  for (let i = 1; out.length < n; i++) out.push({ code: `${DEMO_PROVINCE.code.slice(0, 2)}${String(100 + i).padStart(4, '0')}`, parent: DEMO_PROVINCE.code });
  return out;
}

function addCounties(file: string, counties: number) {
  const db = new Database(file);
  try {
    const add = db.transaction(() => {
      const region = db.prepare(`INSERT OR IGNORE INTO regions (code, name, level, parentCode, bureauName, sortOrder, createdAt) VALUES (?, ?, ?, ?, ?, ?, datetime('now'))`);
      region.run(DEMO_PROVINCE.code, DEMO_PROVINCE.name, 'province', null, DEMO_PROVINCE.bureauName, 0);
      region.run(DEMO_PREFECTURE.code, DEMO_PREFECTURE.name, 'prefecture', DEMO_PROVINCE.code, DEMO_PREFECTURE.bureauName, 0);
      const township = db.prepare(`INSERT INTO townships (code, name, countyCode, sortOrder, active) VALUES (?, ?, ?, ?, TRUE)`);
      const village = db.prepare(`INSERT INTO villages (townshipId, name, type, active) VALUES (?, ?, '村', TRUE)`);
      extraCounties(counties - 1).forEach((c, i) => {
        region.run(c.code, `压测${i + 1}县`, 'county', c.parent, `压测${i + 1}县民政局`, i + 1);
        for (let k = 0; k < 3; k++) {
          const t = township.run(`${c.code}${100 + k}`, `压测${k + 1}镇`, c.code, k + 1);
          village.run(Number(t.lastInsertRowid), `压测${k + 1}村`);
        }
      });
      // the province's supervisor, with the demo supervisor's password
      db.prepare(
        `INSERT INTO users (username, displayName, role, townshipId, regionCode, passwordHash, passwordChangedAt, disabled, createdAt, updatedAt)
         SELECT 'sheng', '省督办员', 'supervisor', NULL, ?, passwordHash, passwordChangedAt, FALSE, createdAt, updatedAt FROM users WHERE username = 'supervisor'
         AND NOT EXISTS (SELECT 1 FROM users WHERE username = 'sheng')`,
      ).run(DEMO_PROVINCE.code);
    });
    add();
  } finally {
    db.close();
  }
}

/**
 * The clocks and callbacks of the seeded cases, set-based: the county's acceptance clock of every
 * accepted case (one in seven met late), the township's verification clock of every handed-over
 * case (met, one in five late, once past review; open otherwise, 30 days from receipt, so the old
 * ones are overdue) and the callback of closed cases (a mix of results).
 */
function addClocks(file: string) {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.transaction(() => {
      db.exec(`INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, extension, dueDate, status, dueState, createdAt, closedAt, late)
        SELECT c.id, 'countyAccept', date(c.receivedAt), 1, 'workday', 0, date(c.receivedAt, '+1 day'), 'met', 'ok', c.receivedAt, c.receivedAt, (c.id % 7 = 0)
        FROM cases c WHERE c.status <> 'registered' AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.caseId = c.id)`);
      db.exec(`INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, extension, dueDate, status, dueState, createdAt, closedAt, late)
        SELECT c.id, 'verify', date(c.receivedAt), 30, 'day', 0, date(c.receivedAt, '+30 days'),
          CASE WHEN c.status IN ('inReview', 'approved', 'closed') THEN 'met' ELSE 'open' END, 'ok', c.receivedAt,
          CASE WHEN c.status IN ('inReview', 'approved', 'closed') THEN c.receivedAt END,
          CASE WHEN c.status IN ('inReview', 'approved', 'closed') THEN (c.id % 5 = 0) END
        FROM cases c WHERE c.assignedAt IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.caseId = c.id AND d.stage = 'verify')`);
      db.exec(`UPDATE cases SET callbackResult = CASE id % 6 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'unreachable' WHEN 2 THEN 'basicallySatisfied' ELSE 'satisfied' END
        WHERE status = 'closed' AND callbackResult IS NULL`);
    })();
    db.exec('ANALYZE');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

async function main() {
  const cases = arg('cases', 1_000_000);
  const counties = arg('counties', 100);
  const runs = arg('runs', 3);
  const file = path.join(ROOT, 'data', 'bench', `rollup-v${BULK_SEED_VERSION}-${counties}-${cases}.sqlite`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const started = Date.now();
    log(`Seeding ${counties} counties and ${cases} cases into ${path.relative(ROOT, file)} ...`);
    const app = await context(file);
    await app.close();
    addCounties(file, counties);
    const { DEMO_CASE_COUNT } = await import('../seed/demo-seed.service');
    bulkSeed(file, Math.max(0, cases - DEMO_CASE_COUNT), log, { spreadCounties: true });
    addClocks(file);
    log(`Seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  } else {
    log(`Reusing ${path.relative(ROOT, file)}`);
  }

  const app = await context(file);
  try {
    const { RollupService } = await import('../regions/rollup.service');
    const { toAuthUser } = await import('../auth/auth.service');
    const { RegionsService } = await import('../regions/regions.service');
    const { User } = await import('../users/entities/user.entity');
    const { DataSource } = await import('typeorm');
    const rollup = app.get(RollupService);
    // the province supervisor as the auth guard makes them: their reach, and no recusals
    const u = await app.get(DataSource).getRepository(User).findOneByOrFail({ username: 'sheng' });
    const reach = await app.get(RegionsService).reach(u.regionCode);
    const viewer = { ...toAuthUser(u, 'session'), level: reach!.level, countyCodes: reach!.countyCodes, recused: false };
    log(`Viewer sheng (${viewer.level}) reaches ${viewer.countyCodes?.length} counties`);
    const now = new Date();
    const today = shanghaiDate(now);
    const periods: Record<string, [string, { from: string; to: string }]> = {
      month: ['a month', { from: shanghaiDate(new Date(now.getTime() - 30 * 86400_000)), to: today }],
      year: ['a year', { from: shanghaiDate(new Date(now.getTime() - 365 * 86400_000)), to: today }],
      all: ['three years', { from: shanghaiDate(new Date(now.getTime() - 3 * 365 * 86400_000 - 86400_000)), to: today }],
    };
    const i = process.argv.indexOf('--periods');
    const chosen = i < 0 ? Object.keys(periods) : process.argv[i + 1].split(',');
    for (const key of chosen) {
      if (!periods[key]) throw new Error(`--periods takes month, year or all, not ${key}`);
      const [label, period] = periods[key];
      const times: number[] = [];
      let rows: Awaited<ReturnType<typeof rollup.counties>> = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        rows = await rollup.counties(viewer, period);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const total = rows.reduce((a, r) => a + r.total, 0);
      const top = rows[0];
      log(
        `  roll-up over ${label} (${period.from}..${period.to}): ${rows.length} counties, ${total} cases; best ${(times[0] / 1000).toFixed(2)} s, median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)} s` +
          (top ? ` (first: ${top.name} on time ${top.onTimeRate}% of ${top.measured}, ${top.openOverdue} open overdue, satisfied ${top.satisfactionRate}% of ${top.reached})` : ''),
      );
    }
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
