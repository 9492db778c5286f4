import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { randomBytes } from 'crypto';
import * as os from 'os';
import { Clock } from '../common/clock';
import { toDbDateTime } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { rawDb, stmt } from '../database/raw';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { Stage, STAGE_LABELS, TOWNSHIP_STAGES } from '../deadlines/stages';
import { NotificationsService } from '../notifications/notifications.service';

export interface ScanResult {
  today: string;
  dueSoon: number;
  overdue: number;
  notifications: number;
  batches: number;
  ms: number;
}

const LEASE = 'deadline-scan';
const LEASE_MS = 10 * 60_000;
const BATCH = 5000;

/**
 * Every 5 minutes and at start: clocks reaching their last day become "due soon", clocks past it
 * "overdue". Each change notifies the township's staff and the supervisors once and writes one
 * history row per stage that went overdue. Idempotent (each clock changes state once, notices have
 * unique keys), in batches, and run by one instance at a time through a lease row in the database.
 */
@Injectable()
export class DeadlineScanService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeadlineScan');
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly writer: DbWriter,
    private readonly deadlines: DeadlinesService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.jobs) setImmediate(() => void this.runLogged());
  }

  @Cron('0 */5 * * * *', { name: 'deadline-scan', timeZone: 'Asia/Shanghai' })
  scheduled(): void {
    if (this.config.jobs) void this.runLogged();
  }

  private async runLogged() {
    try {
      const r = await this.run();
      if (r && (r.dueSoon || r.overdue)) this.logger.log(`due soon ${r.dueSoon}, overdue ${r.overdue}, notices ${r.notifications} (${r.ms} ms)`);
    } catch (e) {
      this.logger.error(`scan failed: ${(e as Error).message}`);
    }
  }

  /** One scan if this instance gets the lease; null if another instance holds it. */
  async run(): Promise<ScanResult | null> {
    if (!(await this.acquire())) return null;
    let result: ScanResult | null = null;
    try {
      result = await this.scan();
      return result;
    } finally {
      await this.release(result);
    }
  }

  async acquire(): Promise<boolean> {
    const now = this.clock.now();
    return this.writer.write(async (m) => {
      const db = rawDb(m);
      db.prepare(`INSERT OR IGNORE INTO job_leases (name, holder, expiresAt) VALUES (?, '', ?)`).run(LEASE, toDbDateTime(new Date(0)));
      const r = db
        .prepare(`UPDATE job_leases SET holder = ?, expiresAt = ? WHERE name = ? AND (expiresAt < ? OR holder = ?)`)
        .run(this.holder, toDbDateTime(new Date(now.getTime() + LEASE_MS)), LEASE, toDbDateTime(now), this.holder);
      return r.changes === 1;
    });
  }

  private async release(result: ScanResult | null): Promise<void> {
    const now = toDbDateTime(this.clock.now());
    await this.writer.write(async (m) => {
      rawDb(m)
        .prepare(`UPDATE job_leases SET expiresAt = ?, lastRunAt = ?, lastResult = ? WHERE name = ? AND holder = ?`)
        .run(now, now, result ? JSON.stringify(result) : null, LEASE, this.holder);
    });
  }

  async scan(): Promise<ScanResult> {
    const started = Date.now();
    const today = this.deadlines.today();
    const result: ScanResult = { today, dueSoon: 0, overdue: 0, notifications: 0, batches: 0, ms: 0 };
    for (;;) {
      const n = await this.writer.write(async (m) => {
        const db = rawDb(m);
        const rows = stmt(
          db,
          // Two index ranges on (status, dueState, dueDate), forced: an OR, or a plan that scans because
          // most clocks are 'ok', would read every open clock again for each batch.
          `SELECT d.id, d.caseId, d.stage, d.dueDate, d.dueState, c.caseNo, c.townshipId, c.status
             FROM case_deadlines d INDEXED BY IDX_case_deadlines_open_due JOIN cases c ON c.id = d.caseId
             WHERE d.status = 'open' AND d.dueState = 'dueSoon' AND d.dueDate < ?
           UNION ALL
           SELECT d.id, d.caseId, d.stage, d.dueDate, d.dueState, c.caseNo, c.townshipId, c.status
             FROM case_deadlines d INDEXED BY IDX_case_deadlines_open_due JOIN cases c ON c.id = d.caseId
             WHERE d.status = 'open' AND d.dueState = 'ok' AND d.dueDate <= ?
           LIMIT ${BATCH}`,
        ).all(today, today) as { id: number; caseId: number; stage: Stage; dueDate: string; dueState: string; caseNo: string; townshipId: number | null; status: string }[];
        const setState = stmt(db, `UPDATE case_deadlines SET dueState = ? WHERE id = ? AND dueState = ?`);
        const caseState = stmt(db, `UPDATE cases SET dueState = ? WHERE id = ? AND dueDate = ?`);
        const history = stmt(
          db,
          `INSERT INTO case_history (caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data)
           VALUES (?, ?, NULL, '系统', NULL, 'deadline', ?, ?, ?, ?, ?)`,
        );
        const now = toDbDateTime(this.clock.now());
        const recipients = new Map<string, number[]>();
        for (const r of rows) {
          const state = r.dueDate < today ? 'overdue' : 'dueSoon';
          // Conditional: a second scan or instance finds the clock already moved and does nothing.
          if (setState.run(state, r.id, r.dueState).changes !== 1) continue;
          const township = TOWNSHIP_STAGES.includes(r.stage);
          // the case's flag follows its township deadline (cases.dueDate is the earliest open one)
          if (township) caseState.run(state, r.caseId, r.dueDate);
          const key = `${township ? r.townshipId : 'county'}`;
          if (!recipients.has(key)) recipients.set(key, this.notifications.recipientIds(m, township ? r.townshipId : null, true));
          const label = STAGE_LABELS[r.stage];
          const message = state === 'overdue' ? `案件 ${r.caseNo} ${label}已超期（期限 ${r.dueDate}）` : `案件 ${r.caseNo} ${label}今日到期`;
          result.notifications += this.notifications.notify(m, recipients.get(key)!, r.caseId, state, `${state}:${r.id}`, message);
          if (state === 'overdue') {
            result.overdue++;
            history.run(r.caseId, now, 'overdue', r.status, r.status, `${label}期限 ${r.dueDate} 已过，尚未完成`, JSON.stringify({ stage: r.stage, dueDate: r.dueDate, deadlineId: r.id }));
          } else {
            result.dueSoon++;
          }
        }
        return rows.length;
      });
      result.batches++;
      if (n < BATCH) break;
    }
    result.ms = Date.now() - started;
    return result;
  }
}
