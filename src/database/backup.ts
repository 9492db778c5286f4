import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import type { DataSource } from 'typeorm';
import { redactUrl } from '../config/config';
import type { DatabaseTarget } from './engine';
import { rawDb } from './raw';

const run = promisify(execFile);

/** Where backups go unless BACKUP_DIR says otherwise: data/backups under the working directory. */
export function backupDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BACKUP_DIR || path.join(process.cwd(), 'data', 'backups'));
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * A consistent copy of the live database, taken while the server runs.
 * - SQLite: `VACUUM INTO` a new file, one read transaction, so the copy holds every committed write
 *   (including those still in the -wal file; copying duban.sqlite itself would lose them).
 * - PostgreSQL: `pg_dump --format=custom`, one snapshot of the whole database; PG_DUMP names the
 *   program if it is not on the PATH. Its major version must be the server's or newer.
 * Returns the file written.
 */
export async function backupDatabase(ds: DataSource, target: DatabaseTarget, opts: { dir?: string; label?: string; now?: Date } = {}): Promise<string> {
  const dir = opts.dir ?? backupDir();
  fs.mkdirSync(dir, { recursive: true });
  const base = `duban-${stamp(opts.now ?? new Date())}${opts.label ? `-${opts.label.replace(/[^A-Za-z0-9_-]/g, '')}` : ''}`;
  if (target.engine === 'sqlite') {
    const file = uniquePath(path.join(dir, `${base}.sqlite`));
    rawDb(ds.manager).prepare('VACUUM INTO ?').run(file);
    return file;
  }
  const file = uniquePath(path.join(dir, `${base}.pgdump`));
  try {
    await run(process.env.PG_DUMP || 'pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${target.url}`], { maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    fs.rmSync(file, { force: true });
    const err = e as { code?: string; stderr?: string; message: string };
    const why = err.code === 'ENOENT' ? 'pg_dump was not found (install postgresql-client, or set PG_DUMP)' : (err.stderr || err.message).trim();
    throw new Error(`backup of ${redactUrl(target.url)} failed: ${why}`);
  }
  return file;
}

function uniquePath(file: string): string {
  if (!fs.existsSync(file)) return file;
  const ext = path.extname(file);
  for (let i = 2; ; i++) {
    const next = `${file.slice(0, -ext.length)}-${i}${ext}`;
    if (!fs.existsSync(next)) return next;
  }
}
