import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import request from 'supertest';
import { TMP_DIR } from './paths';
import { apiToken, signIn, type TestApp } from './test-app';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

/**
 * For "who sees what" tests over every route: the GET routes read from the application's own
 * router (not typed in a test), and each answer as the text a person would read, whatever its
 * format: HTML, JSON, CSV, the cells of an .xlsx, the text of a PDF.
 */
export interface RouteInfo {
  path: string;
}

export function getRoutes(t: TestApp): RouteInfo[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> } };
  const instance = t.app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const stack = (instance.router ?? instance._router)!.stack;
  return stack.filter((l) => l.route && l.route.methods.get).map((l) => ({ path: l.route!.path }));
}

/** Fills the route's parameters, or null when a parameter has no value given. */
export function fillRoute(routePath: string, values: Record<string, string>): string | null {
  let missing = false;
  const filled = routePath.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in values)) missing = true;
    return encodeURIComponent(values[name] ?? '');
  });
  return missing ? null : filled;
}

function binary(res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => cb(e, Buffer.alloc(0)));
}

let pdfSeq = 0;

/** The words of an answer, as a reader of that format would see them. */
export async function readableText(contentType: string, body: Buffer): Promise<string> {
  if (/spreadsheetml|application\/zip/.test(contentType)) {
    const zip = await JSZip.loadAsync(body);
    const parts: string[] = [];
    for (const name of Object.keys(zip.files).sort()) if (name.endsWith('.xml')) parts.push(await zip.files[name].async('string'));
    return parts.join('\n');
  }
  if (/application\/pdf/.test(contentType)) {
    const file = path.join(TMP_DIR, `leak-${process.pid}-${pdfSeq++}.pdf`);
    fs.writeFileSync(file, body);
    try {
      // poppler's pdftotext reads the text layer the way a viewer's search or copy would
      return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  return body.toString('utf8');
}

/**
 * What an answer says, less what is not a leak: the CSRF token (random), and the user's own
 * search words echoed back in the search box and the export links.
 */
export function withoutEchoes(body: string): string {
  return body
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/name="q" type="search" value="[^"]*"/g, '')
    .replace(/href="\/cases\/export\.(xlsx|csv)\?[^"]*"/g, '');
}

export interface Fetched {
  url: string;
  status: number;
  text: string;
}

type Agent = ReturnType<typeof request.agent>;

/** GET as a signed-in browser (agent) for pages, or with a bearer token for /api/. */
export async function fetchReadable(t: TestApp, url: string, who: { agent: Agent; token: string }): Promise<Fetched> {
  const req = url.startsWith('/api/') ? t.http().get(url).set('Authorization', `Bearer ${who.token}`) : who.agent.get(url);
  const res = await req.buffer(true).parse(binary as never);
  const text = await readableText(String(res.headers['content-type'] ?? ''), res.body as Buffer);
  return { url, status: res.status, text };
}

/** A route as its controller declares it (method, path, whether it reads query parameters). */
export interface DeclaredRoute {
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
export function listRoutes(app: INestApplication): DeclaredRoute[] {
  const out: DeclaredRoute[] = [];
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

/**
 * Signs in as `username` and asks every URL as that user (pages by session, /api/ by token): the
 * status line of each answer, and which of the needles each answer shows a reader.
 */
export async function sweepRoutes(t: TestApp, username: string, urls: string[], needles: string[]): Promise<{ seen: string[]; hits: string[] }> {
  const who = { agent: await signIn(t, username), token: await apiToken(t, username) };
  const seen: string[] = [];
  const hits: string[] = [];
  for (const url of urls) {
    const r = await fetchReadable(t, url, who);
    seen.push(`${r.status} ${url}`);
    const body = withoutEchoes(r.text);
    for (const n of needles) if (body.includes(n)) hits.push(`${url} shows ${n}`);
  }
  return { seen, hits };
}
