import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { backupDatabase } from '../../src/database/backup';
import { createDataSource } from '../../src/database/data-source';
import { migrateAtStart } from '../../src/database/migrate';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from '../../src/database/migrations';
import { createPostgresDatabase, dropPostgresDatabase, onPostgres, testDatabase, TEST_ENGINE, type TestDatabase } from '../utils/engine';
import { copyTemplate } from '../utils/test-app';

const counts = async (ds: DataSource) => {
  const one = async (table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  return { cases: await one('cases'), history: await one('case_history'), users: await one('users'), deadlines: await one('case_deadlines') };
};

/** The backup and restore an administrator follows (docs/OPERATIONS.md), on this engine. */
describe(`backup and restore (${TEST_ENGINE})`, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let dir: string;
  beforeEach(async () => {
    db = await testDatabase('demo', copyTemplate);
    ds = createDataSource(db.target);
    await ds.initialize();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-backup-'));
  });
  afterEach(async () => {
    if (ds.isInitialized) await ds.destroy();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies every committed row while the database is in use, and the copy restores to the same county', async () => {
    // a write just committed, still in SQLite's -wal file: the copy must hold it
    await ds.query(`UPDATE users SET phone = '13900000001' WHERE username = 'operator'`);
    const before = await counts(ds);
    expect(before.cases).toBeGreaterThan(200);
    const file = await backupDatabase(ds, db.target, { dir });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);

    let restored: DataSource;
    let cleanup: () => Promise<void>;
    if (onPostgres) {
      // restore into a new, empty database, as docs/OPERATIONS.md says
      const target = await createPostgresDatabase('template0');
      execFileSync('pg_restore', ['--no-owner', `--dbname=${target.url}`, file]);
      restored = createDataSource({ engine: 'postgres', url: target.url });
      cleanup = () => dropPostgresDatabase(target.name);
    } else {
      restored = createDataSource(file);
      cleanup = async () => undefined;
    }
    await restored.initialize();
    try {
      expect(await counts(restored)).toEqual(before);
      expect((await restored.query(`SELECT phone FROM users WHERE username = 'operator'`))[0].phone).toBe('13900000001');
      // nothing left to migrate: the copy is a working database of this release
      expect(await restored.showMigrations()).toBe(false);
      // the history chain came across intact: every case's head is its last entry
      const broken = await restored.query(
        `SELECT h.caseId FROM case_history_heads h WHERE NOT EXISTS (SELECT 1 FROM case_history e WHERE e.caseId = h.caseId AND e.seq = h.seq AND e.hash = h.hash)`,
      );
      expect(broken).toEqual([]);
    } finally {
      await restored.destroy();
      await cleanup();
    }
  });

  it('backs up a database holding cases before a migration runs, and runs nothing when the backup fails', async () => {
    const seen: boolean[] = [];
    class Later implements MigrationInterface {
      name = 'Later1799999999999';
      async up(q: QueryRunner) {
        // the copy exists before the first change is made
        seen.push(fs.readdirSync(dir).some((f) => f.includes('before-migration')));
        await q.query(`UPDATE townships SET sortOrder = sortOrder WHERE id = 0`);
      }
      async down() {}
    }
    await ds.destroy();
    const withLater = () => createDataSource(db.target, { migrations: [...(onPostgres ? POSTGRES_MIGRATIONS : MIGRATIONS), Later] });

    // a backup that cannot be written: the migration does not run
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    process.env.BACKUP_DIR = path.join(blocked, 'backups');
    ds = withLater();
    await ds.initialize();
    try {
      await expect(migrateAtStart(ds, db.target)).rejects.toThrow();
      expect(seen).toEqual([]);
      expect(await ds.showMigrations()).toBe(true);

      process.env.BACKUP_DIR = dir;
      expect(await migrateAtStart(ds, db.target)).toEqual(['Later1799999999999']);
      expect(seen).toEqual([true]);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      delete process.env.BACKUP_DIR;
    }
  });

  it('runs a migration with no statement timeout on PostgreSQL, however long it takes, and the app\'s connections keep theirs', async () => {
    const timeouts: string[] = [];
    class Long implements MigrationInterface {
      name = 'Long1799999999998';
      async up(q: QueryRunner) {
        if (onPostgres) timeouts.push(String((await q.query('SHOW statement_timeout'))[0].statement_timeout));
        await q.query(`UPDATE townships SET sortOrder = sortOrder WHERE id = 0`);
      }
      async down() {}
    }
    await ds.destroy();
    process.env.BACKUP_DIR = dir;
    ds = createDataSource(db.target, { migrations: [...(onPostgres ? POSTGRES_MIGRATIONS : MIGRATIONS), Long] });
    await ds.initialize();
    try {
      expect(await migrateAtStart(ds, db.target)).toEqual(['Long1799999999998']);
      expect(timeouts).toEqual(onPostgres ? ['0'] : []);
      if (onPostgres) {
        // every connection of the pool, the one that migrated among them, stops a statement after 120 s again
        const shown = await Promise.all(Array.from({ length: 3 }, () => ds.query('SHOW statement_timeout')));
        expect(shown.map((r) => r[0].statement_timeout)).toEqual(['2min', '2min', '2min']);
      }
    } finally {
      delete process.env.BACKUP_DIR;
    }
  });
});
