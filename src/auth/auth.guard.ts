import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ROLE_LABELS, Role } from '../users/role';
import { RegionsService } from '../regions/regions.service';
import { ABOVE_COUNTY_KEY, AboveCountyOpening, AuthUser, IS_PUBLIC, ROLES_KEY } from './auth-user';
import { AuthService, toAuthUser } from './auth.service';

/** Thrown for a page that needs sign-in; the filter answers with a redirect to /login. */
export class SignInRequiredException extends UnauthorizedException {}

/** The bearer token of an API request, or null. */
export function bearerToken(req: Request): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
  return m ? m[1] : null;
}

export function isApiRequest(req: Request): boolean {
  // Routing ignores letter case, so this must too (/API/v1/... is the API).
  const p = req.path.toLowerCase();
  return p === '/api' || p.startsWith('/api/');
}

/**
 * One guard for every route: pages authenticate by session cookie, /api/* by bearer token only
 * (so the API needs no CSRF token and a browser session cannot be used against it).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly regions: RegionsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);

    const user = await this.authenticate(req);
    if (user) {
      req.user = user;
      res.locals.currentUser = viewUser(user);
    }
    if (isPublic) return true;
    if (!user) {
      if (isApiRequest(req)) throw new UnauthorizedException({ message: '未登录或登录已过期，请重新获取令牌' });
      throw new SignInRequiredException();
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException({ message: '您的角色无权使用此功能' });
    }
    if (user.level !== 'county' && !['GET', 'HEAD'].includes(req.method) && !this.openAboveCounty(ctx, req)) {
      throw new ForbiddenException({ message: '市级、省级用户只能查看和督办，不能办理县里的事项' });
    }
    return true;
  }

  private openAboveCounty(ctx: ExecutionContext, req: Request): boolean {
    const open = this.reflector.getAllAndOverride<AboveCountyOpening | undefined>(ABOVE_COUNTY_KEY, [ctx.getHandler(), ctx.getClass()]);
    return open === true || (typeof open === 'function' && open(req));
  }

  /** A county user reaches their county; a prefecture or province user the counties below. */
  private async withReach(user: AuthUser | null): Promise<AuthUser | null> {
    if (!user) return null;
    const reach = await this.regions.reach(user.regionCode ?? '');
    return { ...user, level: reach?.level ?? 'county', countyCodes: reach?.countyCodes ?? [] };
  }

  private async authenticate(req: Request): Promise<AuthUser | null> {
    if (isApiRequest(req)) {
      const token = bearerToken(req);
      return token ? this.withReach(await this.auth.resolveApiToken(token)) : null;
    }
    const userId = req.session?.userId;
    if (!userId) return null;
    const u = await this.auth.findActiveUser(userId);
    return u ? this.withReach({ ...toAuthUser(u, 'session'), recused: await this.auth.hasRecusals(u.id) }) : null;
  }
}

/** What the layout needs to draw the navigation for this user. */
export function viewUser(user: AuthUser) {
  return {
    ...user,
    roleLabel: ROLE_LABELS[user.role],
    canIntake: (user.role === 'operator' || user.role === 'supervisor') && user.level === 'county',
    canListCases: user.role === 'operator' || user.role === 'supervisor' || user.role === 'township',
    isAdmin: user.role === 'admin',
    /** A prefecture or province user: reads, ranks and urges; changes nothing in a county. */
    aboveCounty: user.level === 'prefecture' || user.level === 'province',
  };
}
