import { Inject, Injectable } from '@nestjs/common';
import { publicText } from '../documents/documents';
import { DataSource } from 'typeorm';
import type { FeedbackData } from '../cases/history/history-entry';
import { CASE_STATUS_LABELS, KIND_LABELS, VERIFICATION_OUTCOME_LABELS } from '../cases/case.enums';
import { Clock } from '../common/clock';
import { formatDate, fromDbDateTime } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { FieldError, InputInvalidException } from '../common/validation';
import { normaliseCaseNo } from '../common/case-no';
import { DbWriter } from '../database/db-writer.service';
import { throttleKey } from '../auth/login-throttle.service';
import { throttles } from '../auth/auth.repository';
import { lookupCase, notAcceptedNote } from './lookup.repository';
import { queryCodeMatches } from './query-code';

const WINDOW_MS = 15 * 60_000;

/** The 6-digit query code, or null. */
export function normaliseQueryCode(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 20) return null;
  const v = raw.normalize('NFKC').replace(/\s+/g, '');
  return /^\d{6}$/.test(v) ? v : null;
}

export function lookupProblems(caseNo: unknown, code: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof caseNo !== 'string' || !caseNo.trim()) errors.push({ field: 'caseNo', message: '请填写案件编号' });
  else if (!normaliseCaseNo(caseNo)) errors.push({ field: 'caseNo', message: '案件编号格式应如 JZ2026-141099-000123' });
  if (typeof code !== 'string' || !code.trim()) errors.push({ field: 'code', message: '请填写查询码' });
  else if (!normaliseQueryCode(code)) errors.push({ field: 'code', message: '查询码为6位数字' });
  return errors;
}
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
    const since = new Date(now.getTime() - WINDOW_MS);
    return this.writer.write(async (m) => {
      let over = false;
      for (const [key, max] of [
        [throttleKey('lookup-ip', ip), LOOKUP_MAX_PER_IP],
        [throttleKey('lookup-case', caseNo), LOOKUP_MAX_PER_CASE],
      ] as const) {
        if ((await throttles.countLookup(m, key, fail, now, since)) >= max) over = true;
      }
      return over;
    });
  }

  async lookup(caseNoRaw: string, codeRaw: string, ip: string): Promise<LookupAnswer> {
    // Checked before anything is counted or read: a malformed number or code cannot be a
    // case, and must not make a throttle row (the controller refuses it with a field message).
    const caseNo = normaliseCaseNo(caseNoRaw);
    const code = normaliseQueryCode(codeRaw);
    if (!caseNo || !code) throw new InputInvalidException(lookupProblems(caseNoRaw, codeRaw));
    // Refused while the address or the case has had too many wrong answers, right code or not.
    if (await this.overLimit(ip, caseNo, false)) return { ok: false, throttled: true };
    const row = await lookupCase(this.dataSource.manager, caseNo);
    // An unknown case and a wrong code are the same answer, and both count.
    if (!row || !queryCodeMatches(this.config.sessionSecret, row.caseNo, code, row.queryCodeHash)) {
      await this.overLimit(ip, caseNo, true);
      return { ok: false, throttled: false };
    }
    const done = row.status === 'approved' || row.status === 'closed';
    // Only the reply the county approved (or its reason for not accepting), never the township's
    // notes; numbers masked by pattern and the case's people not named (documents/documents.ts).
    let reply: string | null = null;
    if (done) {
      let text = row.replyText;
      if (!text && row.closeReason === 'notAccepted') {
        const refused = await notAcceptedNote(this.dataSource.manager, row.id);
        text = refused ? `不予受理。理由：${refused}` : null;
      }
      reply = text ? publicText(text, row) : null;
    }
    return {
      ok: true,
      result: {
        caseNo: row.caseNo,
        kindLabel: KIND_LABELS[row.kind],
        receivedDate: formatDate(fromDbDateTime(row.receivedAt)),
        statusLabel: CASE_STATUS_LABELS[row.status],
        deadline: done ? null : row.dueDate,
        done,
        outcomeLabel: done && row.verificationOutcome ? VERIFICATION_OUTCOME_LABELS[row.verificationOutcome] : null,
        reply,
      },
    };
  }
}
