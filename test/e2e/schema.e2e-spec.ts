import { nameKey } from '../../src/common/names';
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

  it('keep the name keys of users and registered relatives in the database, as nameKey makes them', async () => {
    const file = copyTemplate('demo');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      const triggers = (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%name_key%' ORDER BY name`)).map((r: { name: string }) => r.name);
      expect(triggers).toEqual(['relative_name_key_insert', 'relative_name_key_update', 'users_name_key_insert', 'users_name_key_update']);
      const names = ['李 晓梅', '阿依古丽·买买提', '阿依古丽．买买提', '王\u3000二\t小', 'A.B•C・D'];
      for (const [i, name] of names.entries()) {
        await ds.query(`INSERT INTO users (username, displayName, passwordHash, role) VALUES (?, ?, 'x', 'operator')`, [`k${i}`, name]);
        await ds.query(`INSERT INTO relative_registrations (staffName, staffPost, staffUnit, relativeName, relationship, createdAt, updatedAt, updatedBy) VALUES ('甲', '乙', '丙', ?, '父母', datetime('now'), datetime('now'), '测试')`, [name]);
      }
      const users: { displayName: string; displayNameKey: string }[] = await ds.query(`SELECT displayName, displayNameKey FROM users WHERE username LIKE 'k%'`);
      const relatives: { relativeName: string; relativeNameKey: string }[] = await ds.query(`SELECT relativeName, relativeNameKey FROM relative_registrations WHERE staffName = '甲'`);
      expect(users.map((u) => u.displayNameKey)).toEqual(names.map(nameKey));
      expect(relatives.map((r) => r.relativeNameKey)).toEqual(names.map(nameKey));
      await ds.query(`UPDATE users SET displayName = '赵 六' WHERE username = 'k0'`);
      await ds.query(`UPDATE relative_registrations SET relativeName = '钱·七' WHERE relativeName = '李 晓梅'`);
      expect((await ds.query(`SELECT displayNameKey FROM users WHERE username = 'k0'`))[0].displayNameKey).toBe('赵六');
      expect((await ds.query(`SELECT COUNT(*) n FROM relative_registrations WHERE relativeNameKey = '钱七'`))[0].n).toBe(1);
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
