import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Clock } from '../common/clock';
import { Role } from '../users/role';
import { Public, OpenAboveCounty } from './auth-user';
import { AuthService, LoginRefusedException } from './auth.service';
import { LoginPageQuery, loginProblems } from './dto/login.dto';
import { checkQuery, errorMap } from '../common/validation';

export const DEMO_ACCOUNTS = [
  { username: 'operator', label: '接线员' },
  { username: 'supervisor', label: '督办员' },
  { username: 'township1', label: '乡镇民政助理员（城关镇）' },
  { username: 'township2', label: '乡镇民政助理员（河口镇）' },
  { username: 'liaison', label: '纪检联络员' },
  { username: 'admin', label: '系统管理员' },
];
export const DEMO_PASSWORD = 'demo1234';

export function homeFor(role: Role): string {
  switch (role) {
    case 'operator':
      return '/cases/new';
    case 'admin':
      return '/admin/users';
    case 'liaison':
      return '/referrals';
    case 'township':
      return '/queues/inbox';
    case 'supervisor':
      return '/queues/review';
    default:
      return '/cases';
  }
}

/** Only paths on this site: never redirect to another host after sign-in. */
function safeNext(next: unknown): string | null {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : null;
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
}
function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
}

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private loginView(extra: Record<string, unknown>) {
    return {
      title: '登录',
      bare: true,
      demo: this.config.demo,
      demoAccounts: DEMO_ACCOUNTS,
      demoPassword: DEMO_PASSWORD,
      ...extra,
    };
  }

  @Public()
  @Get('login')
  loginPage(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const { value, errors } = checkQuery(LoginPageQuery, query, false);
    if (errors.length) {
      // the form still works; the link's bad part is named and left out
      return res.status(400).render('auth/login', this.loginView({ next: null, error: errors[0].message }));
    }
    const next = safeNext(value.next);
    if (req.user) return res.redirect(303, next ?? homeFor(req.user.role));
    res.render('auth/login', this.loginView({ next, info: value.expired === '1' ? '登录已超时，请重新登录' : null }));
  }

  @Public()
  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>) {
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    // Lengths and formats before anything is counted or stored (the throttle writes a row).
    const problems = loginProblems(body.username, body.password);
    if (problems.length) {
      return res.status(400).render('auth/login', this.loginView({ username: username.slice(0, 40), next, errors: errorMap(problems) }));
    }
    try {
      const user = await this.auth.verifyCredentials(username, password, req.ip ?? 'unknown');
      // A new session id at sign-in: a session fixed before login is worthless after it.
      await regenerate(req);
      req.session.userId = user.id;
      req.session.signedInAt = this.clock.now().getTime();
      await save(req);
      return res.redirect(303, next ?? homeFor(user.role));
    } catch (e) {
      if (e instanceof LoginRefusedException) {
        if (e.retryAfter) res.setHeader('Retry-After', String(e.retryAfter));
        return res.status(e.getStatus()).render('auth/login', this.loginView({ username, next, error: (e.getResponse() as { message: string }).message }));
      }
      throw e;
    }
  }

  /**
   * The intake form's keep-alive: while an operator is on a call with the form open, the session's
   * idle expiry moves on (every request does; this one does nothing else). The absolute lifetime
   * from sign-in still ends it (SESSION_MAX_HOURS). 204, or the sign-in page's redirect once ended.
   */
  @Post('session/keep-alive')
  @OpenAboveCounty()
  @HttpCode(204)
  keepAlive(): void {
    return;
  }

  @Public()
  @Post('logout')
  @OpenAboveCounty()
  @HttpCode(303)
  logout(@Req() req: Request, @Res() res: Response) {
    req.session.destroy(() => {
      res.clearCookie('duban.sid');
      res.redirect(303, '/login');
    });
  }
}
