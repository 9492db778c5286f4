import { execFile } from 'child_process';
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { copyTemplate } from '../utils/test-app';

const run = promisify(execFile);
const DIST = path.resolve(__dirname, '..', '..', 'dist');
const VERIFY_CLI = path.join(DIST, 'cli', 'verify-history.js');

/** The compiled `npm run verify-history`, and history written by several processes on one file. */
describe('verify-history as a command', () => {
  let file: string;
  beforeEach(() => (file = copyTemplate('demo')));
  afterEach(() => {
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  });

  const verify = async () => {
    try {
      const { stdout } = await run(process.execPath, [VERIFY_CLI], { env: { ...process.env, DATABASE_PATH: file } });
      return { code: 0, stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, stdout: err.stdout };
    }
  };

  it('exits with 0 on an intact database, and with 1 naming the case when an entry was changed', async () => {
    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('全部完好');
    const db = new Database(file);
    const { caseNo, id } = db.prepare(`SELECT c.caseNo, c.id FROM cases c ORDER BY c.id LIMIT 1`).get() as { caseNo: string; id: number };
    const trigger = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'case_history_no_update'`).get() as { sql: string }).sql;
    db.exec('DROP TRIGGER case_history_no_update');
    db.prepare(`UPDATE case_history SET actorName = '另一人' WHERE caseId = ? AND seq = 1`).run(id);
    db.exec(trigger);
    db.close();
    const bad = await verify();
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`${caseNo} 第 1 条办理记录被改动`);
  });

  it('keeps one unbroken chain per case when two processes append to the same cases at once', async () => {
    // Each process: 40 write transactions, each appending to the same two cases, as two
    // instances of the app on one file would (BEGIN IMMEDIATE, as DbWriter does).
    const writer = `
      const Database = require('better-sqlite3');
      const { insertEntriesSqlite: insertEntries } = require(${JSON.stringify(path.join(DIST, 'cases', 'history', 'case-history.repository.js'))});
      const db = new Database(process.env.DATABASE_PATH);
      db.pragma('busy_timeout = 10000');
      for (let i = 0; i < 40; i++) {
        db.exec('BEGIN IMMEDIATE');
        const at = new Date();
        insertEntries(db, [1, 2].map((caseId) => ({ caseId, at, actorId: null, actorName: '进程' + process.argv[1], actorRole: null, type: 'note', action: 'unlink-repeat', fromStatus: null, toStatus: null, note: '第 ' + i + ' 次', data: null })));
        db.exec('COMMIT');
      }`;
    const first = new Database(file, { readonly: true });
    const before = (first.prepare('SELECT COUNT(*) AS n FROM case_history WHERE caseId IN (1, 2)').get() as { n: number }).n;
    first.close();
    await Promise.all(['甲', '乙'].map((name) => run(process.execPath, ['-e', writer, name], { env: { ...process.env, DATABASE_PATH: file }, cwd: path.resolve(__dirname, '..', '..') })));
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT caseId, seq FROM case_history WHERE caseId IN (1, 2) ORDER BY caseId, seq').all() as { caseId: number; seq: number }[];
    db.close();
    expect(rows).toHaveLength(before + 2 * 2 * 40);
    for (const caseId of [1, 2]) {
      const seqs = rows.filter((r) => r.caseId === caseId).map((r) => r.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
    expect((await verify()).code).toBe(0);
  });
});
