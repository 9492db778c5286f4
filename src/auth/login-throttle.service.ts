import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { LoginThrottle } from './entities/login-throttle.entity';

const WINDOW_MS = 15 * 60 * 1000;
const BLOCK_MS = 15 * 60 * 1000;
/** After this many failures in the window the account is paused; other accounts are not. */
export const ACCOUNT_MAX_FAILURES = 5;
/** An address trying many accounts is paused too, with a higher limit (shared office NAT). */
export const IP_MAX_FAILURES = 30;

export function accountKey(username: string) {
  return `user:${username.trim().toLowerCase()}`;
}
export function ipKey(ip: string) {
  return `ip:${ip}`;
}

@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
  ) {}

  /** Minutes until the key may try again, or 0 if it may try now. */
  async blockedMinutes(keys: string[]): Promise<number> {
    const now = this.clock.now().getTime();
    const rows = await this.dataSource.getRepository(LoginThrottle).findBy(keys.map((key) => ({ key })));
    let until = 0;
    for (const r of rows) if (r.blockedUntil && r.blockedUntil.getTime() > now) until = Math.max(until, r.blockedUntil.getTime());
    return until ? Math.ceil((until - now) / 60000) : 0;
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    const now = this.clock.now();
    await this.writer.write(async (m) => {
      const repo = m.getRepository(LoginThrottle);
      for (const [key, max] of [
        [accountKey(username), ACCOUNT_MAX_FAILURES],
        [ipKey(ip), IP_MAX_FAILURES],
      ] as const) {
        let row = await repo.findOneBy({ key });
        if (!row || now.getTime() - row.windowStartedAt.getTime() > WINDOW_MS) {
          row = repo.create({ key, failures: 0, windowStartedAt: now, blockedUntil: null });
        }
        row.failures += 1;
        if (row.failures >= max) row.blockedUntil = new Date(now.getTime() + BLOCK_MS);
        await repo.save(row);
      }
    });
  }

  async clearAccount(username: string): Promise<void> {
    await this.writer.write((m) => m.getRepository(LoginThrottle).delete({ key: accountKey(username) }));
  }
}
