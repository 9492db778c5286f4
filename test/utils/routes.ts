import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

export interface RouteInfo {
  /** e.g. "GET /cases/export.:format" */
  key: string;
  method: string;
  path: string;
  takesQuery: boolean;
}

/**
 * Every route of the app, read from the controllers' own decorators, so a test that must cover
 * every route (or every route with query parameters) sees a new one as soon as it is added.
 */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctor = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!ctor) continue;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, ctor) ?? '/');
      for (const name of Object.getOwnPropertyNames(ctor.prototype)) {
        const handler = (ctor.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const subs = Reflect.getMetadata(PATH_METADATA, handler);
        if (subs === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, ctor, name) ?? {};
        const takesQuery = Object.keys(args).some((k) => Number(k.split(':')[0]) === RouteParamtypes.QUERY);
        for (const base of bases) {
          for (const sub of ([] as string[]).concat(subs)) {
            const path = ('/' + [base, sub].join('/')).replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
            out.push({ key: `${method} ${path}`, method, path, takesQuery });
          }
        }
      }
    }
  }
  return out;
}
