import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';
import type { DatabaseTarget } from '../../src/database/engine';
import { testDatabase } from './engine';
import { EMPTY_TEMPLATE_DB, TEMPLATE_DB, TMP_DIR } from './paths';

export const DEMO_PASSWORD = 'demo1234';

/** A fresh copy of the template database for one test file. */
export function copyTemplate(which: 'demo' | 'empty' = 'demo'): string {
  const file = path.join(TMP_DIR, `t-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  fs.copyFileSync(which === 'demo' ? TEMPLATE_DB : EMPTY_TEMPLATE_DB, file);
  return file;
}

export interface TestApp {
  app: NestExpressApplication;
  dataSource: DataSource;
  /** The SQLite file ('' on PostgreSQL). */
  dbPath: string;
  /** The database, on this project's engine: give it to a second instance as `target`. */
  target: DatabaseTarget;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The real app (same middleware as production via configureApp) on a copy of the demo database. */
export async function createTestApp(
  opts: { db?: 'demo' | 'empty'; dbPath?: string; target?: DatabaseTarget; clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  // dbPath or target: a second instance on the same database (as two servers sharing one database)
  const shared: DatabaseTarget | undefined = opts.target ?? (opts.dbPath ? { engine: 'sqlite', path: opts.dbPath } : undefined);
  const own = shared ? null : await testDatabase(opts.db ?? 'demo', copyTemplate);
  const target = shared ?? own!.target;
  if (target.engine === 'sqlite') {
    process.env.DATABASE_PATH = target.path;
    delete process.env.DATABASE_URL;
  } else {
    process.env.DATABASE_URL = target.url;
    delete process.env.DATABASE_PATH;
  }
  const dbPath = target.engine === 'sqlite' ? target.path : '';
  for (const [k, v] of Object.entries(opts.env ?? {})) process.env[k] = v;
  let builder = Test.createTestingModule({ imports: [AppModule] });
  if (opts.clock) builder = builder.overrideProvider(Clock).useValue(opts.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  const dataSource = app.get(DataSource);
  return {
    app,
    dataSource,
    dbPath,
    target,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (own) await own.drop();
    },
  };
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

/** A browser-like agent: cookies kept, signed in through the login form. */
export async function signIn(t: TestApp, username: string, password = DEMO_PASSWORD) {
  const agent = request.agent(t.app.getHttpServer());
  const page = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ username, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  return agent;
}

/** Fetches a page and returns its CSRF token, for the form that follows. */
export async function csrfOf(agent: ReturnType<typeof request.agent>, url: string): Promise<string> {
  const res = await agent.get(url);
  return csrfFrom(res.text);
}

export async function apiToken(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`API login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
