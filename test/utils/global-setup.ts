import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { NestFactory } from '@nestjs/core';
import { TEST_CLOCK_START } from './clock';
import { PG_DEMO_TEMPLATE, PG_EMPTY_TEMPLATE, POSTGRES_INFO, type PostgresInfo } from './engine';
import { EMPTY_TEMPLATE_DB, TEMPLATE_DB, TMP_DIR } from './paths';
import { freePort } from '../../src/bench/instances';

/** Set once the templates of this Jest run exist, so each tier's set-up makes them only once. */
const READY = 'DUBAN_TEST_TEMPLATES_FOR';
const PG_READY = 'DUBAN_TEST_POSTGRES_FOR';
const SRC = path.resolve(__dirname, '..', '..', 'src') + path.sep;

/**
 * Migrates once into template databases, so each test file starts from a copy instead of running
 * migrations and seeding again (as Vendure's cached SQLite initialiser does). The demo template
 * is seeded on the test clock (CLOCK_START), so its "last twelve months" are the same twelve
 * months on any date. SQLite templates are files; the PostgreSQL projects' set-up
 * (globalSetupPostgres) also starts a real server and makes template databases on it.
 */
export default async function globalSetup() {
  if (process.env[READY] === String(process.pid)) return;
  fs.rmSync(TMP_DIR, { recursive: true, force: true });
  fs.mkdirSync(TMP_DIR, { recursive: true });
  await makeTemplates({ engine: 'sqlite', path: EMPTY_TEMPLATE_DB }, { engine: 'sqlite', path: TEMPLATE_DB });
  process.env[READY] = String(process.pid);
}

const holder = globalThis as { __dubanPostgres?: { stop: () => Promise<void> } | null };

export async function globalSetupPostgres() {
  await globalSetup();
  if (process.env[PG_READY] === String(process.pid)) return;
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startPostgres } = require('../../tools/embedded-postgres.cjs');
  const pg = await startPostgres({ port, password, dir: path.join(TMP_DIR, `pg-${port}`), databases: [PG_EMPTY_TEMPLATE, PG_DEMO_TEMPLATE] });
  holder.__dubanPostgres = pg;
  const info: PostgresInfo = { port, password };
  fs.writeFileSync(POSTGRES_INFO, JSON.stringify(info));
  const url = (db: string) => `postgres://postgres:${password}@localhost:${port}/${db}`;
  await makeTemplates({ engine: 'postgres', url: url(PG_EMPTY_TEMPLATE) }, { engine: 'postgres', url: url(PG_DEMO_TEMPLATE) });
  process.env[PG_READY] = String(process.pid);
}

export async function globalTeardownPostgres() {
  const s = holder.__dubanPostgres;
  holder.__dubanPostgres = null;
  if (s) await s.stop();
}

type Target = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

/**
 * The empty template (migrated) and the demo template (seeded by the app's own start-up path).
 * The engine is fixed when the app's modules load (src/database/engine.ts), so they are loaded
 * afresh for each engine, with its environment set, and dropped afterwards.
 */
async function makeTemplates(empty: Target, demo: Target) {
  const saved = { ...process.env };
  forgetAppModules();
  if (empty.engine === 'postgres') {
    process.env.DATABASE_URL = empty.url;
    delete process.env.DATABASE_PATH;
  } else delete process.env.DATABASE_URL;
  try {
    const { createDataSource } = await import('../../src/database/data-source');
    const ds = createDataSource(empty);
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();

    process.env.NODE_ENV = 'test';
    process.env.CLOCK_START = TEST_CLOCK_START;
    process.env.DEMO_DATA = '1';
    if (demo.engine === 'postgres') process.env.DATABASE_URL = demo.url;
    else process.env.DATABASE_PATH = demo.path;
    const { AppModule } = await import('../../src/app.module');
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await app.close();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    forgetAppModules();
  }
}

function forgetAppModules() {
  for (const k of Object.keys(require.cache)) if (k.startsWith(SRC)) delete require.cache[k];
}

