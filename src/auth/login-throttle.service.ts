import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { throttles } from './auth.repository';

const WINDOW_MS = 15 * 60 * 1000;
const BLOCK_MS = 15 * 60 * 1000;
/** After this many failures in the window the account is paused; other accounts are not. */
export const ACCOUNT_MAX_FAILURES = 5;
/**
 * An address trying many accounts is paused too (password spraying: a few guesses at each of many
 * accounts stays under the per-account limit). Not lower, because a township office puts its few
 * staff behind one address: six of them could each fail five times before it pauses; behind a
 * reverse proxy set TRUST_PROXY=1, or every user shares the proxy's address. docs/DESIGN.md
 * ("Sign-in throttling") says the same.
 */
export const IP_MAX_FAILURES = 30;

/**
 * The key of a row in login_throttles: the scope and a SHA-256 of the normalised value, so a row
 * has the same small size whatever was typed (a 100 kB user name must not become a 100 kB key:
 * unauthenticated requests may not grow the database) and typed names are not kept in clear.
 * Every writer of login_throttles (sign-in here, the public status lookup) keys through this.
 */
export function throttleKey(scope: 'user' | 'ip' | 'lookup-ip' | 'lookup-case', value: string): string {
  return `${scope}:${createHash('sha256').update(value).digest('hex')}`;
}
export function accountKey(username: string) {
  return throttleKey('user', username.trim().toLowerCase());
}
export function ipKey(ip: string) {
  return throttleKey('ip', ip);
}

@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly writer: DbWriter,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts an attempt before the password is checked, in one statement per key, so parallel
   * requests cannot all slip in under the limit. Returns the minutes to wait if the account or
   * the address is paused, else 0. A successful sign-in takes its attempt back (succeeded()).
   * `whenCounted` runs in the same write when the attempt may go ahead (the audit row).
   */
  async attempt(username: string, ip: string, whenCounted?: () => Promise<void>): Promise<number> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - WINDOW_MS);
    return this.writer.write(async (m) => {
      let wait = 0;
      for (const [key, max] of [
        [accountKey(username), ACCOUNT_MAX_FAILURES],
        [ipKey(ip), IP_MAX_FAILURES],
      ] as const) {
        const { failures, blockedUntil } = await throttles.countSignIn(m, key, now, windowStart);
        const until = blockedUntil?.getTime() ?? 0;
        if (until > now.getTime()) wait = Math.max(wait, until - now.getTime());
        else if (failures > max) {
          await throttles.pause(m, key, new Date(now.getTime() + BLOCK_MS), now);
          wait = Math.max(wait, BLOCK_MS);
        }
      }
      // in the same transaction: the caller's record of an attempt that may go ahead
      if (!wait && whenCounted) await whenCounted();
      return wait ? Math.ceil(wait / 60000) : 0;
    });
  }

  /** The attempt was the right password: the account starts afresh and the address gets its attempt back. */
  async succeeded(username: string, ip: string): Promise<void> {
    await this.writer.write(async (m) => {
      await throttles.forget(m, accountKey(username));
      await throttles.giveBack(m, ipKey(ip));
    });
  }
}
