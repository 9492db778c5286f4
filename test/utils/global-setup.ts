import 'reflect-metadata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import { createDataSource } from '../../src/database/data-source';
import { EMPTY_TEMPLATE_DB, TEMPLATE_DB, TMP_DIR } from './paths';

/**
 * Migrates once into template database files, so each test file starts from a copy instead of
 * running migrations and seeding again (as Vendure's cached SQLite initialiser does).
 */
export default async function globalSetup() {
  fs.rmSync(TMP_DIR, { recursive: true, force: true });
  fs.mkdirSync(TMP_DIR, { recursive: true });

  // The compiled app, for tests that start it as separate processes (two instances on one file).
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

  const empty = createDataSource(EMPTY_TEMPLATE_DB);
  await empty.initialize();
  await empty.runMigrations();
  await empty.destroy();

  // The demo county with its users and cases, seeded by the app's own start-up path.
  process.env.NODE_ENV = 'test';
  process.env.DEMO_DATA = '1';
  process.env.DATABASE_PATH = TEMPLATE_DB;
  const { AppModule } = await import('../../src/app.module');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await app.close();
  process.env.DEMO_DATA = '0';
  delete process.env.DATABASE_PATH;
}
