/**
 * The deadline half of `npm run bench`: a database where every case is open with a running
 * township clock, then (1) the scheduled scan over all of them, (2) the same scan again (nothing
 * to do), (3) the recomputation of every open deadline after the administrator changes the
 * calendar. Runs in-process on the real services, as the server does.
 */
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { CalendarDay } from '../calendar/entities/calendar-day.entity';
import { WorkCalendar, shanghaiToday } from '../calendar/work-calendar';
import { fromDbDateTime, toDbDateTime } from '../common/time';
import { bulkSeed } from './bulk-seed';

export interface DeadlineBenchResult {
  cases: number;
  seedSeconds: number;
  scan: { seconds: number; overdue: number; dueSoon: number; notifications: number };
  rescan: { seconds: number };
  recompute: { seconds: number; checked: number; changed: number };
}

async function context(file: string) {
  process.env.DATABASE_PATH = file;
  process.env.NODE_ENV = 'development';
  process.env.DEMO_DATA = '1';
  process.env.JOBS = '0';
  const { AppModule } = await import('../app.module');
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

export async function deadlineBench(root: string, cases: number, log: (s: string) => void): Promise<DeadlineBenchResult> {
  const file = path.join(root, 'data', 'bench', `deadlines-${cases}.sqlite`);
  for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const started = Date.now();
  log(`Deadlines: seeding ${cases} open cases with running clocks ...`);
  let app = await context(file);
  await app.close();
  // Received in the last 90 days, all with the township (verifying).
  const now = Date.now();
  bulkSeed(file, cases, log, { statuses: ['verifying'], from: now - 90 * 86400_000, to: now - 86400_000 });

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // statement journals in memory, as the app has them: with a temporary file, every insert that
  // fires a trigger (the tallies') cost some 50 µs more
  db.pragma('temp_store = MEMORY');
  const years = (db.prepare('SELECT year FROM calendar_years').all() as { year: number }[]).map((r) => r.year);
  const cal = new WorkCalendar(years, db.prepare('SELECT date, type FROM calendar_days').all() as CalendarDay[]);
  const rule = db.prepare(`SELECT id FROM deadline_rules WHERE stage = 'verify' AND kind IS NULL AND program IS NULL`).get() as { id: number };
  const rows = db.prepare(`SELECT id, receivedAt FROM cases WHERE status = 'verifying'`).all() as { id: number; receivedAt: string }[];
  const ins = db.prepare(
    `INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, ruleId, extension, dueDate, missingYear, status, dueState, createdAt) VALUES (?, 'verify', ?, 30, 'workday', ?, 0, ?, NULL, 'open', 'ok', ?)`,
  );
  const upd = db.prepare(`UPDATE cases SET dueDate = ?, dueState = 'ok' WHERE id = ?`);
  const createdAt = toDbDateTime(new Date());
  db.transaction(() => {
    for (const r of rows) {
      const start = shanghaiToday(fromDbDateTime(r.receivedAt));
      let due: string | null = null;
      try {
        due = cal.due(start, 30, 'workday');
      } catch {
        due = null;
      }
      ins.run(r.id, start, rule.id, due, createdAt);
      upd.run(due, r.id);
    }
  })();
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const seedSeconds = Math.round((Date.now() - started) / 1000);

  app = await context(file);
  try {
    const { DeadlineScanService } = await import('../jobs/deadline-scan.service');
    const { CalendarAdminService } = await import('../deadlines/calendar-admin.service');
    const scanner = app.get(DeadlineScanService);
    let t0 = performance.now();
    const first = await scanner.scan();
    const scan = { seconds: +((performance.now() - t0) / 1000).toFixed(2), overdue: first.overdue, dueSoon: first.dueSoon, notifications: first.notifications };
    log(`  scan over ${cases} open cases: ${scan.seconds} s (${scan.overdue} overdue, ${scan.dueSoon} due today, ${scan.notifications} notifications)`);
    t0 = performance.now();
    await scanner.scan();
    const rescan = { seconds: +((performance.now() - t0) / 1000).toFixed(2) };
    log(`  second scan (nothing new): ${rescan.seconds} s`);

    // The administrator makes a coming Monday a rest day: every deadline after it moves.
    const nextMonday = new Date();
    nextMonday.setUTCDate(nextMonday.getUTCDate() + ((8 - nextMonday.getUTCDay()) % 7 || 7));
    const date = nextMonday.toISOString().slice(0, 10);
    const admin = { id: 0, username: 'bench', displayName: '压测', role: 'admin' as const, townshipId: null, via: 'session' as const };
    t0 = performance.now();
    const r = await app.get(CalendarAdminService).setDay(admin, { date, type: 'off', name: '压测调整' });
    const recompute = { seconds: +((performance.now() - t0) / 1000).toFixed(2), checked: r.checked, changed: r.changed };
    log(`  recompute after making ${date} a rest day: ${recompute.seconds} s (${r.checked} open deadlines, ${r.changed} moved)`);
    return { cases, seedSeconds, scan, rescan, recompute };
  } finally {
    await app.close();
  }
}
