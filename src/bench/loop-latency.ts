/**
 * node dist/bench/loop-latency.js [--cases 100000] [--port 3997] [--app DIR]
 *
 * How the request loop fares while long work runs: /api/v1/health is asked every 50 ms while
 * (1) one ledger export (CSV) is read at full speed, (2) two exports (CSV and .xlsx) run at once,
 * (3) the weekly report page is made; its latencies, each phase's duration and the server's peak
 * RSS are printed. `--app DIR` runs the server of another build (DIR/dist/main.js, e.g. the main
 * branch built elsewhere) on a copy of the same database, for a before/after comparison.
 * The database (migrated, demo county, then bulk-seeded cases) is kept under data/bench/.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import { BULK_SEED_VERSION, bulkSeed } from './bulk-seed';
import { SERVER_ENV, SERVER_NODE_ARGS } from './instances';

const ROOT = path.resolve(__dirname, '..', '..');
const log = (s: string) => process.stdout.write(s + '\n');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
}

async function prepare(file: string, cases: number): Promise<void> {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  log(`seeding ${cases} cases into ${path.relative(ROOT, file)} …`);
  process.env.DATABASE_PATH = file;
  process.env.NODE_ENV = 'development';
  process.env.DEMO_DATA = '1';
  const { AppModule } = await import('../app.module');
  const ctx = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await ctx.close();
  const { DEMO_CASE_COUNT } = await import('../seed/demo-seed.service');
  bulkSeed(file, Math.max(0, cases - DEMO_CASE_COUNT), log);
}

async function start(appDir: string, file: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, path.join(appDir, 'dist', 'main.js')], {
    env: { ...process.env, ...SERVER_ENV, DATABASE_PATH: file, PORT: String(port), NODE_ENV: 'production', TRUST_PROXY: '1', DEMO_DATA: '0', SESSION_SECRET: 'bench-'.repeat(8), JOBS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => null))?.ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('server did not start');
}

function get(port: number, url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A signed-in browser session of `username` (the report pages take a session, not a token): its cookie. */
async function session(port: number, username: string): Promise<string> {
  // production sessions are for HTTPS: the bench says so as a proxy in front would (TRUST_PROXY)
  const https = { 'x-forwarded-proto': 'https' };
  const page = await fetch(`http://127.0.0.1:${port}/login`, { headers: https });
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const res = await fetch(`http://127.0.0.1:${port}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...https, 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ username, password: 'demo1234', _csrf: csrf }).toString(),
  });
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ') || cookie;
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

const pct = (v: number[], p: number) => {
  const s = [...v].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0);
};

/** Health latencies (ms) measured every 50 ms while `work` runs; and how long it took. */
async function during(port: number, work: () => Promise<unknown>): Promise<{ seconds: number; p50: number; p99: number; max: number; n: number }> {
  const times: number[] = [];
  let done = false;
  const probe = (async () => {
    while (!done) {
      const t0 = performance.now();
      await get(port, '/api/v1/health');
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  await work();
  const seconds = +((performance.now() - t0) / 1000).toFixed(1);
  done = true;
  await probe;
  return { seconds, p50: pct(times, 50), p99: pct(times, 99), max: Math.round(Math.max(...times)), n: times.length };
}

async function main() {
  const cases = Number(arg('cases', '100000'));
  const port = Number(arg('port', '3997'));
  const appDir = path.resolve(arg('app', ROOT));
  const seeded = path.join(ROOT, 'data', 'bench', `loop-${cases}-v${BULK_SEED_VERSION}.sqlite`);
  await prepare(seeded, cases);
  // each build on its own copy: a build's migrations do not touch the other's file
  const file = path.join(ROOT, 'data', 'bench', `loop-run-${process.pid}.sqlite`);
  fs.copyFileSync(seeded, file);
  let server: ChildProcess | undefined;
  try {
    server = await start(appDir, file, port);
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'demo1234' }) });
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    log(`${appDir} on ${cases} cases`);
    const idle = await during(port, () => new Promise((r) => setTimeout(r, 2000)));
    log(`  idle: health p50 ${idle.p50} ms, p99 ${idle.p99} ms, max ${idle.max} ms`);
    const one = await during(port, () => get(port, '/api/v1/cases/export?format=csv', auth));
    log(`  one CSV export (${one.seconds} s): health p50 ${one.p50} ms, p99 ${one.p99} ms, max ${one.max} ms (${one.n} probes)`);
    const two = await during(port, () => Promise.all([get(port, '/api/v1/cases/export?format=csv', auth), get(port, '/api/v1/cases/export?format=xlsx', auth)]));
    log(`  CSV and .xlsx exports at once (${two.seconds} s): health p50 ${two.p50} ms, p99 ${two.p99} ms, max ${two.max} ms (${two.n} probes)`);
    const week = await during(port, async () => {
      const r = await get(port, '/reports/weekly', { cookie: await session(port, 'supervisor'), 'x-forwarded-proto': 'https' });
      if (r.status !== 200) log(`  (weekly report: HTTP ${r.status})`);
    });
    log(`  weekly report (${week.seconds} s): health p50 ${week.p50} ms, p99 ${week.p99} ms, max ${week.max} ms`);
    const month = await during(port, async () => {
      const r = await get(port, '/reports/monthly', { cookie: await session(port, 'supervisor'), 'x-forwarded-proto': 'https' });
      if (r.status !== 200) log(`  (monthly statistics: HTTP ${r.status})`);
    });
    log(`  monthly statistics (${month.seconds} s): health p50 ${month.p50} ms, p99 ${month.p99} ms, max ${month.max} ms`);
    log(`  server peak RSS ${peakRssMb(server.pid!)} MB`);
  } finally {
    server?.kill();
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  }
}

void main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
