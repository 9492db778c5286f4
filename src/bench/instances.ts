/**
 * Several application processes on one PostgreSQL server behind nginx, as docs/OPERATIONS.md runs
 * them: the pieces shared by the bench's `instances` phase (bench-engine.ts) and the test that
 * checks the same things (test/multi/instances.multi-spec.ts), so both run one nginx
 * configuration, one burst with one instance killed in it, and one concurrent scan.
 */
import { ChildProcess, execFile, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { Client } from 'pg';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
export const MAIN = path.join(ROOT, 'dist', 'main.js');
export const SCAN_CLI = path.join(ROOT, 'dist', 'cli', 'scan.js');

/** A TCP port free on this machine now, for a server a test or the bench starts (an app, nginx, PostgreSQL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `ok` answers true (errors count as not yet). */
export async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

/** True if an `nginx` binary answers on the PATH (Debian: apt-get install nginx). */
export function nginxInstalled(): boolean {
  const r = spawnSync('nginx', ['-v'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/**
 * The upstream and location of docs/OPERATIONS.md ("3. nginx"), on plain HTTP on 127.0.0.1 with
 * this run's ports and folder (TLS is the only part left out: the instances trust the proxy and
 * are told the scheme by X-Forwarded-Proto, which the caller sets where a Secure cookie matters).
 */
export function nginxConf(dir: string, port: number, upstreams: number[]): string {
  return `worker_processes 1;
user root;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
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
      proxy_read_timeout 300s;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

export interface Nginx {
  base: string;
  port: number;
  stop: () => Promise<void>;
}

/** nginx in the foreground in a folder of its own, in front of `upstreams`; ready once /api/v1/health answers 200 through it. */
export async function startNginx(upstreams: number[]): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-nginx-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, port, upstreams));
  const p = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (p.exitCode === null && p.signalCode === null) {
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      // the timer unref'd: it must not keep a test's process alive once nginx is gone
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('nginx', async () => {
      if (p.exitCode !== null) throw new Error(`nginx exited ${p.exitCode}: ${err}`);
      return (await get(`${base}/api/v1/health`)).status === 200;
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, port, stop };
}

/**
 * How production starts a server (package.json's start:prod, the systemd unit of
 * docs/OPERATIONS.md): the heap capped, and glibc's malloc held to two arenas (the export
 * workers' threads each took one of their own: two exports at once peaked 37 MB higher).
 */
export const SERVER_NODE_ARGS = ['--max-old-space-size=192'] as const;
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/** One application process as a systemd unit of docs/OPERATIONS.md starts it. */
export function startInstance(env: NodeJS.ProcessEnv, label: string): ChildProcess {
  const p = spawn(process.execPath, [...SERVER_NODE_ARGS, MAIN], { env: { ...env, ...SERVER_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  p.on('exit', (code) => code && console.error(`${label} exited ${code}: ${err}`));
  return p;
}

export async function waitHealthy(port: number, ms = 120_000): Promise<void> {
  await until(`instance on ${port}`, async () => (await get(`http://127.0.0.1:${port}/api/v1/health`)).status === 200, ms);
}

interface Reply {
  status: number;
  text: string;
}

function send(url: string, method: string, headers: Record<string, string>, body: string | undefined, agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // one-off requests (health, sign-in) on a connection of their own, closed after: no socket is
    // left open to keep a test's process alive
    const req = http.request(url, { method, agent: agent ?? false, headers: { ...headers, 'content-length': body ? Buffer.byteLength(body) : 0 } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function get(url: string): Promise<Reply> {
  return send(url, 'GET', {}, undefined);
}

/** An API token through `base` (POST /api/v1/auth/login). */
export async function apiToken(base: string, username: string, password: string): Promise<string> {
  const r = await send(`${base}/api/v1/auth/login`, 'POST', { 'content-type': 'application/json' }, JSON.stringify({ username, password }));
  if (r.status !== 200) throw new Error(`sign-in of ${username} through ${base}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return JSON.parse(r.text).token as string;
}

export interface Burst {
  sent: number;
  /** Case numbers answered with 201. */
  acknowledged: string[];
  /** Answers other than 201 (or no answer), by status (0: the connection failed). */
  refused: Record<string, number>;
  seconds: number;
}

/**
 * `total` intakes (POST /api/v1/cases) through `base` from `concurrency` workers; `kill` is called
 * when the `killAt`-th request is sent (the instance killed in the middle of the burst).
 */
export async function intakeBurst(opts: { base: string; token: string; total: number; concurrency: number; body: (i: number) => object; killAt?: number; kill?: () => void }): Promise<Burst> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const headers = { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' };
  const acknowledged: string[] = [];
  const refused: Record<string, number> = {};
  let sent = 0;
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (sent < opts.total) {
          const i = sent++;
          if (i === opts.killAt) opts.kill?.();
          const r = await send(`${opts.base}/api/v1/cases`, 'POST', headers, JSON.stringify(opts.body(i)), agent).catch(() => ({ status: 0, text: '' }));
          if (r.status === 201) acknowledged.push(JSON.parse(r.text).caseNo as string);
          else refused[r.status] = (refused[r.status] ?? 0) + 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { sent, acknowledged, refused, seconds: (performance.now() - t0) / 1000 };
}

export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Acknowledged case numbers the database does not hold; and acknowledged numbers given twice. */
export async function missingCases(url: string, acknowledged: string[]): Promise<{ missing: string[]; duplicates: number }> {
  const stored = new Set((await query<{ caseNo: string }>(url, 'SELECT "caseNo" FROM cases WHERE "caseNo" = ANY($1)', [acknowledged])).map((r) => r.caseNo));
  return { missing: [...new Set(acknowledged)].filter((n) => !stored.has(n)), duplicates: acknowledged.length - new Set(acknowledged).size };
}

/** Acknowledged cases stored without their first history row or their county-acceptance clock. */
export async function partialCases(url: string, acknowledged: string[]): Promise<string[]> {
  const rows = await query<{ caseNo: string }>(
    url,
    `SELECT c."caseNo" FROM cases c WHERE c."caseNo" = ANY($1) AND (NOT EXISTS (SELECT 1 FROM case_history h WHERE h."caseId" = c.id AND h.seq = 1 AND h.type = 'created')
       OR NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d."caseId" = c.id AND d.stage = 'countyAccept'))`,
    [acknowledged],
  );
  return rows.map((r) => r.caseNo);
}

export interface OverdueMarks {
  /** History rows marking a clock overdue. */
  total: number;
  /** Clocks marked overdue more than once (each must be marked once). */
  twice: number;
}

export async function overdueMarks(url: string): Promise<OverdueMarks> {
  const [{ total }] = await query<{ total: number }>(url, `SELECT COUNT(*)::int AS total FROM case_history WHERE type = 'deadline' AND action = 'overdue'`);
  const [{ twice }] = await query<{ twice: number }>(
    url,
    `SELECT COUNT(*)::int AS twice FROM (SELECT 1 FROM case_history h WHERE h.type = 'deadline' AND h.action = 'overdue' GROUP BY h."caseId", h.data HAVING COUNT(*) > 1) t`,
  );
  return { total, twice };
}

/** `n` deadline scans (`npm run scan`, dist/cli/scan.js) started at the same moment; how many ran and how many found the lease taken. */
export async function scansTogether(env: NodeJS.ProcessEnv, n: number): Promise<{ ran: number; declined: number }> {
  const scans = await Promise.all(Array.from({ length: n }, () => run(process.execPath, [SCAN_CLI], { env })));
  const ran = scans.filter((s) => s.stdout.trim().startsWith('{')).length;
  return { ran, declined: n - ran };
}
