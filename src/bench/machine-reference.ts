/**
 * The machine's own speed, measured with the bench so that figures of different days can be
 * compared: the same code ran the 200k-case scan in 3.5 s one day and 8.8 s the next on "the
 * same" 2-core machine. Two fixed jobs, nothing of Duban in them:
 * - cpu: SHA-256 of 1,000,000 strings of 100 bytes (the history chain's work per entry, bare);
 * - commits: 500 one-row transactions on a SQLite file in WAL with synchronous=FULL (an fsync
 *   each: what bounds intake, which commits in groups).
 * Each is the median of three runs.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';

export interface MachineReference {
  cpuSeconds: number;
  commitsPerSecond: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cpuRun(): number {
  const text = 'x'.repeat(90);
  const t = process.hrtime.bigint();
  let acc = 0;
  for (let i = 0; i < 1_000_000; i++) acc ^= createHash('sha256').update(`${text}${i}`).digest()[0];
  if (acc < 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function commitRun(dir: string): number {
  const file = path.join(dir, `machine-reference-${process.pid}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    const one = db.transaction((i: number) => ins.run(`第${i}行`));
    const t = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) one(i);
    return 500 / (Number(process.hrtime.bigint() - t) / 1e9);
  } finally {
    db.close();
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  }
}

export function machineReference(dir = os.tmpdir()): MachineReference {
  const cpu = [cpuRun(), cpuRun(), cpuRun()];
  const commits = [commitRun(dir), commitRun(dir), commitRun(dir)];
  return { cpuSeconds: Math.round(median(cpu) * 100) / 100, commitsPerSecond: Math.round(median(commits)) };
}
