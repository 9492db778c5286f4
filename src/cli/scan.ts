import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';

/** npm run scan: one deadline scan now (the same the server runs every 5 minutes), then exit. */
async function main() {
  process.env.JOBS = '0';
  process.env.DEMO_DATA = process.env.DEMO_DATA ?? '0';
  const { AppModule } = await import('../app.module');
  const { DeadlineScanService } = await import('../jobs/deadline-scan.service');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    // --ignore-lease: scan even if another instance holds the lease (diagnostics, and the test that
    // proves concurrent scans still notify once per event).
    const scan = app.get(DeadlineScanService);
    const result = process.argv.includes('--ignore-lease') ? await scan.scan() : await scan.run();
    console.log(result ? JSON.stringify(result) : 'another instance is scanning now; nothing done');
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
