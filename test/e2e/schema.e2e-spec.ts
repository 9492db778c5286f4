import * as fs from 'fs';
import { createDataSource } from '../../src/database/data-source';
import { copyTemplate } from '../utils/test-app';

describe('migrations', () => {
  it('produce exactly the schema the entities describe', async () => {
    const file = copyTemplate('empty');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      expect(await ds.showMigrations()).toBe(false);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      fs.rmSync(file, { force: true });
    }
  });

  it('keep case history append-only in the database itself', async () => {
    const file = copyTemplate('demo');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      const [row] = await ds.query('SELECT id FROM case_history LIMIT 1');
      await expect(ds.query('UPDATE case_history SET note = ? WHERE id = ?', ['x', row.id])).rejects.toThrow(/append-only/);
      await expect(ds.query('DELETE FROM case_history WHERE id = ?', [row.id])).rejects.toThrow(/append-only/);
    } finally {
      await ds.destroy();
      fs.rmSync(file, { force: true });
    }
  });

  it('set WAL, foreign keys, full sync and a busy timeout on the connection', async () => {
    const file = copyTemplate('empty');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
      expect((await ds.query('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
      expect((await ds.query('PRAGMA synchronous'))[0].synchronous).toBe(2);
      expect((await ds.query('PRAGMA busy_timeout'))[0].timeout).toBeGreaterThanOrEqual(5000);
    } finally {
      await ds.destroy();
      fs.rmSync(file, { force: true });
    }
  });
});
