/**
 * One engine's half of `npm run bench` (started by bench.ts, once per engine, in a process of its
 * own: the engine is fixed when the app's modules load). On SQLite the database is a file under
 * data/bench/; on PostgreSQL, DATABASE_URL names the server that bench.ts started. It seeds the
 * database if asked (reused otherwise), starts the real server on it in production mode, and
 * measures over HTTP; the figures go to the file given by --out, as JSON.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import type { DatabaseTarget } from '../database/engine';
import { openReadConnection, sqlOfConnection } from '../database/sql';
import { BULK_SEED_VERSION, bulkSeed, bulkSeedPostgres } from './bulk-seed';
import { provinceFileName, seedProvince } from './province-seed';
import { arg, phasesAsked, textArg } from './bench-args';
import { deadlineBench, DeadlineBenchResult } from './deadline-bench';
import { apiToken, freePort, intakeBurst, missingCases, overdueMarks, partialCases, query, scansTogether, SERVER_ENV, SERVER_NODE_ARGS, startInstance, startNginx, waitHealthy } from './instances';

const ROOT = path.resolve(__dirname, '..', '..');
const log = (s: string) => process.stdout.write(s + '\n');

// node:http with keep-alive: lighter than fetch, so the client takes less of the CPU the server
// needs on these 2-core machines (fetch alone held intake under 500/s here).
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Reply {
  status: number;
  ok: boolean;
  text: string;
  headers: http.IncomingHttpHeaders;
}

function call(port: number, method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, agent, headers: { ...headers, 'content-length': body ? Buffer.byteLength(body) : 0 } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ok: (res.statusCode ?? 0) < 400, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** The app's own start-up (migrations, the demo county with its users and 240 cases), then the bulk cases. */
async function seed(target: DatabaseTarget, cases: number) {
  process.env.NODE_ENV = 'development';
  process.env.DEMO_DATA = '1';
  process.env.JOBS = '0';
  const { AppModule } = await import('../app.module');
  const ctx = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await ctx.close();
  const { DEMO_CASE_COUNT } = await import('../seed/demo-seed.service');
  const count = Math.max(0, cases - DEMO_CASE_COUNT);
  if (target.engine === 'sqlite') bulkSeed(target.path, count, log);
  else {
    const pg = await import('pg');
    const client = new pg.Client({ connectionString: target.url, options: '-c TimeZone=UTC -c synchronous_commit=off' });
    await client.connect();
    try {
      await bulkSeedPostgres(client, count, log);
    } finally {
      await client.end();
    }
  }
}

/**
 * Seeds the database unless it was seeded before: one county's (the operator's) by default, or
 * with --counties N a province's, shared with the roll-up bench (province-seed.ts).
 */
async function prepareDatabase(target: DatabaseTarget, cases: number, counties: number) {
  const seedIt = async () => {
    const started = Date.now();
    if (counties > 1) await seedProvince(target, counties, cases, log);
    else await seed(target, cases);
    log(`Seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  };
  const what = counties > 1 ? `${counties} counties and ${cases} cases` : `${cases} cases`;
  if (target.engine === 'sqlite') {
    if (fs.existsSync(target.path)) return log(`Reusing ${path.relative(ROOT, target.path)}`);
    fs.mkdirSync(path.dirname(target.path), { recursive: true });
    log(`Seeding ${what} into ${path.relative(ROOT, target.path)} ...`);
    process.env.DATABASE_PATH = target.path;
    return seedIt();
  }
  // bench.ts says whether its PostgreSQL cluster is new (BENCH_PG_SEED) and where to mark it seeded
  if (process.env.BENCH_PG_SEED !== '1') return log('Reusing the seeded PostgreSQL database');
  log(`Seeding ${what} into PostgreSQL ...`);
  await seedIt();
  if (process.env.BENCH_PG_MARKER) fs.writeFileSync(process.env.BENCH_PG_MARKER, `${cases}\n`);
}

/**
 * Keys for the search box, read from the database before the server starts (a case of the
 * operator's county in the middle of the ledger for each), each typed as a caller would read it out.
 */
async function searchKeys(target: DatabaseTarget) {
  const conn = await openReadConnection(target, 'duban-bench');
  const sql = sqlOfConnection(conn);
  try {
    const { n } = (await sql.get<{ n: number }>('SELECT MAX(id) AS n FROM cases'))!;
    const mid = Math.floor(n / 2);
    const { county } = (await sql.get<{ county: string }>(`SELECT regionCode AS county FROM users WHERE username = 'operator'`))!;
    const one = async (col: string, where: string) => {
      const row = await sql.get<{ v: string }>(`SELECT ${col} AS v FROM cases WHERE id > ? AND countyCode = ? AND ${where} ORDER BY id LIMIT 1`, [mid, county]);
      if (!row) throw new Error(`bench: no seeded case has ${where}`);
      return row.v;
    };
    const caseNo = await one('caseNo', '1 = 1');
    const mobile = await one('reporterPhone', `reporterPhone LIKE '1%'`);
    const landline = await one('reporterPhone', `reporterPhone LIKE '0%-%'`);
    const idNumber = await one('reporterIdNumber', 'reporterIdNumber IS NOT NULL');
    const reporterName = await one('reporterName', `reporterName IS NOT NULL AND reporterName <> '压测'`);
    const subjectName = await one('subjectName', 'subjectName IS NOT NULL');
    // a complaint's reporter, for the township user who must not find them
    const complainant = await one('reporterPhone', `kind = 'complaint' AND reporterType = 'realName' AND reporterPhone IS NOT NULL AND assignedAt IS NOT NULL`);
    return {
      caseNo: caseNo.toLowerCase().replace('-', ' '),
      mobile: `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
      landline: landline.replace('-', ''),
      idNumber: idNumber.replace('X', 'x'),
      reporterName,
      subjectName,
      complainant,
    };
  } finally {
    await conn.close();
  }
}

/** The county's active townships (the intake bodies name them in turn). */
async function townshipIds(target: DatabaseTarget): Promise<number[]> {
  const conn = await openReadConnection(target, 'duban-bench');
  try {
    const ids = (await sqlOfConnection(conn).all<{ id: number }>("SELECT id FROM townships WHERE active = ? AND countyCode = (SELECT regionCode FROM users WHERE username = 'operator') ORDER BY id", [true])).map((r) => Number(r.id));
    if (!ids.length) throw new Error('bench: the database has no active township');
    return ids;
  } finally {
    await conn.close();
  }
}

async function countCases(target: DatabaseTarget): Promise<number> {
  const conn = await openReadConnection(target, 'duban-bench');
  try {
    return Number((await sqlOfConnection(conn).get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))!.n);
  } finally {
    await conn.close();
  }
}

function databaseEnv(target: DatabaseTarget): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_PATH;
  delete env.DATABASE_URL;
  return target.engine === 'sqlite' ? { ...env, DATABASE_PATH: target.path } : { ...env, DATABASE_URL: target.url };
}

async function waitUp(child: ChildProcess, port: number, what: string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => null);
    if (r?.ok) return child;
    await new Promise((res) => setTimeout(res, 200));
  }
  child.kill();
  throw new Error(`${what} did not start`);
}

/** --profile: the server child runs with profile-preload (a CPU profile between two SIGWINCH). */
function profileArgs(profileOut?: string): string[] {
  return profileOut ? ['-r', path.join(__dirname, 'profile-preload.js')] : [];
}

async function startServer(target: DatabaseTarget, port: number, jobs = true, profileOut?: string): Promise<ChildProcess> {
  // as `npm run start:prod` runs it
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, ...profileArgs(profileOut), path.join(ROOT, 'dist', 'main.js')], {
    env: { ...databaseEnv(target), ...SERVER_ENV, PORT: String(port), NODE_ENV: 'production', TRUST_PROXY: '1', DEMO_DATA: '0', SESSION_SECRET: 'bench-'.repeat(8), JOBS: jobs ? '1' : '0', PROFILE_OUT: profileOut ?? '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitUp(child, port, 'the server');
}

async function startBare(target: DatabaseTarget, port: number, profileOut?: string): Promise<ChildProcess> {
  const env = databaseEnv(target);
  delete env.DATABASE_PATH;
  const child = spawn(process.execPath, [...profileArgs(profileOut), path.join(__dirname, 'bare-intake.js')], {
    env: { ...env, ...(target.engine === 'sqlite' ? { BARE_DATABASE_PATH: target.path } : {}), PORT: String(port), PROFILE_OUT: profileOut ?? '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitUp(child, port, 'the bare baseline');
}

async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
}

async function timeRequests(n: number, make: (i: number) => Promise<Reply>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await make(i);
    // 200 only: a redirect to the sign-in page would be timed as a fast page
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** The machine's load (1, 5, 15 min) as `uptime` shows it. */
const load = () => os.loadavg().map((x) => +x.toFixed(2));

export interface IntakeResult {
  n: number;
  rounds: number[];
  concurrency: number;
  perSecond: number;
  errors: number;
  /** The bare baseline (bare-intake.ts), round by round between Duban's rounds. */
  bare: { rounds: number[]; perSecond: number; errors: number };
  /** Duban's median ÷ the bare median; and each round's pair. */
  ratio: number;
  pairRatios: number[];
  /** The machine's load average (1, 5, 15 min) before and after the measured rounds. */
  load: { before: number[]; after: number[] };
  profiles?: { duban: string; bare: string };
}

export interface LatencyRow {
  name: string;
  p50: number;
  p95: number;
  max: number;
}

export interface ExportResult {
  /** 'csv+xlsx': both at once on one server (runs: the CSV's seconds, then the .xlsx's; seconds: both done) */
  format: 'csv' | 'xlsx' | 'csv+xlsx';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** seconds of each run; `seconds` is their median */
  runs?: number[];
  megabytes: number;
  serverPeakRssMb: number | null;
  serverIdleRssMb: number | null;
}

export interface EngineResult {
  engine: 'sqlite' | 'postgres';
  cases: number;
  /** Counties in the database (a province's: --counties), 1 when left out. */
  counties?: number;
  date: string;
  machine: string;
  intake: IntakeResult | null;
  latency: LatencyRow[] | null;
  samples: number;
  serverPeakRssMb: number | null;
  deadlines: DeadlineBenchResult | null;
  exports: ExportResult[] | null;
  instances?: InstancesResult | null;
}

/** Three instances on one PostgreSQL behind nginx, one killed with SIGKILL in the middle of a burst of intakes. */
export interface InstancesResult {
  instances: number;
  concurrency: number;
  /** Intakes sent through nginx, and the one at which an instance was killed. */
  sent: number;
  killedAt: number;
  /** Answered 201, and the rate of those through nginx over the whole burst. */
  acknowledged: number;
  perSecond: number;
  seconds: number;
  /** Not answered 201, by status (502: in flight on the killed instance; 0: no answer). */
  refused: Record<string, number>;
  /** Acknowledged cases the database does not hold afterwards (must be 0), or holds without their first history row or clock. */
  missing: number;
  partial: number;
  duplicateNumbers: number;
  /** Three deadline scans started at once (dist/cli/scan.js, the clock 60 days on), then a second round. */
  scans: { started: number; ran: number; declined: number; overdueMarked: number; markedTwice: number; addedBySecondRound: number };
  load: { before: number[]; after: number[] };
}

const intakeFields = (townships: number[]) => (i: number) => ({
  channel: 'hotline',
  kind: 'helpRequest',
  program: 'ruralDibao',
  reporterType: 'realName',
  reporterName: '压测',
  reporterPhone: `139${String(10_000_000 + i).slice(-8)}`,
  townshipId: townships[i % townships.length],
  content: `压力测试登记第${i}件：家庭困难申请低保。`,
});
const intakeBody = (townships: number[]) => (i: number) => JSON.stringify(intakeFields(townships)(i));

async function intakeBench(port: number, barePort: number, auth: Record<string, string>, townships: number[], servers: { duban: ChildProcess; bare: ChildProcess }, profile: { duban: string; bare: string } | null): Promise<IntakeResult> {
  const intakeN = arg('intake', 4000);
  const concurrency = arg('concurrency', 16);
  const rounds = arg('rounds', 3);
  const post = (p: number, body: string) => call(p, 'POST', '/api/v1/cases', { ...auth, 'content-type': 'application/json' }, body);
  // warm-up: 1,000 intakes on each, so the indexes' pages are in the cache and the code is
  // compiled (the first thousands of intakes after a cold start on a million-case file ran at
  // 360-560/s, later ones at 620-860/s)
  for (const p of [port, barePort]) {
    for (let i = 0; i < 1000; i += 16) {
      const replies = await Promise.all(
        Array.from({ length: 16 }, (_, k) =>
          post(p, JSON.stringify({ channel: 'hotline', kind: 'consultation', program: 'other', reporterType: 'anonymous', content: `预热登记第${i + k}件：咨询低保政策。` })),
        ),
      );
      const bad = replies.find((r) => r.status !== 201);
      if (bad) throw new Error(`warm-up intake on port ${p}: HTTP ${bad.status} ${bad.text.slice(0, 200)}`);
    }
  }
  log(`Intake: ${rounds} rounds of ${intakeN} cases at concurrency ${concurrency}, each followed by the bare baseline's ...`);
  const body = intakeBody(townships);
  let next = 0;
  const round = async (p: number) => {
    const end = next + intakeN;
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < end) {
          const i = next++;
          const r = await post(p, body(i));
          if (r.status !== 201 && errors++ === 0) log(`  (port ${p}: HTTP ${r.status} ${r.text.slice(0, 200)})`);
        }
      }),
    );
    return { rate: Math.round(intakeN / ((performance.now() - t0) / 1000)), errors };
  };
  const before = load();
  if (profile) for (const s of [servers.duban, servers.bare]) s.kill('SIGWINCH');
  const duban: number[] = [];
  const bare: number[] = [];
  let errors = 0;
  let bareErrors = 0;
  // Several rounds, the median reported: single rounds of the same build on the same file varied
  // by a third with the disk's fsync times. Duban and the bare baseline take turns, so a change in
  // the machine's load meanwhile (another user's tests) falls on both.
  for (let r = 0; r < rounds; r++) {
    const a = await round(port);
    const b = await round(barePort);
    duban.push(a.rate);
    bare.push(b.rate);
    errors += a.errors;
    bareErrors += b.errors;
    log(`  round ${r + 1}: Duban ${a.rate} cases/s, bare ${b.rate} cases/s (ratio ${(a.rate / b.rate).toFixed(2)}); load ${load().join(' ')}`);
  }
  if (profile) {
    for (const s of [servers.duban, servers.bare]) s.kill('SIGWINCH');
    for (let i = 0; i < 100 && !(fs.existsSync(profile.duban) && fs.existsSync(profile.bare)); i++) await new Promise((res) => setTimeout(res, 100));
  }
  const after = load();
  const perSecond = pct(duban, 50);
  const barePerSecond = pct(bare, 50);
  const ratio = +(perSecond / barePerSecond).toFixed(2);
  log(`  Duban ${perSecond} cases/s (median; rounds ${duban.join(', ')}), ${errors} errors`);
  log(`  bare  ${barePerSecond} cases/s (median; rounds ${bare.join(', ')}), ${bareErrors} errors`);
  log(`  ratio = Duban ÷ bare = ${ratio}; load average before ${before.join(' ')}, after ${after.join(' ')}`);
  return {
    n: intakeN, rounds: duban, concurrency, perSecond, errors,
    bare: { rounds: bare, perSecond: barePerSecond, errors: bareErrors },
    ratio, pairRatios: duban.map((d, i) => +(d / bare[i]).toFixed(2)),
    load: { before, after },
    ...(profile ? { profiles: { duban: path.relative(ROOT, profile.duban), bare: path.relative(ROOT, profile.bare) } } : {}),
  };
}

async function latencyBench(port: number, target: DatabaseTarget, auth: Record<string, string>, townships: number[]): Promise<LatencyRow[]> {
  const samples = arg('samples', 200);
  const keys = await searchKeys(target);
  // the supervisor's session for the HTML page, as behind the TLS proxy production needs (the
  // session cookie is Secure): TRUST_PROXY=1 and X-Forwarded-Proto on every page request
  const https = { 'x-forwarded-proto': 'https' };
  const loginPage = await call(port, 'GET', '/login', https);
  const cookie = (loginPage.headers['set-cookie'] ?? [''])[0].split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1];
  const signedIn = await call(
    port,
    'POST',
    '/login',
    { ...https, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({ username: 'supervisor', password: 'demo1234', _csrf: csrf }).toString(),
  );
  const session = (signedIn.headers['set-cookie'] ?? [''])[0].split(';')[0];
  const townshipLogin = JSON.parse((await call(port, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'township1', password: 'demo1234' }))).text);
  const townshipAuth = { authorization: `Bearer ${townshipLogin.token}` };
  const get = (url: string, headers: Record<string, string> = auth) => call(port, 'GET', url, headers);
  const search = (q: string, headers = auth) => get(`/api/v1/cases?limit=20&q=${encodeURIComponent(q)}`, headers);
  const tw = (i: number) => townships[i % townships.length];
  const scenarios: [string, (i: number) => Promise<Reply>][] = [
    ['API first page', () => get('/api/v1/cases?limit=20')],
    ['API filtered by township', (i) => get(`/api/v1/cases?limit=20&townshipId=${tw(i)}`)],
    ['API township + status', (i) => get(`/api/v1/cases?limit=20&status=verifying&townshipId=${tw(i)}`)],
    ['API 10th page by cursor', async () => {
      let cursor = '';
      let r: Reply | null = null;
      for (let p = 0; p < 10; p++) {
        r = await get(`/api/v1/cases?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
        cursor = JSON.parse(r.text).nextCursor;
      }
      return r!;
    }],
    ['API search, rare word "敬老院"', () => get(`/api/v1/cases?limit=20&q=${encodeURIComponent('敬老院')}`)],
    ['API search, common word "低保"', () => get(`/api/v1/cases?limit=20&q=${encodeURIComponent('低保')}`)],
    // the search box: each kind of key (personal ones are audited: a write per request)
    [`API search, case number typed "${keys.caseNo}"`, () => search(keys.caseNo)],
    ['API search, mobile typed with spaces', () => search(keys.mobile)],
    ['API search, landline typed without its hyphen', () => search(keys.landline)],
    ['API search, ID number', () => search(keys.idNumber)],
    ['API search, reporter name', () => search(keys.reporterName)],
    ['API search, subject name', () => search(keys.subjectName)],
    ['API search, a complainant\'s phone as township staff', () => search(keys.complainant, townshipAuth)],
    ['API search, reporter name as township staff', () => search(keys.reporterName, townshipAuth)],
    ['Page /cases?q=mobile (with count, audited)', () => get(`/cases?q=${encodeURIComponent(keys.mobile)}`, { ...https, cookie: session })],
    ['Page /cases (with count)', () => get('/cases', { ...https, cookie: session })],
    ['Page /cases?townshipId (with count)', (i) => get(`/cases?townshipId=${tw(i)}`, { ...https, cookie: session })],
  ];
  const latency: LatencyRow[] = [];
  for (const [name, make] of scenarios) {
    const times = await timeRequests(samples, make);
    const row = { name, p50: +pct(times, 50).toFixed(1), p95: +pct(times, 95).toFixed(1), max: +Math.max(...times).toFixed(1) };
    latency.push(row);
    log(`  ${name}: p50 ${row.p50} ms, p95 ${row.p95} ms`);
  }
  return latency;
}

/** One whole-ledger export through the API, read at full speed: its seconds and bytes. */
async function exportOnce(port: number, token: string, format: 'csv' | 'xlsx'): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  const bytes = await new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: `/api/v1/cases/export?format=${format}`, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`export ${format}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

/**
 * The whole ledger through GET /api/v1/cases/export, exported by a supervisor who sees every
 * case (the county's in a one-county database, the province's (sheng) in a province's): each
 * format on a freshly started server, then both at once on another (--export-together 0 leaves
 * that out), as two supervisors would, with the server's peak RSS over both.
 */
async function exportBench(target: DatabaseTarget, port: number, counties: number): Promise<ExportResult[]> {
  const rows = await countCases(target);
  const username = counties > 1 ? 'sheng' : 'supervisor';
  const times = arg('export-runs', 3);
  const out: ExportResult[] = [];
  const withServer = async <T>(work: (token: string, idleRss: number | null, pid: number) => Promise<T>): Promise<T> => {
    // no scheduled scan in these: the figures are the export's own
    const server = await startServer(target, port, false);
    try {
      const login = JSON.parse((await call(port, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username, password: 'demo1234' }))).text);
      return await work(login.token, peakRssMb(server.pid!), server.pid!);
    } finally {
      await stop(server);
    }
  };
  for (const format of ['csv', 'xlsx'] as const) {
    await withServer(async (token, idle, pid) => {
      // --export-runs (3) exports on the same server, the median reported (single runs of the same build on
      // the same file varied from 6.8 to 10.1 s with the machine's page cache); the peak RSS is
      // the process's high-water mark over all of them.
      const runs: { seconds: number; bytes: number }[] = [];
      for (let run = 0; run < times; run++) runs.push(await exportOnce(port, token, format));
      const seconds = pct(runs.map((x) => x.seconds), 50);
      const r: ExportResult = {
        format, rows, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds), runs: runs.map((x) => +x.seconds.toFixed(1)),
        megabytes: +(runs[0].bytes / 2 ** 20).toFixed(1), serverPeakRssMb: peakRssMb(pid), serverIdleRssMb: idle,
      };
      log(`  ledger export ${format}: ${r.rows} rows in ${r.seconds} s (median; runs ${r.runs!.join(', ')} s) = ${r.rowsPerSecond} rows/s, ${r.megabytes} MB, server peak RSS ${r.serverPeakRssMb} MB (${r.serverIdleRssMb} MB before)`);
      out.push(r);
    });
  }
  if (arg('export-together', 1, 0) === 0) return out;
  await withServer(async (token, idle, pid) => {
    const t0 = performance.now();
    const [c, x] = await Promise.all([exportOnce(port, token, 'csv'), exportOnce(port, token, 'xlsx')]);
    const seconds = (performance.now() - t0) / 1000;
    const r: ExportResult = {
      format: 'csv+xlsx', rows, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round((2 * rows) / seconds), runs: [+c.seconds.toFixed(1), +x.seconds.toFixed(1)],
      megabytes: +((c.bytes + x.bytes) / 2 ** 20).toFixed(1), serverPeakRssMb: peakRssMb(pid), serverIdleRssMb: idle,
    };
    log(`  ledger export csv and xlsx at once: csv ${r.runs![0]} s (${Math.round(rows / c.seconds)} rows/s), xlsx ${r.runs![1]} s (${Math.round(rows / x.seconds)} rows/s), server peak RSS ${r.serverPeakRssMb} MB (${r.serverIdleRssMb} MB before)`);
    out.push(r);
  });
  return out;
}

/** The same server address with another database (the instances phase's copy). */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * docs/OPERATIONS.md's deployment on this machine: three instances as their systemd units start
 * them (production, the deadline scan on in each) on one PostgreSQL database, behind nginx
 * (instances.ts, the configuration test/multi/instances.multi-spec.ts also runs). A burst of
 * intakes goes through nginx, and one instance is killed with SIGKILL halfway; then three deadline
 * scans start at the same moment. The database is a copy of the seeded one (CREATE DATABASE …
 * TEMPLATE), dropped at the end, so the scans' marks and the burst's cases stay out of the other
 * phases' database.
 */
async function instancesBench(target: DatabaseTarget & { engine: 'postgres' }): Promise<InstancesResult> {
  const total = arg('instances-intake', 3000);
  const concurrency = arg('concurrency', 16);
  const admin = withDatabase(target.url, 'postgres');
  const source = new URL(target.url).pathname.slice(1);
  const copyName = `${source}_instances`;
  const copy: DatabaseTarget = { engine: 'postgres', url: withDatabase(target.url, copyName) };
  await query(admin, `DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`);
  await query(admin, `CREATE DATABASE ${copyName} TEMPLATE ${source}`);
  const ports = [await freePort(), await freePort(), await freePort()];
  const apps: ChildProcess[] = [];
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  try {
    log(`Instances: three on ports ${ports.join(', ')}, one database (a copy of the seeded one), behind nginx ...`);
    for (const [i, port] of ports.entries()) {
      apps.push(startInstance({ ...databaseEnv(copy), PORT: String(port), NODE_ENV: 'production', TRUST_PROXY: '1', DEMO_DATA: '0', SESSION_SECRET: 'bench-'.repeat(8), JOBS: '1' }, `instance ${i + 1}`));
    }
    for (const port of ports) await waitHealthy(port);
    nginx = await startNginx(ports);
    const token = await apiToken(nginx.base, 'operator', 'demo1234');
    const fields = intakeFields(await townshipIds(copy));
    // warm-up through nginx, so each instance has compiled its code before the measured burst
    const warm = await intakeBurst({ base: nginx.base, token, total: 600, concurrency, body: fields });
    if (warm.acknowledged.length !== 600) throw new Error(`instances warm-up: ${JSON.stringify(warm.refused)}`);
    const killedAt = Math.floor(total / 2);
    const victim = apps[1];
    const before = load();
    const burst = await intakeBurst({ base: nginx.base, token, total, concurrency, body: (i) => fields(1000 + i), killAt: killedAt, kill: () => victim.kill('SIGKILL') });
    const after = load();
    if (victim.exitCode === null && victim.signalCode === null) throw new Error('instances: the killed instance is still running');
    const { missing, duplicates } = await missingCases(copy.url, burst.acknowledged);
    const partial = await partialCases(copy.url, burst.acknowledged);
    const perSecond = Math.round(burst.acknowledged.length / burst.seconds);
    log(`  ${burst.acknowledged.length} of ${burst.sent} intakes acknowledged (201) through nginx in ${burst.seconds.toFixed(1)} s = ${perSecond} cases/s at concurrency ${concurrency}; instance 2 killed with SIGKILL at the ${killedAt}th`);
    log(`  not acknowledged: ${JSON.stringify(burst.refused)}; acknowledged but missing from the database: ${missing.length}${missing.length ? ` (${missing.slice(0, 5).join(', ')})` : ''}; stored without history or clock: ${partial.length}; numbers given twice: ${duplicates}`);
    log(`  load average before ${before.join(' ')}, after ${after.join(' ')}`);
    // every instance's scan at once, the clock 60 days on so the burst's clocks are overdue
    const later = { ...databaseEnv(copy), NODE_ENV: 'development', DEMO_DATA: '0', JOBS: '0', CLOCK_START: new Date(Date.now() + 60 * 86400_000).toISOString() };
    const started = 3;
    const scans = await scansTogether(later, started);
    const marked = await overdueMarks(copy.url);
    await scansTogether(later, started);
    const again = await overdueMarks(copy.url);
    const scanResult = { started, ran: scans.ran, declined: scans.declined, overdueMarked: marked.total, markedTwice: marked.twice, addedBySecondRound: again.total - marked.total };
    log(`  deadline scan, ${started} started at once: ${scans.ran} ran, ${scans.declined} found the lease taken; ${marked.total} overdue marks, ${marked.twice} clocks marked twice; a second round added ${scanResult.addedBySecondRound}`);
    return {
      instances: ports.length, concurrency, sent: burst.sent, killedAt, acknowledged: burst.acknowledged.length, perSecond, seconds: +burst.seconds.toFixed(1),
      refused: burst.refused, missing: missing.length, partial: partial.length, duplicateNumbers: duplicates, scans: scanResult, load: { before, after },
    };
  } finally {
    await nginx?.stop();
    for (const p of apps) await stop(p);
    await query(admin, `DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`).catch((e) => log(`  (could not drop ${copyName}: ${(e as Error).message})`));
  }
}

async function main() {
  const cases = arg('cases', 100_000);
  const counties = arg('counties', 1);
  const port = arg('port', 3999);
  const barePort = arg('bare-port', port - 1);
  const phases = phasesAsked();
  const url = process.env.DATABASE_URL;
  const target: DatabaseTarget = url
    ? { engine: 'postgres', url }
    : { engine: 'sqlite', path: path.join(ROOT, 'data', 'bench', counties > 1 ? provinceFileName(counties, cases) : `bench-${cases}-v${BULK_SEED_VERSION}.sqlite`) };
  log(`== ${target.engine} ==`);
  await prepareDatabase(target, cases, counties);
  const result: EngineResult = {
    engine: target.engine, cases, counties, date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    intake: null, latency: null, samples: arg('samples', 200), serverPeakRssMb: null, deadlines: null, exports: null, instances: null,
  };
  let server: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  try {
    if (phases.has('intake') || phases.has('latency')) {
      const dir = path.join(ROOT, 'data', 'bench', 'profiles');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const profile = process.argv.includes('--profile')
        ? { duban: path.join(dir, `duban-${target.engine}-${stamp}.cpuprofile`), bare: path.join(dir, `bare-${target.engine}-${stamp}.cpuprofile`) }
        : null;
      if (profile) fs.mkdirSync(dir, { recursive: true });
      server = await startServer(target, port, true, profile?.duban);
      const login = JSON.parse((await call(port, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'operator', password: 'demo1234' }))).text);
      const auth = { authorization: `Bearer ${login.token}` };
      const townships = await townshipIds(target);
      if (phases.has('intake')) {
        bare = await startBare(target, barePort, profile?.bare);
        result.intake = await intakeBench(port, barePort, auth, townships, { duban: server, bare }, profile);
        await stop(bare);
      }
      if (phases.has('latency')) result.latency = await latencyBench(port, target, auth, townships);
      result.serverPeakRssMb = peakRssMb(server.pid!);
      await stop(server);
    }
    if (phases.has('export')) result.exports = await exportBench(target, port, counties);
    if (phases.has('deadlines')) {
      // in-process on better-sqlite3 (deadline-bench.ts): SQLite only
      if (target.engine === 'sqlite') result.deadlines = await deadlineBench(ROOT, arg('deadline-cases', cases, 0), log);
      else log('Deadlines: measured on SQLite only (the bench seeds them through better-sqlite3)');
    }
    if (phases.has('instances')) {
      if (target.engine === 'postgres') result.instances = await instancesBench(target);
      else log('Instances: PostgreSQL only (several instances share one PostgreSQL database; SQLite runs one)');
    }
  } finally {
    await stop(bare);
    await stop(server);
  }
  fs.writeFileSync(textArg('out', path.join(os.tmpdir(), `duban-bench-${target.engine}.json`)), JSON.stringify(result));
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
