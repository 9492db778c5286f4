/**
 * A province's database for the benches (the roll-up's, and the main bench's with --counties): the
 * demo county and `counties - 1` more (nine under the demo prefecture, the rest directly under the
 * demo province), three townships each, a province supervisor (sheng, the demo password), and the
 * cases spread over every county's townships, with the clocks and callbacks the on-time and
 * satisfaction figures read. The same files serve both benches: seeded once, reused after.
 */
import { POSTGRES_BACKFILL_CASE_CLOCKS } from '../database/migrations/postgres/1765800000000-PostgresCaseTimeliness';
import { BACKFILL_CASE_CLOCKS, SQLITE_CLOCK_TRIGGERS } from '../database/migrations/1765800000000-CaseTimeliness';
import { NestFactory } from '@nestjs/core';
import type { Client } from 'pg';
import type { DatabaseTarget } from '../database/engine';
import { perEngine, Sql, sqlOfConnection } from '../database/sql';
import { DEMO_PREFECTURE, DEMO_PROVINCE } from '../seed/demo-data';
import { BULK_SEED_VERSION, bulkSeed, bulkSeedPostgres, TALLIES_IN_BULK } from './bulk-seed';

/** The SQLite file's name (under data/bench/) of a province of `counties` counties and `cases` cases. */
export function provinceFileName(counties: number, cases: number): string {
  return `rollup-v${BULK_SEED_VERSION}-${counties}-${cases}.sqlite`;
}

/** The PostgreSQL cluster's folder name (under the temporary folder) of the same province. */
export function provincePgDirName(counties: number, cases: number): string {
  return `duban-rollup-v${BULK_SEED_VERSION}-${counties}-${cases}-pg`;
}

/** The county codes added beside the demo county: 9 under the prefecture, then under the province. */
function extraCounties(n: number): { code: string; parent: string }[] {
  const out: { code: string; parent: string }[] = [];
  for (let i = 1; i <= 9 && out.length < n; i++) out.push({ code: `${DEMO_PREFECTURE.code.slice(0, 4)}0${i}`, parent: DEMO_PREFECTURE.code });
  for (let i = 1; out.length < n; i++) out.push({ code: `${DEMO_PROVINCE.code.slice(0, 2)}${String(100 + i).padStart(4, '0')}`, parent: DEMO_PROVINCE.code });
  return out;
}

/** A connection that writes (openReadConnection's are read-only), for the seeding. */
async function writeConnection(target: DatabaseTarget): Promise<{ sql: Sql; client?: Client; close(): Promise<void> }> {
  if (target.engine === 'sqlite') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const BetterSqlite = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new BetterSqlite(target.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    // statement journals in memory, as the app has them: with a temporary file, every insert that
    // fires a trigger (the tallies') cost some 50 µs more
    db.pragma('temp_store = MEMORY');
    return { sql: sqlOfConnection({ engine: 'sqlite', db, close: async () => undefined }), close: async () => void db.close() };
  }
  const pg = await import('pg');
  const client = new pg.Client({ connectionString: target.url, options: '-c TimeZone=UTC -c synchronous_commit=off' });
  await client.connect();
  return { sql: sqlOfConnection({ engine: 'postgres', client, close: async () => undefined }), client, close: () => client.end() };
}

async function addCounties(sql: Sql, counties: number) {
  const now = new Date();
  await sql.run('BEGIN');
  const region = (code: string, name: string, level: string, parent: string | null, bureau: string, order: number) =>
    sql.run(`INSERT INTO regions (code, name, level, parentCode, bureauName, sortOrder, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, [code, name, level, parent, bureau, order, now]);
  await region(DEMO_PROVINCE.code, DEMO_PROVINCE.name, 'province', null, DEMO_PROVINCE.bureauName, 0);
  await region(DEMO_PREFECTURE.code, DEMO_PREFECTURE.name, 'prefecture', DEMO_PROVINCE.code, DEMO_PREFECTURE.bureauName, 0);
  let i = 0;
  for (const c of extraCounties(counties - 1)) {
    await region(c.code, `压测${i + 1}县`, 'county', c.parent, `压测${i + 1}县民政局`, i + 1);
    for (let k = 0; k < 3; k++) {
      const t = await sql.get<{ id: number }>(`INSERT INTO townships (code, name, countyCode, sortOrder, active) VALUES (?, ?, ?, ?, TRUE) RETURNING id`, [`${c.code}${100 + k}`, `压测${k + 1}镇`, c.code, k + 1]);
      await sql.run(`INSERT INTO villages (townshipId, name, type, active) VALUES (?, ?, '村', TRUE)`, [Number(t!.id), `压测${k + 1}村`]);
    }
    i++;
  }
  // the province's supervisor, with the demo supervisor's password
  await sql.run(
    `INSERT INTO users (username, displayName, role, townshipId, regionCode, passwordHash, passwordChangedAt, disabled, createdAt, updatedAt)
     SELECT 'sheng', '省督办员', 'supervisor', NULL, ?, passwordHash, passwordChangedAt, FALSE, createdAt, updatedAt FROM users WHERE username = 'supervisor'
     AND NOT EXISTS (SELECT 1 FROM users WHERE username = 'sheng')`,
    [DEMO_PROVINCE.code],
  );
  await sql.run('COMMIT');
}

/** A day after the instant's UTC date, as the clocks store their days (YYYY-MM-DD). */
const DAY_AFTER = perEngine({
  sqlite: (col: string, days: number) => `date(${col}, '+${days} days')`,
  postgres: (col: string, days: number) => `to_char(${col} + interval '${days} days', 'YYYY-MM-DD')`,
});
const DAY_OF = perEngine({ sqlite: (col: string) => `date(${col})`, postgres: (col: string) => `to_char(${col}, 'YYYY-MM-DD')` });

/**
 * The clocks and callbacks of the seeded cases, set-based: the county's acceptance clock of every
 * accepted case (one in seven met late), the township's verification clock of every handed-over
 * case (met, one in five late, once past review; open otherwise, 30 days from receipt, so the old
 * ones are overdue) and the callback of closed cases (a mix of results).
 */
async function addClocks(sql: Sql) {
  await sql.run('BEGIN');
  await CLOCKS_IN_BULK.before(sql);
  await sql.run(`INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, extension, dueDate, status, dueState, createdAt, closedAt, late)
    SELECT c.id, 'countyAccept', ${DAY_OF('c.receivedAt')}, 1, 'workday', 0, ${DAY_AFTER('c.receivedAt', 1)}, 'met', 'ok', c.receivedAt, c.receivedAt, (c.id % 7 = 0)
    FROM cases c WHERE c.status <> 'registered' AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.caseId = c.id)`);
  await sql.run(`INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, extension, dueDate, status, dueState, createdAt, closedAt, late)
    SELECT c.id, 'verify', ${DAY_OF('c.receivedAt')}, 30, 'day', 0, ${DAY_AFTER('c.receivedAt', 30)},
      CASE WHEN c.status IN ('inReview', 'approved', 'closed') THEN 'met' ELSE 'open' END, 'ok', c.receivedAt,
      CASE WHEN c.status IN ('inReview', 'approved', 'closed') THEN c.receivedAt END,
      CASE WHEN c.status IN ('inReview', 'approved', 'closed') THEN (c.id % 5 = 0) END
    FROM cases c WHERE c.assignedAt IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.caseId = c.id AND d.stage = 'verify')`);
  await sql.run(`UPDATE cases SET callbackResult = CASE id % 6 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'unreachable' WHEN 2 THEN 'basicallySatisfied' ELSE 'satisfied' END
    WHERE status = 'closed' AND callbackResult IS NULL`);
  await CLOCKS_IN_BULK.after(sql);
  await sql.run('COMMIT');
  // on PostgreSQL the callbacks' UPDATE left a dead row for every closed case: vacuumed here, or
  // autovacuum would do it during the measurements (and index-only scans would read the heap)
  await sql.run(AFTER_CLOCKS);
}

/**
 * Millions of clocks at once: the triggers that keep each case's timeliness columns (an UPDATE of
 * the case per clock: SQLite's in-process, PostgreSQL's a PL/pgSQL call) are off for the load, and
 * the cases are given theirs in one grouped pass, the statement the upgrade runs. The tallies'
 * triggers are off as well, and the tallies counted once after (TALLIES_IN_BULK).
 */
const CLOCKS_IN_BULK = perEngine({
  sqlite: {
    before: async (sql: Sql): Promise<void> => {
      for (const t of Object.keys(SQLITE_CLOCK_TRIGGERS)) await sql.run(`DROP TRIGGER IF EXISTS ${t}`);
      await TALLIES_IN_BULK.pause(sql);
    },
    after: async (sql: Sql): Promise<void> => {
      await sql.run(BACKFILL_CASE_CLOCKS);
      for (const t of Object.values(SQLITE_CLOCK_TRIGGERS)) await sql.run(t);
      await TALLIES_IN_BULK.resume(sql);
    },
  },
  postgres: {
    before: async (sql: Sql): Promise<void> => {
      await sql.run('ALTER TABLE case_deadlines DISABLE TRIGGER case_clocks');
      await TALLIES_IN_BULK.pause(sql);
    },
    after: async (sql: Sql): Promise<void> => {
      await sql.run(POSTGRES_BACKFILL_CASE_CLOCKS);
      await sql.run('ALTER TABLE case_deadlines ENABLE TRIGGER case_clocks');
      await TALLIES_IN_BULK.resume(sql);
    },
  },
});

const AFTER_CLOCKS = perEngine({ sqlite: 'ANALYZE', postgres: 'VACUUM (ANALYZE)' });

/** The app in this process on the bench's database (migrated, the demo county seeded if new; no jobs). */
export async function benchAppContext(target: DatabaseTarget) {
  if (target.engine === 'sqlite') process.env.DATABASE_PATH = target.path;
  else process.env.DATABASE_URL = target.url;
  process.env.NODE_ENV = 'development';
  process.env.DEMO_DATA = '1';
  process.env.JOBS = '0';
  const { AppModule } = await import('../app.module');
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

/**
 * Seeds the province into an empty database: the app's own start-up (migrations, the demo county),
 * the counties, the cases spread over them, their clocks.
 */
export async function seedProvince(target: DatabaseTarget, counties: number, cases: number, log: (s: string) => void): Promise<void> {
  await (await benchAppContext(target)).close();
  const w = await writeConnection(target);
  try {
    await addCounties(w.sql, counties);
    const { DEMO_CASE_COUNT } = await import('../seed/demo-seed.service');
    const n = Math.max(0, cases - DEMO_CASE_COUNT);
    if (target.engine === 'sqlite') {
      await w.close();
      bulkSeed(target.path, n, log, { spreadCounties: true });
      const again = await writeConnection(target);
      await addClocks(again.sql);
      await again.close();
    } else {
      await bulkSeedPostgres(w.client!, n, log, { spreadCounties: true });
      await addClocks(w.sql);
    }
  } finally {
    await w.close().catch(() => undefined);
  }
}
