import type { EntityManager } from 'typeorm';
import { fromDbDateTime, toDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';
import type { Role } from '../users/role';
import { SessionRow } from './entities/session.entity';

/**
 * The SQL of sign-in state. All of it lives in the database, never in the process, so that every
 * instance on one database sees the same counts, sessions and tokens: the throttle counters
 * (login_throttles: sign-in and the public status lookup), API tokens, and the housekeeping of
 * expired rows. Sessions themselves go through their entity (session.store.ts), but for the
 * statements that change many or only some (ending a user's other sessions, sliding the expiry).
 *
 * One text per statement on both engines: upserts on an aliased table (`AS t`, unqualified names
 * are ambiguous on PostgreSQL), instants passed as toDbDateTime text (PostgreSQL sessions run in
 * UTC, so the text means the same) and read back with fromDbDateTime (text on SQLite, Date on
 * PostgreSQL). Each counting statement is a single INSERT … ON CONFLICT DO UPDATE … RETURNING,
 * so parallel requests (on one instance or several) each see their own count.
 */

/** A failed sign-in counted; a window older than its start that is not paused starts afresh at 1. */
const COUNT_SIGN_IN = `INSERT INTO login_throttles AS t (key, failures, windowStartedAt, blockedUntil) VALUES (?, 1, ?, NULL)
  ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.windowStartedAt < ? AND (t.blockedUntil IS NULL OR t.blockedUntil < ?) THEN 1 ELSE t.failures + 1 END,
    windowStartedAt = CASE WHEN t.windowStartedAt < ? AND (t.blockedUntil IS NULL OR t.blockedUntil < ?) THEN ? ELSE t.windowStartedAt END
  RETURNING failures, blockedUntil`;

const PAUSE = 'UPDATE login_throttles SET blockedUntil = ? WHERE key = ? AND (blockedUntil IS NULL OR blockedUntil < ?)';

/** A status lookup counted (0 or 1 more wrong answers); no pause, the count itself is the limit. */
const COUNT_LOOKUP = `INSERT INTO login_throttles AS t (key, failures, windowStartedAt, blockedUntil) VALUES (?, ?, ?, NULL)
  ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.windowStartedAt < ? THEN excluded.failures ELSE t.failures + excluded.failures END,
    windowStartedAt = CASE WHEN t.windowStartedAt < ? THEN excluded.windowStartedAt ELSE t.windowStartedAt END
  RETURNING failures`;

export const throttles = {
  /** Counts a sign-in attempt against `key`; its failures now and the end of a pause, if any. */
  async countSignIn(m: EntityManager, key: string, now: Date, windowStart: Date): Promise<{ failures: number; blockedUntil: Date | null }> {
    const [at, since] = [toDbDateTime(now), toDbDateTime(windowStart)];
    const row = (await sqlOf(m).get<{ failures: number; blockedUntil: string | Date | null }>(COUNT_SIGN_IN, [key, at, since, at, since, at, at]))!;
    return { failures: row.failures, blockedUntil: row.blockedUntil ? fromDbDateTime(row.blockedUntil) : null };
  },

  /** Pauses `key` until `until`, unless a pause that has not ended yet is already there. */
  async pause(m: EntityManager, key: string, until: Date, now: Date): Promise<void> {
    await sqlOf(m).run(PAUSE, [toDbDateTime(until), key, toDbDateTime(now)]);
  },

  async forget(m: EntityManager, key: string): Promise<void> {
    await sqlOf(m).run('DELETE FROM login_throttles WHERE key = ?', [key]);
  },

  /** One failure fewer (a sign-in that turned out right gives its counted attempt back). */
  async giveBack(m: EntityManager, key: string): Promise<void> {
    await sqlOf(m).run('UPDATE login_throttles SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = ?', [key]);
  },

  /** Counts a status lookup against `key` (a wrong answer adds one); the failures in its window. */
  async countLookup(m: EntityManager, key: string, failed: boolean, now: Date, windowStart: Date): Promise<number> {
    const since = toDbDateTime(windowStart);
    return (await sqlOf(m).get<{ failures: number }>(COUNT_LOOKUP, [key, failed ? 1 : 0, toDbDateTime(now), since, since]))!.failures;
  },
};

/** Expired sessions and tokens, and throttle rows stale since `stale` and not paused (indexed deletes). */
export async function pruneExpired(m: EntityManager, now: Date, stale: Date): Promise<void> {
  const sql = sqlOf(m);
  const at = toDbDateTime(now);
  await sql.run('DELETE FROM sessions WHERE expiresAt < ?', [at]);
  await sql.run('DELETE FROM api_tokens WHERE expiresAt < ?', [at]);
  await sql.run('DELETE FROM login_throttles WHERE windowStartedAt < ? AND (blockedUntil IS NULL OR blockedUntil < ?)', [toDbDateTime(stale), at]);
}

export interface TokenOwner {
  tokenId: number;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date;
  id: number;
  username: string;
  displayName: string;
  role: Role;
  townshipId: number | null;
  regionCode: string;
  disabled: boolean;
  recused: boolean;
}

const TOKEN_OWNER = `SELECT t.id AS tokenId, t.createdAt, t.expiresAt, t.lastUsedAt, u.id, u.username, u.displayName, u.role, u.townshipId, u.regionCode, u.disabled,
    EXISTS (SELECT 1 FROM case_recusals r WHERE r.userId = u.id) AS recused
  FROM api_tokens t JOIN users u ON u.id = t.userId WHERE t.tokenHash = ?`;

type TokenOwnerRow = Omit<TokenOwner, 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'disabled' | 'recused'> & {
  createdAt: string | Date;
  expiresAt: string | Date;
  lastUsedAt: string | Date;
  /** 0/1 on SQLite, a boolean on PostgreSQL */
  disabled: number | boolean;
  recused: number | boolean;
};

/** The token with this hash and its user, in one statement (it runs on every API call). */
export async function tokenOwner(m: EntityManager, tokenHash: string): Promise<TokenOwner | null> {
  const row = await sqlOf(m).get<TokenOwnerRow>(TOKEN_OWNER, [tokenHash]);
  if (!row) return null;
  return {
    ...row,
    createdAt: fromDbDateTime(row.createdAt),
    expiresAt: fromDbDateTime(row.expiresAt),
    lastUsedAt: fromDbDateTime(row.lastUsedAt),
    disabled: !!row.disabled,
    recused: !!row.recused,
  };
}

export async function hasRecusals(m: EntityManager, userId: number): Promise<boolean> {
  return !!(await sqlOf(m).get('SELECT 1 AS x FROM case_recusals WHERE userId = ? LIMIT 1', [userId]));
}

/** Ends every session of the user but `sid` (a password change); how many were ended. */
export async function endOtherSessions(m: EntityManager, userId: number, sid: string): Promise<number> {
  const r = await m.createQueryBuilder().delete().from(SessionRow).where('userId = :id AND sid <> :sid', { id: userId, sid }).execute();
  return r.affected ?? 0;
}

/** Slides the session's expiry to `expiresAt`, unless it already ends at `minute` or later (at most one write a minute). */
export async function slideSession(m: EntityManager, sid: string, expiresAt: Date, minute: Date): Promise<void> {
  await m.createQueryBuilder().update(SessionRow).set({ expiresAt }).where('sid = :sid AND expiresAt < :minute', { sid, minute }).execute();
}
