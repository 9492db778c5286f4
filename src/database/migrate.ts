import { Logger } from '@nestjs/common';
import { MigrationExecutor, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { backupDatabase } from './backup';
import { isPostgres, type DatabaseTarget } from './engine';
import { rawDb } from './raw';
import { sqlOf } from './sql';

/** One number for the advisory lock that several instances starting at once take in turn. */
const MIGRATION_LOCK = 7_210_511_001;

/**
 * Brings the schema up to date at start-up, before anything else touches the database.
 * - On PostgreSQL, instances starting together take turns (an advisory lock): the first migrates,
 *   the others find nothing left to do.
 * - A database that already holds cases is backed up first (backup.ts); if the backup fails, the
 *   migrations do not run and the server does not start, so nothing is changed without a copy.
 */
export async function migrateAtStart(ds: DataSource, target: DatabaseTarget, log = new Logger('Migrations')): Promise<string[]> {
  const pg = target.engine === 'postgres' ? ds.createQueryRunner() : null;
  try {
    if (pg) await pg.query('SELECT pg_advisory_lock(?)', [MIGRATION_LOCK]);
    if (!(await ds.showMigrations())) {
      await plannerStatistics(ds, target, false);
      return [];
    }
    if (await holdsCases(ds)) {
      const file = await backupDatabase(ds, target, { label: 'before-migration' });
      log.log(`backup before migrating: ${file}`);
    }
    const done = pg ? await migratePostgres(ds, pg) : await ds.runMigrations({ transaction: 'all' });
    await plannerStatistics(ds, target, done.length > 0);
    return done.map((m) => m.name);
  } finally {
    if (pg) {
      await pg.query('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK]).catch(() => undefined);
      await pg.release();
    }
  }
}

/**
 * PostgreSQL's migrations, in one transaction on the session that holds the lock, with no
 * statement timeout: the app's connections stop a statement after 120 s, and a migration that
 * rewrites every case (CaseTimeliness' backfill, CaseTallies' count) takes longer than that at
 * millions of cases; stopped, the instance would not start at all.
 */
async function migratePostgres(ds: DataSource, session: QueryRunner) {
  await session.query('SET statement_timeout = 0');
  try {
    const executor = new MigrationExecutor(ds, session);
    executor.transaction = 'all';
    return await executor.executePendingMigrations();
  } finally {
    await session.query('RESET statement_timeout');
  }
}

async function holdsCases(ds: DataSource): Promise<boolean> {
  try {
    return !!(await sqlOf(ds.manager).get('SELECT 1 AS x FROM cases LIMIT 1'));
  } catch {
    // a database from before the first migration has no cases table
    return false;
  }
}

/**
 * The query planner's statistics. SQLite keeps none unless asked, and without them it guesses
 * that an equality on any indexed column picks a few rows: every list and count starts with the
 * county (the scope rule), which in a one-county file picks them all, and SQLite walked the
 * county's index for a phone number or a pending extension (1 s at 1M cases) instead of the
 * phone's or the partial index. `PRAGMA optimize=0x10002` analyses the tables that have no
 * statistics or changed much since (1.8 s at 1M cases the first time, next to nothing after); run
 * at every start. PostgreSQL's autovacuum keeps its own; after migrations (new indexes, an
 * expression index's statistics) the tables are analysed at once rather than when autovacuum
 * comes round.
 */
async function plannerStatistics(ds: DataSource, target: DatabaseTarget, migrated: boolean): Promise<void> {
  if (target.engine === 'sqlite') await plannerStatisticsSqlite(ds);
  else if (migrated) await sqlOf(ds.manager).run('ANALYZE');
}

async function plannerStatisticsSqlite(ds: DataSource): Promise<void> {
  // on the raw connection: TypeORM's runner would read a PRAGMA as a query with rows
  rawDb(ds.manager).pragma('optimize=0x10002');
}

/**
 * The statistics kept fresh while the server runs (hourly, housekeeping.service.ts): statistics
 * taken of a county's first few cases would tell SQLite its tables are tiny long after they hold
 * a million. `PRAGMA optimize` analyses only the tables that changed much since (SQLite's advice
 * for long-running applications); nothing on PostgreSQL, whose autovacuum analyses on its own.
 */
export function refreshPlannerStatistics(m: EntityManager): void {
  if (isPostgres) return;
  rawDb(m).pragma('optimize');
}
