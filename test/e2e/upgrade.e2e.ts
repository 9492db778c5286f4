import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { verifyHistory } from '../../src/cases/history/history-verify';
import type { DatabaseTarget } from '../../src/database/engine';
import { createDataSource } from '../../src/database/data-source';
import { createPostgresDatabase, dropPostgresDatabase, onPostgres, postgresUrl } from '../utils/engine';
import { TMP_DIR } from '../utils/paths';
import { timelinessOfAll } from '../utils/timeliness';
import { storedTallies, talliesFromCases } from '../utils/tallies';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

/**
 * A database made by the release before counties (main at 2026-12-02, its demo county started
 * with CLOCK_START=2026-12-02T10:00:00+08:00 and copied with `npm run backup`: test/fixtures)
 * upgrades in place when the new release starts on it: its county is told from its townships'
 * division codes, written into every row, and nothing is lost.
 */
const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const TABLES = ['cases', 'case_history', 'case_history_heads', 'case_deadlines', 'case_problem_types', 'users', 'townships', 'villages', 'referrals', 'referral_cases', 'relative_registrations', 'spot_checks', 'spot_check_items', 'notifications', 'case_recusals', 'audit_events', 'calendar_days', 'deadline_rules'];

async function releaseDatabase(): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (onPostgres) {
    const db = await createPostgresDatabase('template0');
    execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${postgresUrl(db.name)}`, path.join(FIXTURES, 'release-2026-12-02.pgdump')], { stdio: 'pipe' });
    return { target: { engine: 'postgres', url: db.url }, drop: () => dropPostgresDatabase(db.name) };
  }
  const file = path.join(TMP_DIR, `release-${process.pid}.sqlite`);
  fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'release-2026-12-02.sqlite.gz'))));
  return { target: { engine: 'sqlite', path: file }, drop: async () => ['', '-wal', '-shm'].forEach((s) => fs.rmSync(file + s, { force: true })) };
}

async function snapshot(target: DatabaseTarget) {
  const ds = createDataSource(target);
  await ds.initialize();
  try {
    const counts: Record<string, number> = {};
    for (const t of TABLES) counts[t] = Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
    const caseNos: string[] = (await ds.query("SELECT caseNo FROM cases ORDER BY id")).map((r: { caseNo: string }) => r.caseNo);
    const leadNos = (await ds.query('SELECT leadNo FROM referrals ORDER BY id')).map((r: { leadNo: string }) => r.leadNo);
    const hashes = (await ds.query('SELECT hash FROM case_history ORDER BY id')).map((r: { hash: string }) => r.hash);
    return { counts, caseNos, leadNos, hashes };
  } finally {
    await ds.destroy();
  }
}

describe('a database of the release before counties', () => {
  let db: Awaited<ReturnType<typeof releaseDatabase>>;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let t: TestApp;
  const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-upgrade-'));
  const saved = { code: process.env.COUNTY_CODE, name: process.env.COUNTY_NAME };

  beforeAll(async () => {
    db = await releaseDatabase();
    before = await snapshot(db.target);
    // the county is not configured: the upgrade tells it from the townships' codes (141099xxx)
    delete process.env.COUNTY_CODE;
    process.env.COUNTY_NAME = '清源县';
    t = await createTestApp({ target: db.target, env: { BACKUP_DIR: backups } });
  });

  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
    process.env.COUNTY_CODE = saved.code;
    process.env.COUNTY_NAME = saved.name;
    fs.rmSync(backups, { recursive: true, force: true });
  });

  it('is backed up, then upgraded with every row, number and history hash kept', async () => {
    expect(before.counts.cases).toBe(240);
    expect(fs.readdirSync(backups).filter((f) => f.includes('before-migration'))).toHaveLength(1);
    expect(await t.dataSource.showMigrations()).toBe(false);
    expect((await t.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    const after = await snapshot(db.target);
    expect(after).toEqual(before);
    const findings: string[] = [];
    const summary = await verifyHistory(t.dataSource.manager, (f) => findings.push(f.message));
    expect(findings).toEqual([]);
    expect(summary).toMatchObject({ cases: before.counts.cases, entries: before.counts.case_history });
    // each old case has what its clocks say about its timeliness (the on-time figures read it)
    const { stored, fromClocks } = await timelinessOfAll((q, p) => t.dataSource.query(q, p));
    expect(fromClocks.filter((x) => x.clocksOpen).length).toBeGreaterThan(0);
    expect(stored).toEqual(fromClocks);
    // and is counted in its county's tallies (the roll-up across counties reads them)
    const query = (q: string, p?: unknown[]) => t.dataSource.query(q, p) as Promise<Record<string, unknown>[]>;
    const tallies = await talliesFromCases(query);
    expect([...tallies.values()].reduce((a, n) => a + n, 0)).toBe(before.counts.cases);
    expect(await storedTallies(query)).toEqual(tallies);
  });

  it('puts every row in the county its townships lie in, named from the configuration', async () => {
    expect(await t.dataSource.query(`SELECT code, name, level FROM regions`)).toEqual([{ code: '141099', name: '清源县', level: 'county' }]);
    for (const table of ['townships', 'cases', 'referrals', 'spot_checks', 'relative_registrations']) {
      expect(await t.dataSource.query(`SELECT DISTINCT countyCode FROM ${table}`)).toEqual([{ countyCode: '141099' }]);
    }
    expect(await t.dataSource.query(`SELECT DISTINCT regionCode FROM users`)).toEqual([{ regionCode: '141099' }]);
  });

  it('lets its staff work on as before: old numbers open, new cases are numbered on with the county code', async () => {
    const operator = await signIn(t, 'operator');
    const oldNo = before.caseNos[0];
    expect(oldNo).toMatch(/^JZ\d{4}-\d{6}$/);
    const page = await operator.get(`/cases/${oldNo}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(oldNo);
    const csrf = await csrfOf(operator, '/cases/new');
    const res = await operator
      .post('/cases')
      .type('form')
      .send({ _csrf: csrf, channel: 'hotline', kind: 'consultation', program: 'other', reporterType: 'anonymous', content: '咨询临时救助的申请条件。' });
    expect(res.status).toBe(303);
    const year = before.caseNos.filter((n) => n.startsWith('JZ2026-'));
    const last = Math.max(...year.map((n) => Number(n.slice(-6))));
    expect(decodeURIComponent(res.headers.location)).toBe(`/cases/JZ2026-141099-${String(last + 1).padStart(6, '0')}`);
    // a township user still sees their township's cases, and only those
    const township = await signIn(t, 'township1');
    const list = await township.get('/cases');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/共 [1-9]\d* 件/);
  });
});

describe('a database of the release before counties whose county cannot be told', () => {
  it('is left as it was, with a message that says what to set', async () => {
    const db = await releaseDatabase();
    const saved = process.env.COUNTY_CODE;
    delete process.env.COUNTY_CODE;
    const ds = createDataSource(db.target);
    await ds.initialize();
    try {
      // a township whose code is not of the county the others are in
      await ds.query(`UPDATE townships SET code = '141001100' WHERE id = 1`);
      const pending = (await ds.query(`SELECT COUNT(*) AS n FROM migrations`))[0].n;
      await expect(ds.runMigrations({ transaction: 'all' })).rejects.toThrow(/COUNTY_CODE（六位数字/);
      expect((await ds.query(`SELECT COUNT(*) AS n FROM migrations`))[0].n).toBe(pending);
      const regions = onPostgres
        ? await ds.query(`SELECT to_regclass('regions') AS r`)
        : await ds.query(`SELECT name AS r FROM sqlite_master WHERE name = 'regions'`);
      expect(onPostgres ? regions[0].r : regions.length).toBe(onPostgres ? null : 0);
      // told the county, the same database upgrades
      process.env.COUNTY_CODE = '141099';
      await ds.runMigrations({ transaction: 'all' });
      expect(await ds.query(`SELECT DISTINCT countyCode FROM cases`)).toEqual([{ countyCode: '141099' }]);
    } finally {
      process.env.COUNTY_CODE = saved;
      await ds.destroy();
      await db.drop();
    }
  });
});
