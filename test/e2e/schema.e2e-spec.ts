import Database from 'better-sqlite3';
import { verifyDatabase } from '../../src/cases/history/history-verify';
import { nameKey, nameKeySql } from '../../src/common/names';
import { nameKeyMatch } from '../../src/cases/case-search';
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

  it('refuse INSERT OR REPLACE over row 1 of case history and audit events, and keep row 1 as it was', async () => {
    const file = copyTemplate('demo');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      // SQLite's REPLACE deletes the old row without firing the DELETE trigger
      const history = await ds.query('SELECT * FROM case_history WHERE id = 1');
      await expect(
        ds.query(
          `INSERT OR REPLACE INTO case_history (id, caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data, seq, prevHash, hash)
           VALUES (1, ?, datetime('now'), NULL, '某人', NULL, 'note', NULL, NULL, NULL, '改写的记录', NULL, ?, ?, ?)`,
          [history[0].caseId, history[0].seq, history[0].prevHash, history[0].hash],
        ),
      ).rejects.toThrow(/append-only/);
      await expect(ds.query(`REPLACE INTO case_history (id, caseId, at, actorName, type, seq, hash) VALUES (1, 1, datetime('now'), '某人', 'note', 1, ?)`, ['f'.repeat(64)])).rejects.toThrow(/append-only/);
      expect(await ds.query('SELECT * FROM case_history WHERE id = 1')).toEqual(history);
      const audit = await ds.query('SELECT * FROM audit_events WHERE id = 1');
      expect(audit).toHaveLength(1);
      await expect(
        ds.query(`INSERT OR REPLACE INTO audit_events (id, at, actorId, actorName, action, targetType, targetId, detail) VALUES (1, datetime('now'), NULL, '某人', 'user.login', 'user', '1', NULL)`),
      ).rejects.toThrow(/append-only/);
      expect(await ds.query('SELECT * FROM audit_events WHERE id = 1')).toEqual(audit);
    } finally {
      await ds.destroy();
      fs.rmSync(file, { force: true });
    }
  });

  it('refuse a history row that does not continue its case\'s chain', async () => {
    const file = copyTemplate('demo');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      const [last] = await ds.query('SELECT caseId, seq, hash FROM case_history WHERE caseId = 1 ORDER BY seq DESC LIMIT 1');
      const insert = (seq: number, prevHash: string | null, hash: string) =>
        ds.query(`INSERT INTO case_history (caseId, at, actorName, type, action, note, seq, prevHash, hash) VALUES (1, datetime('now'), '某人', 'note', NULL, '补记', ?, ?, ?)`, [seq, prevHash, hash]);
      await expect(insert(last.seq, last.hash, 'f'.repeat(64))).rejects.toThrow(/chain/); // a second row with the same seq
      await expect(insert(last.seq + 2, last.hash, 'f'.repeat(64))).rejects.toThrow(/chain/); // a gap
      await expect(insert(last.seq + 1, 'e'.repeat(64), 'f'.repeat(64))).rejects.toThrow(/chain/); // another predecessor
      await expect(insert(last.seq + 1, last.hash, '')).rejects.toThrow(/chain/); // no hash (the column default)
      await expect(ds.query(`INSERT INTO case_history (caseId, at, actorName, type) VALUES (1, datetime('now'), '某人', 'note')`)).rejects.toThrow(/chain/);
      const triggers = (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND (tbl_name IN ('case_history', 'audit_events')) ORDER BY name`)).map((r: { name: string }) => r.name);
      expect(triggers).toEqual([
        'audit_events_no_delete', 'audit_events_no_replace', 'audit_events_no_update',
        'case_history_chain', 'case_history_head', 'case_history_no_delete', 'case_history_no_replace', 'case_history_no_update',
      ]);
    } finally {
      await ds.destroy();
      fs.rmSync(file, { force: true });
    }
  });

  it('upgrade a database of the previous release with its demo county: every row kept, every case chained', async () => {
    // The previous release: the demo database taken back to before HistoryChain (its down step
    // drops the new columns). Its rows are what the earlier writers left.
    const file = copyTemplate('demo');
    const chained = createDataSource(file);
    await chained.initialize();
    const written: { id: number; seq: number; prevHash: string | null; hash: string }[] = await chained.query('SELECT id, seq, prevHash, hash FROM case_history ORDER BY id');
    // back to the previous release's last migration (NameKeys): every later one undone
    const last = async () => ((await chained.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`)) as { name: string }[])[0].name;
    while ((await last()) !== 'NameKeys1763800000000') await chained.undoLastMigration();
    const columns = async (ds: typeof chained, t: string) => (await ds.query(`SELECT name FROM pragma_table_info('${t}')`)).map((r: { name: string }) => r.name);
    expect(await columns(chained, 'case_history')).not.toContain('hash');
    const before = {
      history: await chained.query('SELECT * FROM case_history ORDER BY id'),
      cases: await chained.query('SELECT * FROM cases ORDER BY id'),
      audit: await chained.query('SELECT * FROM audit_events ORDER BY id'),
    };
    await chained.destroy();

    const now = createDataSource(file);
    await now.initialize();
    try {
      await now.runMigrations();
      expect(await now.showMigrations()).toBe(false);
      // every column the previous release had, unchanged (the new ones are checked below and elsewhere)
      const old = (like: Record<string, unknown>[], rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k in (like[0] ?? {}))));
      expect(old(before.history, await now.query('SELECT * FROM case_history ORDER BY id'))).toEqual(before.history);
      expect(old(before.cases, await now.query('SELECT * FROM cases ORDER BY id'))).toEqual(before.cases);
      expect(await now.query('SELECT * FROM audit_events ORDER BY id')).toEqual(before.audit);
      // chained in id order per case, to the same hashes the writer gave the rows
      expect(await now.query('SELECT id, seq, prevHash, hash FROM case_history ORDER BY id')).toEqual(written);
      const findings: string[] = [];
      const db = new Database(file, { readonly: true });
      const summary = verifyDatabase(db, (f) => findings.push(f.message));
      db.close();
      expect(findings).toEqual([]);
      expect(summary).toMatchObject({ cases: before.cases.length, entries: before.history.length });
      expect((await now.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await now.destroy();
      for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
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
      // the first release's row, chained by the upgrade
      expect(await now.query(`SELECT seq, prevHash, length(hash) AS hashLength FROM case_history`)).toEqual([{ seq: 1, prevHash: null, hashLength: 64 }]);
      expect(await now.query(`SELECT seq, hash = (SELECT hash FROM case_history) AS headIsLast FROM case_history_heads`)).toEqual([{ seq: 1, headIsLast: 1 }]);
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

  it('index the names of a case’s reporter and subject by nameKey, and the search box’s lookup uses the index', async () => {
    const file = copyTemplate('demo');
    const ds = createDataSource(file);
    await ds.initialize();
    try {
      const names = ['李 晓梅', '李\u00a0晓梅', '阿依古丽·买买提', '阿依古丽．买买提', '王\u3000二\t小', 'A.B•C・D'];
      // the SQL form is nameKey itself
      for (const name of names) expect((await ds.query(`SELECT ${nameKeySql('?')} AS k`, [name]))[0].k).toBe(nameKey(name));
      const [{ createdById }] = await ds.query(`SELECT createdById FROM cases LIMIT 1`);
      for (const [i, name] of names.entries()) {
        await ds.query(
          `INSERT INTO cases (caseNo, channel, kind, program, problemTypes, reporterType, reporterName, subjectName, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version)
           VALUES (?, 'hotline', 'complaint', 'other', '', 'realName', ?, ?, '内容', 'normal', 'registered', datetime('now'), ?, datetime('now'), datetime('now'), 1)`,
          [`KK2026-00000${i}`, name, `${name}乙`, createdById],
        );
      }
      const by = async (column: string, key: string) => {
        const sql = `SELECT caseNo FROM cases c WHERE ${nameKeyMatch(column, '?')} ORDER BY c.id DESC LIMIT 21`;
        const plan = (await ds.query(`EXPLAIN QUERY PLAN ${sql}`, [key])).map((r: { detail: string }) => r.detail).join(' ');
        return { plan, found: (await ds.query(sql, [key])).map((r: { caseNo: string }) => r.caseNo) };
      };
      const reporter = await by('c.reporterName', '李晓梅');
      expect(reporter.found).toEqual(['KK2026-000001', 'KK2026-000000']);
      expect(reporter.plan).toContain('USING INDEX IDX_cases_reporter_name_key');
      const subject = await by('c.subjectName', '阿依古丽买买提乙');
      expect(subject.found).toEqual(['KK2026-000003', 'KK2026-000002']);
      expect(subject.plan).toContain('USING INDEX IDX_cases_subject_name_key');
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
