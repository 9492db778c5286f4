import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { randomBytes } from 'crypto';
import * as os from 'os';
import { Clock } from '../common/clock';
import { nextTurn } from '../common/next-turn';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { STAGE_LABELS } from '../deadlines/stages';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { scanBatch } from './deadline-scan.repository';
import { releaseLease, takeLease } from './job-lease.repository';

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
/** Clocks per batch: each batch is one write, and the event loop is free between two (requests first). */
const BATCH = 5000;

/**
 * Every 5 minutes and at start: clocks reaching their last day become "due soon", clocks past it
 * "overdue". Each change notifies the township's staff (or a lead's liaison) and the supervisors once and writes one
 * history row per stage that went overdue (CaseHistoryWriter.appendMany). Idempotent (each clock changes state once, notices have
 * unique keys), in batches, and run by one instance at a time through a lease row in the database
 * (job-lease.repository.ts).
 */
@Injectable()
export class DeadlineScanService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeadlineScan');
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly writer: DbWriter,
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly history: CaseHistoryWriter,
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
    return this.writer.write((m) => takeLease(m, LEASE, this.holder, now, new Date(now.getTime() + LEASE_MS)));
  }

  private async release(result: ScanResult | null): Promise<void> {
    const now = this.clock.now();
    await this.writer.write((m) => releaseLease(m, LEASE, this.holder, now, result));
  }

  async scan(): Promise<ScanResult> {
    const started = Date.now();
    const today = this.deadlines.today();
    const result: ScanResult = { today, dueSoon: 0, overdue: 0, notifications: 0, batches: 0, ms: 0 };
    for (;;) {
      // Set-based, one batch per transaction; each clock moves once and each event is reported
      // once, however many scans run (deadline-scan.repository.ts says how, per engine).
      const batch = await this.writer.write(async (m) => {
        const nowDate = this.clock.now();
        const picked = await scanBatch(m, today, nowDate, BATCH);
        // One history row per stage gone overdue, chained in TypeScript, inserted per batch.
        await this.history.appendMany(
          m,
          picked.overdueClocks.map(({ deadlineId, caseId, stage, dueDate, status }) => ({
            caseId, at: nowDate, actorId: null, actorName: '系统', actorRole: null, type: 'deadline' as const, action: 'overdue' as const,
            fromStatus: status, toStatus: status, note: `${STAGE_LABELS[stage]}期限 ${dueDate} 已过，尚未完成`, data: { stage, dueDate, deadlineId },
          })),
        );
        return picked;
      });
      // counted once committed (a write PostgreSQL runs again after a deadlock counts once)
      result.notifications += batch.notifications;
      result.overdue += batch.overdue;
      result.dueSoon += batch.dueSoon;
      result.batches++;
      if (batch.picked < BATCH) break;
      // between two batches, the requests waiting (intake, pages) go first
      await nextTurn();
    }
    result.ms = Date.now() - started;
    return result;
  }
}
