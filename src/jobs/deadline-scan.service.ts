import { notRecusedSql } from '../cases/case-access';
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
import type { CaseStatus } from '../cases/case.enums';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';

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
const BATCH = 20000;

/**
 * Every 5 minutes and at start: clocks reaching their last day become "due soon", clocks past it
 * "overdue". Each change notifies the township's staff (or a lead's liaison) and the supervisors once and writes one
 * history row per stage that went overdue (CaseHistoryWriter.appendMany). Idempotent (each clock changes state once, notices have
 * unique keys), in batches, and run by one instance at a time through a lease row in the database.
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
    const townshipStages = TOWNSHIP_STAGES.map((x) => `'${x}'`).join(',');
    const label = `CASE b.stage ${Object.entries(STAGE_LABELS).map(([k, v]) => `WHEN '${k}' THEN '${v}'`).join(' ')} END`;
    for (;;) {
      const n = await this.writer.write(async (m) => {
        // Set-based, one batch per transaction. The transaction holds the write lock from its
        // BEGIN IMMEDIATE, so nothing changes these clocks between the SELECT and the UPDATEs, in
        // this process or another: each clock moves once and each event is reported once.
        const db = rawDb(m);
        const nowDate = this.clock.now();
        const now = toDbDateTime(nowDate);
        stmt(db, `CREATE TEMP TABLE IF NOT EXISTS scan_batch (id INTEGER PRIMARY KEY, caseId INTEGER, stage TEXT, dueDate TEXT, state TEXT, townshipId INTEGER, caseNo TEXT, status TEXT, township INTEGER, handlerId INTEGER)`).run();
        stmt(db, `CREATE INDEX IF NOT EXISTS temp.scan_batch_case ON scan_batch (caseId)`).run();
        stmt(db, `DELETE FROM scan_batch`).run();
        // Two index ranges on (status, dueState, dueDate), forced: an OR, or a plan that scans
        // because most clocks are 'ok', would read every open clock again for each batch.
        const picked = stmt(
          db,
          `INSERT INTO scan_batch (id, caseId, stage, dueDate, state, townshipId, caseNo, status, township, handlerId)
           SELECT d.id, d.caseId, d.stage, d.dueDate, CASE WHEN d.dueDate < ? THEN 'overdue' ELSE 'dueSoon' END, c.townshipId, c.caseNo, c.status,
                  d.stage IN (${townshipStages}), (SELECT r.handlerId FROM referrals r WHERE r.id = d.referralId)
           FROM (SELECT id FROM case_deadlines INDEXED BY IDX_case_deadlines_open_due WHERE status = 'open' AND dueState = 'dueSoon' AND dueDate < ?
                 UNION ALL
                 SELECT id FROM case_deadlines INDEXED BY IDX_case_deadlines_open_due WHERE status = 'open' AND dueState = 'ok' AND dueDate <= ?
                 LIMIT ${BATCH}) p
           JOIN case_deadlines d ON d.id = p.id JOIN cases c ON c.id = d.caseId`,
        ).run(today, today, today).changes;
        if (!picked) return 0;
        stmt(db, `UPDATE case_deadlines SET dueState = (SELECT state FROM scan_batch b WHERE b.id = case_deadlines.id) WHERE id IN (SELECT id FROM scan_batch)`).run();
        // the case's flag follows its township deadline (cases.dueDate is the earliest open one)
        stmt(
          db,
          `UPDATE cases SET dueState = (SELECT b.state FROM scan_batch b WHERE b.caseId = cases.id AND b.township = 1 AND b.dueDate = cases.dueDate ORDER BY b.state = 'overdue' DESC LIMIT 1)
           WHERE id IN (SELECT caseId FROM scan_batch WHERE township = 1) AND EXISTS (SELECT 1 FROM scan_batch b WHERE b.caseId = cases.id AND b.township = 1 AND b.dueDate = cases.dueDate)`,
        ).run();
        // township clocks: the township's staff and the supervisors; a referred lead's clocks: its
        // liaison and the supervisors; the county's clocks: supervisors
        result.notifications += stmt(
          db,
          `INSERT OR IGNORE INTO notifications (userId, caseId, type, eventKey, message, createdAt, readAt)
           SELECT u.id, b.caseId, b.state, b.state || ':' || b.id || ':' || u.id,
                  CASE b.state WHEN 'overdue' THEN '案件 ' || b.caseNo || ' ' || ${label} || '已超期（期限 ' || b.dueDate || '）'
                               ELSE '案件 ' || b.caseNo || ' ' || ${label} || '今日到期' END,
                  ?, NULL
           FROM scan_batch b JOIN users u ON u.disabled = FALSE
             AND (u.role = 'supervisor' OR (b.township = 1 AND u.role = 'township' AND u.townshipId = b.townshipId) OR (u.id = b.handlerId AND u.role = 'liaison'))
             -- nobody hears of a case they are recused from
             AND ${notRecusedSql('b.caseId', 'u.id')}`,
        ).run(now).changes;
        // One history row per stage gone overdue, chained in TypeScript, inserted per batch.
        const overdue = stmt(db, `SELECT id, caseId, stage, dueDate, status FROM scan_batch WHERE state = 'overdue' ORDER BY id`).raw().all() as [number, number, Stage, string, CaseStatus][];
        await this.history.appendMany(
          m,
          overdue.map(([deadlineId, caseId, stage, dueDate, status]) => ({
            caseId, at: nowDate, actorId: null, actorName: '系统', actorRole: null, type: 'deadline' as const, action: 'overdue' as const,
            fromStatus: status, toStatus: status, note: `${STAGE_LABELS[stage]}期限 ${dueDate} 已过，尚未完成`, data: { stage, dueDate, deadlineId },
          })),
        );
        const counts = stmt(db, `SELECT SUM(state = 'overdue') AS overdue, SUM(state = 'dueSoon') AS dueSoon FROM scan_batch`).get() as { overdue: number; dueSoon: number };
        result.overdue += counts.overdue ?? 0;
        result.dueSoon += counts.dueSoon ?? 0;
        return picked;
      });
      result.batches++;
      if (n < BATCH) break;
    }
    result.ms = Date.now() - started;
    return result;
  }
}
