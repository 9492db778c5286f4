import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { createHash, randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { User } from '../users/entities/user.entity';
import { AuthUser } from './auth-user';
import { ApiToken } from './entities/api-token.entity';
import { LoginThrottle } from './entities/login-throttle.entity';
import { SessionRow } from './entities/session.entity';
import { LoginThrottleService } from './login-throttle.service';
import { loginProblems } from './dto/login.dto';
import { InputInvalidException } from '../common/validation';

/** Same words for an unknown user and a wrong password: the answer must not reveal which. */
export const BAD_CREDENTIALS = '用户名或密码不正确';
export const DISABLED_ACCOUNT = BAD_CREDENTIALS;

export class LoginRefusedException extends HttpException {
  constructor(
    message: string,
    status: number,
    /** Seconds until a throttled sign-in may try again (sent as Retry-After). */
    public readonly retryAfter?: number,
  ) {
    super({ message }, status);
  }
}

// A real hash to verify against when the user does not exist, so both paths take as long.
let dummyHash: Promise<string> | null = null;

export function toAuthUser(u: User, via: AuthUser['via']): AuthUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, townshipId: u.townshipId, via };
}

/** A datetime column read by a raw query ('2026-03-05 06:07:00.000', UTC) in ms. */
function fromDb(value: string): number {
  return new Date(value.replace(' ', 'T') + 'Z').getTime();
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane): the library's default 64 MiB
   * made every sign-in the largest allocation of the server. Older hashes still verify (their
   * parameters are in the hash).
   */
  static hashPassword(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  /**
   * Checks a sign-in. Refuses with 429 while the account or the address is paused, with 401 and
   * the same message for an unknown user, a disabled one and a wrong password.
   */
  async verifyCredentials(username: string, password: string, ip: string): Promise<User> {
    const name = (username || '').trim();
    // Every caller validates first; this keeps a malformed name from ever reaching the throttle.
    const problems = loginProblems(name, password);
    if (problems.length) throw new InputInvalidException(problems);
    const minutes = await this.throttle.attempt(name, ip);
    if (minutes > 0) {
      throw new LoginRefusedException(`登录失败次数过多，请 ${minutes} 分钟后再试`, HttpStatus.TOO_MANY_REQUESTS, minutes * 60);
    }
    const user = name ? await this.dataSource.getRepository(User).findOneBy({ username: name }) : null;
    dummyHash ??= AuthService.hashPassword(randomBytes(16).toString('hex'));
    const hash = user ? user.passwordHash : await dummyHash;
    let ok = false;
    try {
      ok = await argon2.verify(hash, password || '');
    } catch {
      ok = false;
    }
    if (!user || !ok || user.disabled) {
      // Audited for real accounts only: unknown names are counted by the throttle, not kept forever.
      if (user) await this.audit.record(null, 'login.failed', 'user', String(user.id), { ip });
      throw new LoginRefusedException(BAD_CREDENTIALS, HttpStatus.UNAUTHORIZED);
    }
    await this.throttle.succeeded(name, ip);
    await this.pruneExpired();
    await this.writer.write((m) => m.getRepository(User).update({ id: user.id }, { lastLoginAt: this.clock.now() }));
    await this.audit.record(toAuthUser(user, 'session'), 'login', 'user', String(user.id), { ip });
    return user;
  }

  /**
   * Housekeeping at each sign-in: expired sessions, tokens and stale throttle rows go (indexed
   * deletes, usually of nothing). A scheduled job will take this over with the workflow scan.
   */
  async pruneExpired(): Promise<void> {
    const now = this.clock.now();
    const stale = new Date(now.getTime() - 24 * 3600_000);
    await this.writer.write(async (m) => {
      await m.createQueryBuilder().delete().from(SessionRow).where('expiresAt < :now', { now }).execute();
      await m.createQueryBuilder().delete().from(ApiToken).where('expiresAt < :now', { now }).execute();
      await m
        .createQueryBuilder()
        .delete()
        .from(LoginThrottle)
        .where('windowStartedAt < :stale AND (blockedUntil IS NULL OR blockedUntil < :now)', { stale, now })
        .execute();
    });
  }

  async findActiveUser(id: number): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    return user && !user.disabled ? user : null;
  }

  async hasRecusals(userId: number): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 FROM case_recusals WHERE userId = ? LIMIT 1', [userId])).length > 0;
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.idleMinutes * 60 * 1000);
  }

  /** A new bearer token; only its hash is kept. */
  async issueApiToken(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.writer.write((m) =>
      m.getRepository(ApiToken).insert({ tokenHash: sha256(token), userId: user.id, createdAt: now, lastUsedAt: now, expiresAt: this.expiry(now) }),
    );
    return token;
  }

  /** The user behind a bearer token, or null if unknown, expired or the user is disabled. */
  async resolveApiToken(token: string): Promise<AuthUser | null> {
    // One plain query: this runs on every API call.
    const rows: { tokenId: number; expiresAt: string; lastUsedAt: string; id: number; username: string; displayName: string; role: User['role']; townshipId: number | null; disabled: number; recused: number }[] =
      await this.dataSource.query(
        `SELECT t.id AS tokenId, t.expiresAt, t.lastUsedAt, u.id, u.username, u.displayName, u.role, u.townshipId, u.disabled,
                EXISTS (SELECT 1 FROM case_recusals r WHERE r.userId = u.id) AS recused
         FROM api_tokens t JOIN users u ON u.id = t.userId WHERE t.tokenHash = ?`,
        [sha256(token)],
      );
    const row = rows[0];
    const now = this.clock.now();
    if (!row || fromDb(row.expiresAt) <= now.getTime() || row.disabled) return null;
    // Slide the idle expiry, but write at most once a minute per token: intake stays fast.
    if (now.getTime() - fromDb(row.lastUsedAt) > 60_000) {
      await this.writer.write((m) => m.getRepository(ApiToken).update({ id: row.tokenId }, { lastUsedAt: now, expiresAt: this.expiry(now) }));
    }
    return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, townshipId: row.townshipId, via: 'token', recused: !!row.recused };
  }
}
