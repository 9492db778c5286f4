/**
 * npm run bench [-- --cases 1000000 --intake 4000 --concurrency 16 --samples 200]
 *
 * Seeds a database of N cases (reused on the next run of the same size), starts the real server
 * on it in production mode, and measures against it over HTTP:
 * - API intake throughput at the given concurrency (every request a full intake transaction);
 * - case-list latency p50/p95: the API's first page, filtered by township, a Chinese word
 *   search, the search box by each kind of key (case number, mobile, landline, ID number,
 *   reporter and subject name; some as township staff), and the HTML list page (which also
 *   counts the matches) as a signed-in supervisor.
 * Figures are kept per size in docs/bench-results.json and written to docs/BENCHMARKS.md.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import { BULK_SEED_VERSION, bulkSeed } from './bulk-seed';
import { deadlineBench, DeadlineBenchResult } from './deadline-bench';
import { machineReference, MachineReference } from './machine-reference';

const ROOT = path.resolve(__dirname, '..', '..');

/** Measured intake rounds, after the warm-up. */
const ROUNDS = 3;

/** A number argument; `min` 0 for the phases that can be left out (`--export 0`, `--deadline-cases 0`). */
function arg(name: string, def: number, min = 1): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < min) throw new Error(min > 0 ? `--${name} takes a positive number` : `--${name} takes a number, 0 to leave the phase out`);
  return v;
}

const log = (s: string) => process.stdout.write(s + '\n');

// node:http with keep-alive: lighter than fetch, so the client takes less of the CPU the server
// needs on these 2-core machines (fetch alone held intake under 500/s here).
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let PORT = 3999;

interface Reply {
  status: number;
  ok: boolean;
  text: string;
  headers: http.IncomingHttpHeaders;
}

function call(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: PORT, method, path: url, agent, headers: { ...headers, 'content-length': body ? Buffer.byteLength(body) : 0 } },
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

async function prepareDatabase(file: string, cases: number) {
  if (fs.existsSync(file)) {
    log(`Reusing ${path.relative(ROOT, file)}`);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  log(`Seeding ${cases} cases into ${path.relative(ROOT, file)} ...`);
  const started = Date.now();
  // The app's own start-up: migrations and the demo county with its users (and 240 cases).
  process.env.DATABASE_PATH = file;
  process.env.NODE_ENV = 'development';
  process.env.DEMO_DATA = '1';
  const { AppModule } = await import('../app.module');
  const ctx = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await ctx.close();
  const { DEMO_CASE_COUNT } = await import('../seed/demo-seed.service');
  bulkSeed(file, Math.max(0, cases - DEMO_CASE_COUNT), log);
  log(`Seeded in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Keys for the search box, read from the seeded file before the server starts (a case in the
 * middle of the ledger for each), each typed as a caller would read it out.
 */
async function searchKeys(file: string) {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file, { readonly: true });
  try {
    const { n } = db.prepare('SELECT MAX(id) AS n FROM cases').get() as { n: number };
    const mid = Math.floor(n / 2);
    const one = (col: string, where: string) => {
      const row = db.prepare(`SELECT ${col} AS v FROM cases WHERE id > ? AND ${where} ORDER BY id LIMIT 1`).get(mid) as { v: string } | undefined;
      if (!row) throw new Error(`bench: no seeded case has ${where}`);
      return row.v;
    };
    const caseNo = one('caseNo', '1');
    const mobile = one('reporterPhone', `reporterPhone LIKE '1%'`);
    const landline = one('reporterPhone', `reporterPhone LIKE '0%-%'`);
    const idNumber = one('reporterIdNumber', 'reporterIdNumber IS NOT NULL');
    const reporterName = one('reporterName', `reporterName IS NOT NULL AND reporterName <> '压测'`);
    const subjectName = one('subjectName', 'subjectName IS NOT NULL');
    // a complaint's reporter, for the township user who must not find them
    const complainant = one('reporterPhone', `kind = 'complaint' AND reporterType = 'realName' AND reporterPhone IS NOT NULL AND assignedAt IS NOT NULL`);
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
    db.close();
  }
}

async function startServer(file: string, port: number, jobs = true): Promise<ChildProcess> {
  // as `npm run start:prod` runs it: heap capped at 192 MB
  const child = spawn(process.execPath, ['--max-old-space-size=192', path.join(ROOT, 'dist', 'main.js')], {
    env: { ...process.env, DATABASE_PATH: file, PORT: String(port), NODE_ENV: 'production', TRUST_PROXY: '1', DEMO_DATA: '0', SESSION_SECRET: 'bench-'.repeat(8), JOBS: jobs ? '1' : '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => null);
      if (!r) throw new Error('not up');
      if (r.ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('server did not start');
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

async function main() {
  const cases = arg('cases', 100_000);
  const intakeN = arg('intake', 4000);
  const concurrency = arg('concurrency', 16);
  const samples = arg('samples', 200);
  const port = (PORT = arg('port', 3999));
  const file = path.join(ROOT, 'data', 'bench', `bench-${cases}-v${BULK_SEED_VERSION}.sqlite`);
  await prepareDatabase(file, cases);
  const keys = await searchKeys(file);
  const server = await startServer(file, port);
  try {
    const login = JSON.parse((await call('POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'operator', password: 'demo1234' }))).text);
    const auth = { authorization: `Bearer ${login.token}` };
    const townships = (JSON.parse((await call('GET', '/api/v1/cases?limit=100', auth)).text).items as { townshipId: number }[])
      .map((i) => i.townshipId)
      .filter((v, i, a) => v && a.indexOf(v) === i);

    // warm-up: reads, and 1,000 intakes so the indexes' pages are in SQLite's cache and the code
    // is compiled (the first thousands of intakes after a cold start on a million-case file ran
    // at 360-560/s, later ones at 620-860/s)
    await timeRequests(20, () => call('GET', '/api/v1/cases?limit=20', auth));
    for (let i = 0; i < 1000; i += 16) {
      await Promise.all(
        Array.from({ length: 16 }, (_, k) =>
          call('POST', '/api/v1/cases', { ...auth, 'content-type': 'application/json' }, JSON.stringify({ channel: 'hotline', kind: 'consultation', program: 'other', reporterType: 'anonymous', content: `预热登记第${i + k}件：咨询低保政策。` })),
        ),
      );
    }

    log(`Intake: ${ROUNDS} rounds of ${intakeN} cases at concurrency ${concurrency} ...`);
    let next = 0;
    let errors = 0;
    const body = (i: number) =>
      JSON.stringify({
        channel: 'hotline',
        kind: 'helpRequest',
        program: 'ruralDibao',
        reporterType: 'realName',
        reporterName: '压测',
        reporterPhone: `139${String(10_000_000 + i).slice(-8)}`,
        townshipId: townships[i % townships.length],
        content: `压力测试登记第${i}件：家庭困难申请低保。`,
      });
    // Several rounds, the median reported: single rounds of the same build on the same file varied
    // by a third with the disk's fsync times.
    const rates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const end = next + intakeN;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < end) {
            const i = next++;
            const r = await call('POST', '/api/v1/cases', { ...auth, 'content-type': 'application/json' }, body(i));
            if (r.status !== 201) errors++;
          }
        }),
      );
      rates.push(Math.round(intakeN / ((performance.now() - t0) / 1000)));
    }
    const intakeRate = pct(rates, 50);
    log(`  ${intakeRate} cases/s (median; rounds ${rates.join(', ')}), ${errors} errors`);

    // the supervisor's session for the HTML page
    // as behind the TLS proxy production needs (the session cookie is Secure): TRUST_PROXY=1 and
    // X-Forwarded-Proto on every page request
    const https = { 'x-forwarded-proto': 'https' };
    const loginPage = await call('GET', '/login', https);
    const cookie = (loginPage.headers['set-cookie'] ?? [''])[0].split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1];
    const signedIn = await call(
      'POST',
      '/login',
      { ...https, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ username: 'supervisor', password: 'demo1234', _csrf: csrf }).toString(),
    );
    const session = (signedIn.headers['set-cookie'] ?? [''])[0].split(';')[0];
    const townshipLogin = JSON.parse((await call('POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'township1', password: 'demo1234' }))).text);
    const townshipAuth = { authorization: `Bearer ${townshipLogin.token}` };
    const search = (q: string, headers = auth) => call('GET', `/api/v1/cases?limit=20&q=${encodeURIComponent(q)}`, headers);

    const tw = (i: number) => townships[i % townships.length];
    const scenarios: [string, (i: number) => Promise<Reply>][] = [
      ['API first page', () => call('GET', '/api/v1/cases?limit=20', auth)],
      ['API filtered by township', (i) => call('GET', `/api/v1/cases?limit=20&townshipId=${tw(i)}`, auth)],
      ['API township + status', (i) => call('GET', `/api/v1/cases?limit=20&status=verifying&townshipId=${tw(i)}`, auth)],
      ['API 10th page by cursor', async () => {
        let cursor = '';
        let r: Reply | null = null;
        for (let p = 0; p < 10; p++) {
          r = await call('GET', `/api/v1/cases?limit=20${cursor ? `&cursor=${cursor}` : ''}`, auth);
          cursor = JSON.parse(r.text).nextCursor;
        }
        return r!;
      }],
      ['API search, rare word "敬老院"', () => call('GET', `/api/v1/cases?limit=20&q=${encodeURIComponent('敬老院')}`, auth)],
      ['API search, common word "低保"', () => call('GET', `/api/v1/cases?limit=20&q=${encodeURIComponent('低保')}`, auth)],
      // the search box: each kind of key (personal ones are audited: a write per request)
      [`API search, case number typed "${keys.caseNo}"`, () => search(keys.caseNo)],
      ['API search, mobile typed with spaces', () => search(keys.mobile)],
      ['API search, landline typed without its hyphen', () => search(keys.landline)],
      ['API search, ID number', () => search(keys.idNumber)],
      ['API search, reporter name', () => search(keys.reporterName)],
      ['API search, subject name', () => search(keys.subjectName)],
      ['API search, a complainant\'s phone as township staff', () => search(keys.complainant, townshipAuth)],
      ['API search, reporter name as township staff', () => search(keys.reporterName, townshipAuth)],
      ['Page /cases?q=mobile (with count, audited)', () => call('GET', `/cases?q=${encodeURIComponent(keys.mobile)}`, { ...https, cookie: session })],
      ['Page /cases (with count)', () => call('GET', '/cases', { ...https, cookie: session })],
      ['Page /cases?townshipId (with count)', (i) => call('GET', `/cases?townshipId=${tw(i)}`, { ...https, cookie: session })],
    ];
    const latency: { name: string; p50: number; p95: number; max: number }[] = [];
    for (const [name, make] of scenarios) {
      const times = await timeRequests(samples, make);
      const row = { name, p50: +pct(times, 50).toFixed(1), p95: +pct(times, 95).toFixed(1), max: +Math.max(...times).toFixed(1) };
      latency.push(row);
      log(`  ${name}: p50 ${row.p50} ms, p95 ${row.p95} ms`);
    }
    const result = {
      cases,
      date: new Date().toISOString().slice(0, 10),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      intake: { n: intakeN, rounds: rates, concurrency, perSecond: intakeRate, errors },
      latency,
      samples,
      serverPeakRssMb: peakRssMb(server.pid!),
    };
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const exports = arg('export', 1, 0) > 0 ? await exportBench(file, port, log) : null;
    const deadlines = arg('deadline-cases', cases, 0) > 0 ? await deadlineBench(ROOT, arg('deadline-cases', cases, 0), log) : null;
    log('Machine reference (SHA-256 and SQLite commits, nothing of Duban) ...');
    const reference = machineReference(path.dirname(file));
    log(`  SHA-256 of 1M × 100 B: ${reference.cpuSeconds} s; one-row commits with fsync: ${reference.commitsPerSecond}/s`);
    writeResults({ ...result, deadlines, exports, reference });
  } finally {
    server.kill('SIGTERM');
  }
}

interface ExportResult {
  format: 'csv' | 'xlsx';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** seconds of each run; `seconds` is their median */
  runs?: number[];
  megabytes: number;
  serverPeakRssMb: number | null;
  serverIdleRssMb: number | null;
}

/** The whole ledger through GET /api/v1/cases/export, each format on a freshly started server. */
async function exportBench(file: string, port: number, log: (s: string) => void): Promise<ExportResult[]> {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file, { readonly: true });
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
  db.close();
  const out: ExportResult[] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    // no scheduled scan in these: the figures are the export's own
    const server = await startServer(file, port, false);
    try {
      const login = JSON.parse((await call('POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'supervisor', password: 'demo1234' }))).text);
      const idle = peakRssMb(server.pid!);
      // Three exports on the same server, the median reported (single runs of the same build on
      // the same file varied from 6.8 to 10.1 s with the machine's page cache); the peak RSS is
      // the process's high-water mark over all three.
      const runs: { seconds: number; bytes: number }[] = [];
      for (let run = 0; run < 3; run++) {
        const t0 = performance.now();
        const bytes = await new Promise<number>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: PORT, path: `/api/v1/cases/export?format=${format}`, headers: { authorization: `Bearer ${login.token}` } }, (res) => {
            let n = 0;
            res.on('data', (c: Buffer) => (n += c.length));
            res.on('end', () => resolve(n));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end();
        });
        runs.push({ seconds: (performance.now() - t0) / 1000, bytes });
      }
      const seconds = pct(runs.map((x) => x.seconds), 50);
      const r: ExportResult = {
        format, rows, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds), runs: runs.map((x) => +x.seconds.toFixed(1)),
        megabytes: +(runs[0].bytes / 2 ** 20).toFixed(1), serverPeakRssMb: peakRssMb(server.pid!), serverIdleRssMb: idle,
      };
      log(`  ledger export ${format}: ${r.rows} rows in ${r.seconds} s (median; runs ${r.runs!.join(', ')} s) = ${r.rowsPerSecond} rows/s, ${r.megabytes} MB, server peak RSS ${r.serverPeakRssMb} MB (${r.serverIdleRssMb} MB before)`);
      out.push(r);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return out;
}

interface Result {
  cases: number;
  date: string;
  machine: string;
  intake: { n: number; rounds?: number[]; concurrency: number; perSecond: number; errors: number };
  latency: { name: string; p50: number; p95: number; max: number }[];
  samples: number;
  serverPeakRssMb: number | null;
  deadlines?: DeadlineBenchResult | null;
  exports?: ExportResult[] | null;
  /** The machine's speed that day (machine-reference.ts); missing in runs before it existed. */
  reference?: MachineReference;
}

function writeResults(result: Result) {
  const jsonFile = path.join(ROOT, 'docs', 'bench-results.json');
  const all: Record<string, Result> = fs.existsSync(jsonFile) ? JSON.parse(fs.readFileSync(jsonFile, 'utf8')) : {};
  // a phase left out (--export 0, --deadline-cases 0) keeps the figures of the last run that had it
  const before = all[String(result.cases)];
  all[String(result.cases)] = { ...result, deadlines: result.deadlines ?? before?.deadlines ?? null, exports: result.exports ?? before?.exports ?? null };
  fs.writeFileSync(jsonFile, JSON.stringify(all, null, 2) + '\n');
  const sizes = Object.values(all).sort((a, b) => a.cases - b.cases);
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (see `src/bench/bench.ts`); do not edit by hand. Each run seeds a database of the given size',
    '(reused on later runs), starts the real server on it in production mode (SQLite file, WAL, `synchronous=FULL`), and',
    'measures over HTTP on 127.0.0.1. Targets from the foundation issue: intake ≥ 500 cases/s at concurrency 16; case list',
    'p95 ≤ 100 ms at 1M cases.',
    '',
    '## The machine on the day (compare figures of different days by these)',
    '',
    'Two fixed jobs with nothing of Duban in them (`src/bench/machine-reference.ts`), measured at the end of each run: SHA-256',
    'of 1,000,000 strings of 100 bytes (CPU), and 500 one-row SQLite transactions in WAL with `synchronous=FULL` (fsync).',
    '',
    '| run | date | SHA-256 1M × 100 B | one-row commits/s |',
    '|---:|---|---:|---:|',
    ...sizes.map((r) => `| ${r.cases.toLocaleString('en')} cases | ${r.date} | ${r.reference ? `${r.reference.cpuSeconds} s` : 'not measured'} | ${r.reference ? r.reference.commitsPerSecond : '—'} |`),
    '',
    '## Intake throughput (POST /api/v1/cases)',
    '',
    '| cases in database | requests per round | concurrency | cases/s (median) | rounds | errors | server peak RSS | date | machine |',
    '|---:|---:|---:|---:|---|---:|---:|---|---|',
    ...sizes.map((r) => `| ${r.cases.toLocaleString('en')} | ${r.intake.n} | ${r.intake.concurrency} | **${r.intake.perSecond}** | ${(r.intake.rounds ?? [r.intake.perSecond]).join(', ')} | ${r.intake.errors} | ${r.serverPeakRssMb ?? '?'} MB | ${r.date} | ${r.machine} |`),
    '',
    '## Deadline scan and recomputation (in-process, every case open with a running clock)',
    '',
    'Targets from the workflow issue: the scan over 1M open cases ≤ 10 s; recomputing 1M open deadlines after a calendar change ≤ 30 s.',
    '',
    '| open cases | first scan | overdue / due today marked | notifications written | second scan | recompute after a calendar change | deadlines moved |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes
      .filter((r) => r.deadlines)
      .map((r) => {
        const d = r.deadlines!;
        return `| ${d.cases.toLocaleString('en')} | **${d.scan.seconds} s** | ${d.scan.overdue} / ${d.scan.dueSoon} | ${d.scan.notifications} | ${d.rescan.seconds} s | **${d.recompute.seconds} s** | ${d.recompute.changed} of ${d.recompute.checked} |`;
      }),
    '',
    '## Ledger export (GET /api/v1/cases/export, the whole ledger, each on a freshly started server)',
    '',
    'Targets from the statistics issue: ≥ 20k rows/s for .xlsx, ≥ 100k rows/s for CSV, peak memory under 300 MB.',
    '',
    '| cases | format | rows/s (median of 3) | seconds | runs (s) | size | server RSS before → peak |',
    '|---:|---|---:|---:|---|---:|---:|',
    ...sizes.flatMap((r) =>
      (r.exports ?? []).map((e) => `| ${r.cases.toLocaleString('en')} | ${e.format} | **${e.rowsPerSecond.toLocaleString('en')}** | ${e.seconds} | ${(e.runs ?? [e.seconds]).join(', ')} | ${e.megabytes} MB | ${e.serverIdleRssMb} → **${e.serverPeakRssMb} MB** |`),
    ),
    '',
    '## Case list latency (ms, sequential requests, 20 rows a page)',
    '',
    ...sizes.flatMap((r) => [
      `### ${r.cases.toLocaleString('en')} cases (${r.samples} samples each, ${r.date})`,
      '',
      '| request | p50 | p95 | max |',
      '|---|---:|---:|---:|',
      ...r.latency.map((l) => `| ${l.name} | ${l.p50} | **${l.p95}** | ${l.max} |`),
      '',
    ]),
  ];
  fs.writeFileSync(path.join(ROOT, 'docs', 'BENCHMARKS.md'), lines.join('\n'));
  log(`Wrote docs/BENCHMARKS.md`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
