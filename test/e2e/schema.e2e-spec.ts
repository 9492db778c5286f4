import { nameKey } from '../../src/common/names';
import * as fs from 'fs';
import { createDataSource } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { TMP_DIR } from '../utils/paths';
import * as path from 'path';
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

  it('upgrade a database of the first release without losing a row', async () => {
    // the first release: the first two migrations, with a county, users, a case and a registration
    const file = path.join(TMP_DIR, `upgrade-${process.pid}.sqlite`);
    const first = createDataSource(file, { migrations: MIGRATIONS.slice(0, 2) });
    await first.initialize();
    await first.runMigrations();
    await first.query(`INSERT INTO townships (id, code, name, sortOrder, active) VALUES (1, 'T1', '城关镇', 1, 1)`);
    await first.query(`INSERT INTO users (id, username, displayName, passwordHash, role, townshipId) VALUES (1, 'u1', '李 晓梅', 'x', 'township', 1), (2, 'u2', '王丽', 'x', 'operator', NULL)`);
    await first.query(
      `INSERT INTO cases (id, caseNo, channel, kind, program, problemTypes, reporterType, townshipId, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version)
       VALUES (1, 'JZ2026-000001', 'hotline', 'consultation', 'other', '', 'anonymous', 1, '咨询低保政策', 'normal', 'registered', datetime('now'), 2, datetime('now'), datetime('now'), 1)`,
    );
    await first.query(`INSERT INTO case_history (caseId, at, actorId, actorName, actorRole, type, toStatus) VALUES (1, datetime('now'), 2, '王丽', 'operator', 'created', 'registered')`);
    await first.query(
      `INSERT INTO relative_registrations (staffName, staffPost, staffUnit, staffUserId, relativeName, relationship, createdAt, updatedAt, updatedBy) VALUES ('李晓梅', '民政助理员', '城关镇', 1, '李·大山', '父母', datetime('now'), datetime('now'), '陈建国')`,
    );
    await first.destroy();

    const now = createDataSource(file);
    await now.initialize();
    try {
      await now.runMigrations();
      expect(await now.showMigrations()).toBe(false);
      expect(await now.query(`SELECT username, displayNameKey FROM users ORDER BY id`)).toEqual([
        { username: 'u1', displayNameKey: '李晓梅' },
        { username: 'u2', displayNameKey: '王丽' },
      ]);
      expect(await now.query(`SELECT relativeName, relativeNameKey, staffUserId FROM relative_registrations`)).toEqual([{ relativeName: '李·大山', relativeNameKey: '李大山', staffUserId: 1 }]);
      expect((await now.query(`SELECT COUNT(*) n FROM cases`))[0].n).toBe(1);
      expect((await now.query(`SELECT COUNT(*) n FROM case_history`))[0].n).toBe(1);
      expect(await now.query(`PRAGMA foreign_key_check`)).toEqual([]);
      expect((await now.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      // and back: undoing NameKeys (and whatever came after it) leaves the foreign keys pointing at users
      while ((await now.query(`SELECT 1 FROM migrations WHERE name = 'NameKeys1763800000000'`)).length) await now.undoLastMigration({ transaction: 'none' });
      const refs = (await now.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%REFERENCES "temporary_%'`)).map((r: { name: string }) => r.name);
      expect(refs).toEqual([]);
      expect(await now.query(`PRAGMA foreign_key_check`)).toEqual([]);
      expect((await now.query(`SELECT COUNT(*) n FROM users`))[0].n).toBe(2);
    } finally {
      await now.destroy();
      for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
    }
  });

  it('keep the name keys of users and registered relatives in the database, as nameKey makes them', async () => {
    const file = copyTemplate('demo');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      const triggers = (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%name_key%' ORDER BY name`)).map((r: { name: string }) => r.name);
      expect(triggers).toEqual(['relative_name_key_insert', 'relative_name_key_update', 'users_name_key_insert', 'users_name_key_update']);
      const names = ['李 晓梅', '李\u00a0晓梅', '阿依古丽·买买提', '阿依古丽．买买提', '王\u3000二\t小', 'A.B•C・D'];
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
