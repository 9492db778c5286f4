import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import type { DatabaseTarget } from '../../src/database/engine';
import { TMP_DIR } from './paths';

/**
 * The engine this Jest project runs on. Each database tier runs twice: on SQLite files and on a
 * real PostgreSQL server that the global set-up starts (test/utils/global-setup.ts). The
 * PostgreSQL projects' set-up file (env-postgres.ts) says so before anything of the app loads.
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.DUBAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_ENGINE === 'postgres';

export const POSTGRES_INFO = path.join(TMP_DIR, 'postgres.json');
export const PG_DEMO_TEMPLATE = 'duban_demo';
export const PG_EMPTY_TEMPLATE = 'duban_empty';

export interface PostgresInfo {
  port: number;
  password: string;
}

export function postgresInfo(): PostgresInfo {
  return JSON.parse(fs.readFileSync(POSTGRES_INFO, 'utf8')) as PostgresInfo;
}

export function postgresUrl(database: string, info = postgresInfo()): string {
  return `postgres://postgres:${info.password}@localhost:${info.port}/${database}`;
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: postgresUrl('postgres') });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A new database of this run's server, copied from a template (CREATE DATABASE … TEMPLATE). */
export async function createPostgresDatabase(template: string): Promise<{ name: string; url: string }> {
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: postgresUrl(name) };
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A database of its own for one test file, on this project's engine: a copy of a template. */
export interface TestDatabase {
  target: DatabaseTarget;
  drop: () => Promise<void>;
}

export async function testDatabase(which: 'demo' | 'empty', sqliteCopy: (which: 'demo' | 'empty') => string): Promise<TestDatabase> {
  if (onPostgres) {
    const db = await createPostgresDatabase(which === 'demo' ? PG_DEMO_TEMPLATE : PG_EMPTY_TEMPLATE);
    return { target: { engine: 'postgres', url: db.url }, drop: () => dropPostgresDatabase(db.name) };
  }
  const file = sqliteCopy(which);
  return {
    target: { engine: 'sqlite', path: file },
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    },
  };
}
