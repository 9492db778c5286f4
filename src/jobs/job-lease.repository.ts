import type { EntityManager } from 'typeorm';
import { sqlFrom, type Sql } from '../database/sql';

/**
 * The lease rows of scheduled jobs (job_leases): instances sharing a database take turns. Taking
 * is one statement on either engine, an upsert whose update only happens while the lease is free
 * (expired) or already ours, so two instances asking at the same moment cannot both get it:
 * SQLite runs it under the write lock, PostgreSQL locks the conflicting row and checks the
 * condition against its latest committed version.
 */
const TAKE = `INSERT INTO job_leases AS l (name, holder, expiresAt) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt
  WHERE l.expiresAt < ? OR l.holder = excluded.holder`;

const RELEASE = `UPDATE job_leases SET expiresAt = ?, lastRunAt = ?, lastResult = ? WHERE name = ? AND holder = ?`;

/** True if `holder` now holds the lease `name` until `until` (it was free at `now`, or its own). */
export async function takeLease(db: Sql | EntityManager, name: string, holder: string, now: Date, until: Date): Promise<boolean> {
  return (await sqlFrom(db).run(TAKE, [name, holder, until, now])) === 1;
}

/** Gives the lease back at `now` (free at once), recording the run; only if `holder` still has it. */
export async function releaseLease(db: Sql | EntityManager, name: string, holder: string, now: Date, result: unknown): Promise<void> {
  await sqlFrom(db).run(RELEASE, [now, now, result === null || result === undefined ? null : JSON.stringify(result), name, holder]);
}

/**
 * A job's saved state (job_leases.lastResult) with who holds it: for long jobs that resume where
 * they stopped (the deadline recomputation after a calendar change).
 */
export async function jobState<T>(db: Sql | EntityManager, name: string): Promise<{ holder: string; expiresAt: unknown; state: T | null } | undefined> {
  const row = await sqlFrom(db).get<{ holder: string; expiresAt: unknown; lastResult: string | null }>('SELECT holder, expiresAt, lastResult FROM job_leases WHERE name = ?', [name]);
  return row && { holder: row.holder, expiresAt: row.expiresAt, state: row.lastResult ? (JSON.parse(row.lastResult) as T) : null };
}

/** Sets a job's state, creating its row (free) if it has none; who holds it is unchanged. */
export async function setJobState(db: Sql | EntityManager, name: string, state: unknown): Promise<void> {
  await sqlFrom(db).run(
    `INSERT INTO job_leases AS l (name, holder, expiresAt, lastResult) VALUES (?, '', ?, ?) ON CONFLICT (name) DO UPDATE SET lastResult = excluded.lastResult`,
    [name, new Date(0), JSON.stringify(state)],
  );
}

/** Saves a job's state and extends its lease to `until`, only while `holder` has it; false if not. */
export async function saveJobProgress(db: Sql | EntityManager, name: string, holder: string, until: Date, state: unknown): Promise<boolean> {
  return (await sqlFrom(db).run('UPDATE job_leases SET expiresAt = ?, lastResult = ? WHERE name = ? AND holder = ?', [until, JSON.stringify(state), name, holder])) === 1;
}
