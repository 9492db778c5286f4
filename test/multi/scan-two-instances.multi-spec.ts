import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import Database from 'better-sqlite3';
import * as fs from 'fs';
import { FixedClock } from '../../src/common/clock';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { helpRequestBody } from '../factories/case.factory';
import { act, tokens } from '../utils/workflow';
import { createTestApp } from '../utils/test-app';

const run = promisify(execFile);
const SCAN_CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'scan.js');

/**
 * Two application instances are two processes on one SQLite file. Cases assigned on 2026-03-02
 * are long overdue by the real date the processes run on.
 */
describe('the deadline scan in two processes sharing one database', () => {
  let dbPath: string;
  const caseNos: string[] = [];
  beforeAll(async () => {
    const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
    const t = await createTestApp({ clock });
    dbPath = t.dbPath;
    const tk = await tokens(t);
    for (let i = 0; i < 20; i++) {
      const no = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null }))).body.caseNo;
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 1 });
      caseNos.push(no);
    }
    // the same scan in this process first, well after both limits: running it again must add nothing
    clock.set(new Date('2026-06-01T02:00:00Z'));
    expect((await t.app.get(DeadlineScanService).scan()).overdue).toBeGreaterThanOrEqual(20);
    await t.app.close();
  });
  afterAll(() => {
    for (const s of ['', '-wal', '-shm']) fs.rmSync(dbPath + s, { force: true });
  });

  const env = () => ({ ...process.env, DATABASE_PATH: dbPath, NODE_ENV: 'test', DEMO_DATA: '0' });

  const counts = () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const marks = caseNos.map(() => '?').join(',');
      const history = db.prepare(`SELECT COUNT(*) AS n FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo IN (${marks}) AND h.type = 'deadline' AND h.action = 'overdue'`).get(...caseNos) as { n: number };
      const notes = db.prepare(`SELECT COUNT(*) AS n FROM notifications n JOIN cases c ON c.id = n.caseId WHERE c.caseNo IN (${marks}) AND n.type = 'overdue'`).get(...caseNos) as { n: number };
      return { history: history.n, notes: notes.n };
    } finally {
      db.close();
    }
  };

  it('gives exactly one notification per event when two processes scan at the same moment, lease or not', async () => {
    const before = counts();
    // acknowledge, verify, the 60-day overall clock and the 15-day written notice (never recorded)
    // of 20 cases are overdue: 80 history rows; the township clocks notify township1 and the
    // supervisor, the overall and notice clocks the supervisor
    expect(before.history).toBe(80);
    expect(before.notes).toBe(20 * 2 * 2 + 20 * 2);
    await Promise.all([run(process.execPath, [SCAN_CLI, '--ignore-lease'], { env: env() }), run(process.execPath, [SCAN_CLI, '--ignore-lease'], { env: env() })]);
    await Promise.all([run(process.execPath, [SCAN_CLI], { env: env() }), run(process.execPath, [SCAN_CLI], { env: env() })]);
    expect(counts()).toEqual(before);
  });

  it('lets one of two processes hold the lease', async () => {
    const db = new Database(dbPath);
    db.prepare(`INSERT OR REPLACE INTO job_leases (name, holder, expiresAt) VALUES ('deadline-scan', 'elsewhere', '2999-01-01 00:00:00.000')`).run();
    db.close();
    const { stdout } = await run(process.execPath, [SCAN_CLI], { env: env() });
    expect(stdout).toContain('another instance is scanning now');
  });
});
