import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { verifyDatabase, verifyHistory } from '../../src/cases/history/history-verify';
import { nameKey, nameKeySql } from '../../src/common/names';
import { nameKeyMatch } from '../../src/cases/case-search';
import * as fs from 'fs';
import { createDataSource } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { onPostgres, testDatabase } from '../utils/engine';
import { TMP_DIR } from '../utils/paths';
import { queryPlan, usesIndex } from '../utils/plan';
import * as path from 'path';
import { copyTemplate } from '../utils/test-app';

/** A copy of a template database on this project's engine, open for `work`, then dropped. */
async function withDatabase(which: 'demo' | 'empty', work: (ds: DataSource) => Promise<void>): Promise<void> {
  const db = await testDatabase(which, copyTemplate);
  const ds = createDataSource(db.target);
  await ds.initialize();
  try {
    await work(ds);
  } finally {
    await ds.destroy();
    await db.drop();
  }
}

/** The triggers of the given tables, by name (sqlite_master; pg_trigger without the foreign keys' own). */
async function triggersOf(ds: DataSource, tables: string[]): Promise<string[]> {
  const rows: { name: string }[] = onPostgres
    ? await ds.query(`SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relname = ANY(?) ORDER BY t.tgname`, [tables])
    : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${tables.map(() => '?').join(', ')}) ORDER BY name`, tables);
  return rows.map((r) => r.name);
}

describe('migrations', () => {
  it('produce exactly the schema the entities describe', () =>
    withDatabase('empty', async (ds) => {
      expect(await ds.showMigrations()).toBe(false);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    }));

  it('keep case history append-only in the database itself', () =>
    withDatabase('demo', async (ds) => {
      const [row] = await ds.query('SELECT id FROM case_history LIMIT 1');
      await expect(ds.query('UPDATE case_history SET note = ? WHERE id = ?', ['x', row.id])).rejects.toThrow(/append-only/);
      await expect(ds.query('DELETE FROM case_history WHERE id = ?', [row.id])).rejects.toThrow(/append-only/);
      // PostgreSQL empties a table without deleting rows one by one: refused as well
      if (onPostgres) await expect(ds.query('TRUNCATE case_history, audit_events')).rejects.toThrow(/append-only/);
      expect((await ds.query('SELECT COUNT(*) AS n FROM case_history WHERE id = ?', [row.id]))[0].n).toBe(1);
    }));

  it('refuse an insert that overwrites row 1 of case history and audit events, and keep row 1 as it was', () =>
    withDatabase('demo', async (ds) => {
      const history = await ds.query('SELECT * FROM case_history WHERE id = 1');
      const audit = await ds.query('SELECT * FROM audit_events WHERE id = 1');
      expect(audit).toHaveLength(1);
      if (onPostgres) {
        // an upsert turns into an UPDATE of the old row, which the append-only trigger refuses
        // (the new row continues its case's chain, so the chain trigger lets it through)
        const [head] = await ds.query('SELECT seq, hash FROM case_history_heads WHERE caseId = ?', [history[0].caseId]);
        await expect(
          ds.query(
            `INSERT INTO case_history (id, caseId, at, actorName, type, note, seq, prevHash, hash) VALUES (1, ?, CURRENT_TIMESTAMP, '某人', 'note', '改写的记录', ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET note = EXCLUDED.note, actorName = EXCLUDED.actorName`,
            [history[0].caseId, head.seq + 1, head.hash, 'f'.repeat(64)],
          ),
        ).rejects.toThrow(/append-only/);
        await expect(
          ds.query(`INSERT INTO audit_events (id, at, actorId, actorName, action, targetType, targetId, detail) VALUES (1, CURRENT_TIMESTAMP, NULL, '某人', 'user.login', 'user', '1', NULL)
                    ON CONFLICT (id) DO UPDATE SET actorName = EXCLUDED.actorName`),
        ).rejects.toThrow(/append-only/);
      } else {
        // SQLite's REPLACE deletes the old row without firing the DELETE trigger
        await expect(
          ds.query(
            `INSERT OR REPLACE INTO case_history (id, caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data, seq, prevHash, hash)
             VALUES (1, ?, datetime('now'), NULL, '某人', NULL, 'note', NULL, NULL, NULL, '改写的记录', NULL, ?, ?, ?)`,
            [history[0].caseId, history[0].seq, history[0].prevHash, history[0].hash],
          ),
        ).rejects.toThrow(/append-only/);
        await expect(ds.query(`REPLACE INTO case_history (id, caseId, at, actorName, type, seq, hash) VALUES (1, 1, datetime('now'), '某人', 'note', 1, ?)`, ['f'.repeat(64)])).rejects.toThrow(/append-only/);
        await expect(
          ds.query(`INSERT OR REPLACE INTO audit_events (id, at, actorId, actorName, action, targetType, targetId, detail) VALUES (1, datetime('now'), NULL, '某人', 'user.login', 'user', '1', NULL)`),
        ).rejects.toThrow(/append-only/);
      }
      expect(await ds.query('SELECT * FROM case_history WHERE id = 1')).toEqual(history);
      expect(await ds.query('SELECT * FROM audit_events WHERE id = 1')).toEqual(audit);
    }));

  it('refuse a history row that does not continue its case\'s chain', () =>
    withDatabase('demo', async (ds) => {
      const [last] = await ds.query('SELECT caseId, seq, hash FROM case_history WHERE caseId = 1 ORDER BY seq DESC LIMIT 1');
      const insert = (seq: number, prevHash: string | null, hash: string) =>
        ds.query(`INSERT INTO case_history (caseId, at, actorName, type, action, note, seq, prevHash, hash) VALUES (1, CURRENT_TIMESTAMP, '某人', 'note', NULL, '补记', ?, ?, ?)`, [seq, prevHash, hash]);
      await expect(insert(last.seq, last.hash, 'f'.repeat(64))).rejects.toThrow(/chain/); // a second row with the same seq
      await expect(insert(last.seq + 2, last.hash, 'f'.repeat(64))).rejects.toThrow(/chain/); // a gap
      await expect(insert(last.seq + 1, 'e'.repeat(64), 'f'.repeat(64))).rejects.toThrow(/chain/); // another predecessor
      await expect(insert(last.seq + 1, last.hash, '')).rejects.toThrow(/chain/); // no hash (the column default)
      await expect(ds.query(`INSERT INTO case_history (caseId, at, actorName, type) VALUES (1, CURRENT_TIMESTAMP, '某人', 'note')`)).rejects.toThrow(/chain/);
      expect((await ds.query('SELECT MAX(seq) AS seq FROM case_history WHERE caseId = 1'))[0].seq).toBe(last.seq);
      // SQLite needs a trigger per statement kind (and REPLACE's); PostgreSQL one per row event and TRUNCATE
      expect(await triggersOf(ds, ['case_history', 'audit_events'])).toEqual(
        onPostgres
          ? ['audit_events_no_truncate', 'audit_events_no_update', 'case_history_chain', 'case_history_no_truncate', 'case_history_no_update']
          : ['audit_events_no_delete', 'audit_events_no_replace', 'audit_events_no_update', 'case_history_chain', 'case_history_head', 'case_history_no_delete', 'case_history_no_replace', 'case_history_no_update'],
      );
    }));

  it('bring the demo county to the current schema with every row kept and every case chained (SQLite: from the previous release)', async () => {
    if (onPostgres) {
      // PostgreSQL has no earlier release to upgrade: its first migration makes today's schema,
      // and every case the demo county wrote through it is chained and verifies, head included
      await withDatabase('demo', async (ds) => {
        expect(await ds.showMigrations()).toBe(false);
        const [{ n: cases }] = await ds.query('SELECT COUNT(*) AS n FROM cases');
        const [{ n: entries }] = await ds.query('SELECT COUNT(*) AS n FROM case_history');
        const findings: string[] = [];
        const summary = await verifyHistory(ds.manager, (f) => findings.push(f.message));
        expect(findings).toEqual([]);
        expect(summary).toMatchObject({ cases, entries });
        const [{ n: headsAtLast }] = await ds.query(
          'SELECT COUNT(*) AS n FROM case_history_heads hd JOIN case_history h ON h.caseId = hd.caseId AND h.seq = hd.seq AND h.hash = hd.hash WHERE hd.seq = (SELECT MAX(seq) FROM case_history x WHERE x.caseId = hd.caseId)',
        );
        expect(headsAtLast).toBe(cases);
        expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      });
      return;
    }
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

  it('never lose a row of the first release (SQLite: upgraded; PostgreSQL: its first migration cannot be undone)', async () => {
    if (onPostgres) {
      // undoing PostgresInit would drop every table: it refuses, and every row stays
      await withDatabase('demo', async (ds) => {
        const count = async () => Promise.all(['users', 'cases', 'case_history', 'relative_registrations'].map(async (t) => (await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n as number));
        const before = await count();
        // the later migrations can be undone, each keeping every row; the first refuses
        const applied = async () => Number((await ds.query('SELECT COUNT(*) AS n FROM migrations'))[0].n);
        while ((await applied()) > 1) await ds.undoLastMigration();
        expect(await count()).toEqual(before);
        await expect(ds.undoLastMigration()).rejects.toThrow(/restore a backup/);
        expect(await applied()).toBe(1);
        expect(await count()).toEqual(before);
        await ds.runMigrations();
        expect(await ds.showMigrations()).toBe(false);
        expect(before.every((n) => n > 0)).toBe(true);
      });
      return;
    }
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

  it('keep the name keys of users and registered relatives in the database, as nameKey makes them', () =>
    withDatabase('demo', async (ds) => {
      const triggers = (await triggersOf(ds, ['users', 'relative_registrations'])).filter((n) => n.includes('name_key'));
      // SQLite: a trigger for INSERT and one for UPDATE; PostgreSQL: one BEFORE INSERT OR UPDATE
      expect(triggers).toEqual(onPostgres ? ['relative_name_key', 'users_name_key'] : ['relative_name_key_insert', 'relative_name_key_update', 'users_name_key_insert', 'users_name_key_update']);
      const names = ['李 晓梅', '李\u00a0晓梅', '阿依古丽·买买提', '阿依古丽．买买提', '王\u3000二\t小', 'A.B•C・D'];
      for (const [i, name] of names.entries()) {
        await ds.query(`INSERT INTO users (username, displayName, passwordHash, role) VALUES (?, ?, 'x', 'operator')`, [`k${i}`, name]);
        await ds.query(`INSERT INTO relative_registrations (staffName, staffPost, staffUnit, relativeName, relationship, createdAt, updatedAt, updatedBy) VALUES ('甲', '乙', '丙', ?, '父母', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '测试')`, [name]);
      }
      const users: { displayName: string; displayNameKey: string }[] = await ds.query(`SELECT displayName, displayNameKey FROM users WHERE username LIKE 'k%' ORDER BY id`);
      const relatives: { relativeName: string; relativeNameKey: string }[] = await ds.query(`SELECT relativeName, relativeNameKey FROM relative_registrations WHERE staffName = '甲' ORDER BY id`);
      expect(users.map((u) => u.displayNameKey)).toEqual(names.map(nameKey));
      expect(relatives.map((r) => r.relativeNameKey)).toEqual(names.map(nameKey));
      await ds.query(`UPDATE users SET displayName = '赵 六' WHERE username = 'k0'`);
      await ds.query(`UPDATE relative_registrations SET relativeName = '钱·七' WHERE relativeName = '李 晓梅'`);
      expect((await ds.query(`SELECT displayNameKey FROM users WHERE username = 'k0'`))[0].displayNameKey).toBe('赵六');
      expect((await ds.query(`SELECT COUNT(*) n FROM relative_registrations WHERE relativeNameKey = '钱七'`))[0].n).toBe(1);
    }));

  it('index the names of a case’s reporter and subject by nameKey, and the search box’s lookup uses the index', () =>
    withDatabase('demo', async (ds) => {
      const names = ['李 晓梅', '李\u00a0晓梅', '阿依古丽·买买提', '阿依古丽．买买提', '王\u3000二\t小', 'A.B•C・D'];
      // the SQL form is nameKey itself
      for (const name of names) expect((await ds.query(`SELECT ${nameKeySql('CAST(? AS TEXT)')} AS k`, [name]))[0].k).toBe(nameKey(name));
      const [{ createdById }] = await ds.query(`SELECT createdById FROM cases LIMIT 1`);
      for (const [i, name] of names.entries()) {
        await ds.query(
          `INSERT INTO cases (caseNo, channel, kind, program, problemTypes, reporterType, reporterName, subjectName, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version)
           VALUES (?, 'hotline', 'complaint', 'other', '', 'realName', ?, ?, '内容', 'normal', 'registered', CURRENT_TIMESTAMP, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`,
          [`KK2026-00000${i}`, name, `${name}乙`, createdById],
        );
      }
      const by = async (column: string, key: string) => {
        const sql = `SELECT caseNo FROM cases c WHERE ${nameKeyMatch(column, '?')} ORDER BY c.id DESC LIMIT 21`;
        return { plan: await queryPlan(ds, sql, [key]), found: (await ds.query(sql, [key])).map((r: { caseNo: string }) => r.caseNo) };
      };
      const reporter = await by('c.reporterName', '李晓梅');
      expect(reporter.found).toEqual(['KK2026-000001', 'KK2026-000000']);
      expect(reporter.plan).toMatch(usesIndex('c', 'IDX_cases_reporter_name_key'));
      const subject = await by('c.subjectName', '阿依古丽买买提乙');
      expect(subject.found).toEqual(['KK2026-000003', 'KK2026-000002']);
      expect(subject.plan).toMatch(usesIndex('c', 'IDX_cases_subject_name_key'));
    }));

  it('keep every write on the connection durable, enforce foreign keys and wait for a busy database rather than fail', () =>
    withDatabase('empty', async (ds) => {
      if (onPostgres) {
        // commits wait for the WAL flush; instants compared in UTC; a lock is waited for, bounded by the statement timeout
        expect((await ds.query('SHOW synchronous_commit'))[0].synchronous_commit).toBe('on');
        expect((await ds.query('SHOW fsync'))[0].fsync).toBe('on');
        expect((await ds.query('SHOW TimeZone'))[0].TimeZone).toBe('UTC');
        expect((await ds.query('SHOW lock_timeout'))[0].lock_timeout).toBe('0');
        expect((await ds.query('SHOW statement_timeout'))[0].statement_timeout).toBe('2min');
      } else {
        expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
        expect((await ds.query('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
        expect((await ds.query('PRAGMA synchronous'))[0].synchronous).toBe(2);
        expect((await ds.query('PRAGMA busy_timeout'))[0].timeout).toBeGreaterThanOrEqual(5000);
      }
      // a problem type of a case that does not exist is refused, on either engine
      await expect(ds.query(`INSERT INTO case_problem_types (caseId, problemType) VALUES (999999, 'favouritism')`)).rejects.toThrow(/foreign key/i);
    }));
});
