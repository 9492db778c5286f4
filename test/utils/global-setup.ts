import 'reflect-metadata';
import * as fs from 'fs';
import { NestFactory } from '@nestjs/core';
import { createDataSource } from '../../src/database/data-source';
import { TEST_CLOCK_START } from './clock';
import { EMPTY_TEMPLATE_DB, TEMPLATE_DB, TMP_DIR } from './paths';

/** Set once the templates of this Jest run exist, so each tier's set-up makes them only once. */
const READY = 'DUBAN_TEST_TEMPLATES_FOR';

/**
 * Migrates once into template database files, so each test file starts from a copy instead of
 * running migrations and seeding again (as Vendure's cached SQLite initialiser does). The demo
 * template is seeded on the test clock (CLOCK_START), so its "last twelve months" are the same
 * twelve months on any date.
 */
export default async function globalSetup() {
  if (process.env[READY] === String(process.pid)) return;
  fs.rmSync(TMP_DIR, { recursive: true, force: true });
  fs.mkdirSync(TMP_DIR, { recursive: true });

  const empty = createDataSource(EMPTY_TEMPLATE_DB);
  await empty.initialize();
  await empty.runMigrations();
  await empty.destroy();

  // The demo county with its users and cases, seeded by the app's own start-up path.
  process.env.NODE_ENV = 'test';
  process.env.CLOCK_START = TEST_CLOCK_START;
  process.env.DEMO_DATA = '1';
  process.env.DATABASE_PATH = TEMPLATE_DB;
  const { AppModule } = await import('../../src/app.module');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await app.close();
  process.env.DEMO_DATA = '0';
  delete process.env.DATABASE_PATH;
  process.env[READY] = String(process.pid);
}
