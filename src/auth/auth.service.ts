import { HttpException, HttpStatus, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { User } from '../users/entities/user.entity';
import { AuthUser } from './auth-user';
import { ApiToken } from './entities/api-token.entity';
import { LoginThrottleService } from './login-throttle.service';
import { endOtherSessions, hasRecusals, pruneExpired, tokenOwner } from './auth.repository';
import { loginProblems } from './dto/login.dto';
import { loadCommonPasswords, passwordProblem } from './password-policy';
import { passwords } from './passwords';
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


/**
 * The user as a county user of their region (the sign-in guard widens the reach of a prefecture
 * or province user, whose region is not a county: until then they reach nothing).
 */
export function toAuthUser(u: Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'townshipId' | 'regionCode'>, via: AuthUser['via']): AuthUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, townshipId: u.townshipId, regionCode: u.regionCode, level: 'county', countyCodes: u.regionCode ? [u.regionCode] : [], via };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

@Injectable()
export class AuthService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private dummy: Promise<string> | null = null;

  /** A real hash of the current cost to verify against when the user does not exist, made once. */
  private dummyHash(): Promise<string> {
    return (this.dummy ??= passwords.hash(randomBytes(16).toString('hex')));
  }

  async onModuleInit() {
    // a missing list of common passwords stops the start, not a later password change
    loadCommonPasswords();
    // made now, so the first unknown name does not pay for a hash on top of its verify
    await this.dummyHash();
  }

  /** argon2id (passwords.ts). */
  static hashPassword(password: string): Promise<string> {
    return passwords.hash(password);
  }

  /**
   * The hash of a password being set, after the password rule (password-policy.ts): every place
   * that sets a password comes through here. The demo seed alone hashes demo1234 directly.
   */
  static async hashNewPassword(password: string, username: string, field = 'password'): Promise<string> {
    const problem = passwordProblem(password, { username });
    if (problem) throw new InputInvalidException([{ field, message: problem }]);
    return AuthService.hashPassword(password);
  }

  /**
   * Checks a sign-in. Refuses with 429 while the account or the address is paused, with 401 and
   * the same message for an unknown user, a disabled one and a wrong password.
   *
   * Every refusal does the same work, so its timing tells nothing about the account (ASVS 4.0.3
   * V2.2.1 / OWASP authentication cheat sheet): one read of the user, one write (the throttle's
   * count, with the audit row of a real account in the same transaction), one argon2 verify
   * against the user's hash or a dummy hash of the same cost made at start-up, and no write
   * after it. A paused sign-in does the read and the write and no verify, whoever it is for.
   */
  async verifyCredentials(username: string, password: string, ip: string): Promise<User> {
    const name = (username || '').trim();
    // Every caller validates first; this keeps a malformed name from ever reaching the throttle.
    const problems = loginProblems(name, password);
    if (problems.length) throw new InputInvalidException(problems);
    const user = await this.dataSource.getRepository(User).findOneBy({ username: name });
    // Audited for real accounts only, in the counting write: unknown names are counted by the
    // throttle (hashed, pruned), never kept; a paused attempt is not audited (it would let
    // anyone grow the audit log without limit).
    const minutes = await this.throttle.attempt(name, ip, user ? () => this.audit.record(null, 'login.attempt', 'user', String(user.id), { ip }) : undefined);
    if (minutes > 0) {
      throw new LoginRefusedException(`登录失败次数过多，请 ${minutes} 分钟后再试`, HttpStatus.TOO_MANY_REQUESTS, minutes * 60);
    }
    const ok = await passwords.verify(user ? user.passwordHash : await this.dummyHash(), password);
    if (!user || !ok || user.disabled) throw new LoginRefusedException(BAD_CREDENTIALS, HttpStatus.UNAUTHORIZED);
    await this.throttle.succeeded(name, ip);
    // a hash made with other parameters (an older cost) is made again while the password is at hand
    if (passwords.needsRehash(user.passwordHash)) {
      const passwordHash = await passwords.hash(password);
      await this.writer.write((m) => m.getRepository(User).update({ id: user.id }, { passwordHash }));
    }
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
    await this.writer.write((m) => pruneExpired(m, now, stale));
  }

  /**
   * 修改密码 (ASVS 4.0.3 V2.1.6): the current password is checked under the sign-in throttle (a
   * stolen session cannot guess it at leisure), the new one against the password rule. Every
   * other session and every API token of the user ends; this session goes on. Returns how many
   * sessions and tokens were ended.
   */
  async changeOwnPassword(actor: AuthUser, current: string, next: string, sid: string, ip: string): Promise<number> {
    const wait = await this.throttle.attempt(actor.username, ip);
    if (wait > 0) throw new InputInvalidException([{ field: 'currentPassword', message: `尝试次数过多，请 ${wait} 分钟后再试` }]);
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: actor.id });
    if (!(await passwords.verify(user.passwordHash, current))) {
      await this.audit.record(actor, 'user.changePassword.failed', 'user', String(user.id), { ip });
      throw new InputInvalidException([{ field: 'currentPassword', message: '当前密码不正确' }]);
    }
    if (next === current) throw new InputInvalidException([{ field: 'newPassword', message: '新密码不能与当前密码相同' }]);
    const passwordHash = await AuthService.hashNewPassword(next, user.username, 'newPassword');
    await this.throttle.succeeded(actor.username, ip);
    return this.writer.write(async (m) => {
      await m.getRepository(User).update({ id: user.id }, { passwordHash, passwordChangedAt: this.clock.now() });
      const sessions = await endOtherSessions(m, user.id, sid);
      const tokens = await m.getRepository(ApiToken).delete({ userId: user.id });
      const ended = sessions + (tokens.affected ?? 0);
      await this.audit.record(actor, 'user.changePassword', 'user', String(user.id), { ip, ended });
      return ended;
    });
  }

  async findActiveUser(id: number): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    return user && !user.disabled ? user : null;
  }

  hasRecusals(userId: number): Promise<boolean> {
    return hasRecusals(this.dataSource.manager, userId);
  }

  /** Idle expiry from `from`, never past the token's absolute end (ASVS 4.0.3 V3.3.2). */
  private expiry(from: Date, issuedAt: Date): Date {
    return new Date(Math.min(from.getTime() + this.config.idleMinutes * 60_000, issuedAt.getTime() + this.config.tokenMaxHours * 3600_000));
  }

  /** A new bearer token; only its hash is kept. */
  async issueApiToken(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.writer.write((m) =>
      m.getRepository(ApiToken).insert({ tokenHash: sha256(token), userId: user.id, createdAt: now, lastUsedAt: now, expiresAt: this.expiry(now, now) }),
    );
    return token;
  }

  /** Ends a bearer token (POST /api/v1/auth/logout): it is refused from now on. */
  async revokeApiToken(token: string, actor: AuthUser): Promise<void> {
    await this.writer.write(async (m) => {
      await m.getRepository(ApiToken).delete({ tokenHash: sha256(token) });
      await this.audit.record(actor, 'logout', 'user', String(actor.id), { via: 'token' });
    });
  }

  /** The user behind a bearer token, or null if unknown, expired or the user is disabled. */
  async resolveApiToken(token: string): Promise<AuthUser | null> {
    const row = await tokenOwner(this.dataSource.manager, sha256(token));
    const now = this.clock.now();
    if (!row || row.expiresAt.getTime() <= now.getTime() || row.disabled) return null;
    const issuedAt = row.createdAt;
    // the absolute end, checked here too: expiresAt of an older row may lie beyond it
    if (now.getTime() >= issuedAt.getTime() + this.config.tokenMaxHours * 3600_000) return null;
    // Slide the idle expiry, but write at most once a minute per token: intake stays fast.
    if (now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      await this.writer.write((m) => m.getRepository(ApiToken).update({ id: row.tokenId }, { lastUsedAt: now, expiresAt: this.expiry(now, issuedAt) }));
    }
    return { ...toAuthUser(row, 'token'), recused: !!row.recused };
  }
}
