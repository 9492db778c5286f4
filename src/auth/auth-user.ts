import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { RegionLevel } from '../regions/entities/region.entity';
import type { Role } from '../users/role';

/** The signed-in user as every service sees it: the explicit actor of each rule. */
export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  townshipId: number | null;
  /** The region the user works at (users.regionCode): their county, or a prefecture or province. */
  regionCode?: string;
  /** That region's level; above a county a user reads and urges but changes nothing. */
  level?: RegionLevel;
  /**
   * The counties whose cases, leads and registers this user may read (their own county, or the
   * counties below their prefecture or province). Missing or empty: none (the scope fails closed).
   */
  countyCodes?: readonly string[];
  /** How the request was authenticated. */
  via: 'session' | 'token';
  /** Some case is hidden from this user by recusal (so reads must filter; most users have none). */
  recused?: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the user signed in (ms, on the app's clock): the session's absolute lifetime runs from here. */
    signedInAt?: number;
    flash?: string;
    /** A query code just issued (intake or reissue), for the one-time print of the acceptance notice with it. */
    issuedCode?: { caseNo: string; code: string };
    /** The intake draft kept in the browser tab may be cleared: its case was saved. */
    draftSaved?: boolean;
    /** The lines of a bulk action, shown once on the queue page it came from. */
    bulkResult?: { title: string; lines: { caseNo: string; done: boolean; message: string }[] };
  }
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});

export const IS_PUBLIC = 'duban:public';
/** No sign-in needed (login page, health, static help). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ROLES_KEY = 'duban:roles';
/** Only these roles may use the route; others get 403 (pages) or 403 JSON (API). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const ABOVE_COUNTY_KEY = 'duban:above-county';
/** Which requests of a route are open above a county: all of them, or those the test accepts. */
export type AboveCountyOpening = true | ((req: import('express').Request) => boolean);
/**
 * Open to prefecture and province users although it changes something (signing out, their own
 * password, urging a county; with `when`, only the requests it accepts, e.g. the case step that
 * the lifecycle table lets them take). Every other request that is not a read is refused to them:
 * above a county, users read and urge.
 */
export const OpenAboveCounty = (when?: (req: import('express').Request) => boolean) => SetMetadata(ABOVE_COUNTY_KEY, (when ?? true) as AboveCountyOpening);
