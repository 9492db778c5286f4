import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FeedbackData } from '../cases/history/history-entry';
import { CASE_STATUS_LABELS, KIND_LABELS, VERIFICATION_OUTCOME_LABELS } from '../cases/case.enums';
import type { CaseStatus, Kind, VerificationOutcome } from '../cases/case.enums';
import { Clock } from '../common/clock';
import { formatDate, toDbDateTime } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { rawDb, stmt } from '../database/raw';
import { queryCodeMatches } from './query-code';

const WINDOW_MS = 15 * 60_000;
/** Wrong answers allowed per address and per case number in 15 minutes. */
export const LOOKUP_MAX_PER_IP = 10;
export const LOOKUP_MAX_PER_CASE = 5;

/** What a reporter may see, without any personal data (件件有回应). */
export interface LookupResult {
  caseNo: string;
  kindLabel: string;
  receivedDate: string;
  statusLabel: string;
  deadline: string | null;
  done: boolean;
  outcomeLabel: string | null;
  reply: string | null;
}

export type LookupAnswer = { ok: true; result: LookupResult } | { ok: false; throttled: boolean };

/** The public status lookup by case number and query code. */
@Injectable()
export class LookupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts this attempt against the address and the case; true while either is over its limit. */
  private async overLimit(ip: string, caseNo: string, fail: boolean): Promise<boolean> {
    const now = this.clock.now();
    const since = toDbDateTime(new Date(now.getTime() - WINDOW_MS));
    return this.writer.write(async (m) => {
      const db = rawDb(m);
      let over = false;
      for (const [key, max] of [
        [`lookup-ip:${ip}`, LOOKUP_MAX_PER_IP],
        [`lookup-case:${caseNo.toUpperCase()}`, LOOKUP_MAX_PER_CASE],
      ] as const) {
        const row = stmt(
          db,
          `INSERT INTO login_throttles (key, failures, windowStartedAt, blockedUntil) VALUES (?, ?, ?, NULL)
           ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN windowStartedAt < ? THEN excluded.failures ELSE failures + excluded.failures END,
             windowStartedAt = CASE WHEN windowStartedAt < ? THEN excluded.windowStartedAt ELSE windowStartedAt END
           RETURNING failures`,
        ).get(key, fail ? 1 : 0, toDbDateTime(now), since, since) as { failures: number };
        if (row.failures >= max) over = true;
      }
      return over;
    });
  }

  async lookup(caseNoRaw: string, code: string, ip: string): Promise<LookupAnswer> {
    const caseNo = (caseNoRaw || '').trim().toUpperCase();
    // Refused while the address or the case has had too many wrong answers, right code or not.
    if (await this.overLimit(ip, caseNo, false)) return { ok: false, throttled: true };
    const row = (await this.dataSource.query(
      `SELECT id, caseNo, kind, status, receivedAt, dueDate, verificationOutcome, queryCodeHash FROM cases WHERE caseNo = ?`,
      [caseNo],
    ))[0] as { id: number; caseNo: string; kind: Kind; status: CaseStatus; receivedAt: string; dueDate: string | null; verificationOutcome: VerificationOutcome | null; queryCodeHash: string | null } | undefined;
    // An unknown case and a wrong code are the same answer, and both count.
    if (!row || !queryCodeMatches(this.config.sessionSecret, row.caseNo, (code || '').trim(), row.queryCodeHash)) {
      await this.overLimit(ip, caseNo, true);
      return { ok: false, throttled: false };
    }
    const done = row.status === 'approved' || row.status === 'closed';
    let reply: string | null = null;
    if (done) {
      const fb = stmt(rawDb(this.dataSource.manager), `SELECT data FROM case_history WHERE caseId = ? AND action IN ('feedback', 'answer', 'not-accept') ORDER BY id DESC LIMIT 1`).get(row.id) as { data: string | null } | undefined;
      const note = stmt(rawDb(this.dataSource.manager), `SELECT note FROM case_history WHERE caseId = ? AND action IN ('answer', 'not-accept') ORDER BY id DESC LIMIT 1`).get(row.id) as { note: string | null } | undefined;
      const data = fb?.data ? (JSON.parse(fb.data) as Partial<FeedbackData>) : null;
      reply = data?.content ?? note?.note ?? null;
    }
    return {
      ok: true,
      result: {
        caseNo: row.caseNo,
        kindLabel: KIND_LABELS[row.kind],
        receivedDate: formatDate(row.receivedAt.replace(' ', 'T') + 'Z'),
        statusLabel: CASE_STATUS_LABELS[row.status],
        deadline: done ? null : row.dueDate,
        done,
        outcomeLabel: done && row.verificationOutcome ? VERIFICATION_OUTCOME_LABELS[row.verificationOutcome] : null,
        reply,
      },
    };
  }
}
