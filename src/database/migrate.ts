import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { backupDatabase } from './backup';
import type { DatabaseTarget } from './engine';
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
    if (!(await ds.showMigrations())) return [];
    if (await holdsCases(ds)) {
      const file = await backupDatabase(ds, target, { label: 'before-migration' });
      log.log(`backup before migrating: ${file}`);
    }
    const done = await ds.runMigrations({ transaction: 'all' });
    return done.map((m) => m.name);
  } finally {
    if (pg) {
      await pg.query('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK]).catch(() => undefined);
      await pg.release();
    }
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
