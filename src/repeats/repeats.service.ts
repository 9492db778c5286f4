import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import { CASE_STATUS_LABELS } from '../cases/case.enums';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { actorFields } from '../cases/history/history-entry';
import { Case } from '../cases/entities/case.entity';
import { Clock } from '../common/clock';
import { formatDateTime, fromDbDateTime, toDbDateTime } from '../common/time';
import { InputInvalidException } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { RepeatDismissal } from './entities/repeat-dismissal.entity';
import { bigrams, similarity, STOP_GRAMS } from './similarity';
import { excerptFor } from '../documents/documents';
import { casesSharing, casesWithAnyGram, dismissedRepeatIds, RepeatCandidateRow, RepeatWindow, villageNames } from './repeats.repository';

export const REPEAT_WINDOW_DAYS = 180;
export const CONTENT_THRESHOLD = 0.5;

export type RepeatReason = 'phone' | 'idNumber' | 'subject' | 'content';
export const REASON_LABELS: Record<RepeatReason, string> = {
  phone: '同一电话',
  idNumber: '同一身份证号码',
  subject: '同一被反映人和村',
  content: '内容相似',
};

export interface LikelyRepeat {
  caseNo: string;
  id: number;
  receivedAtText: string;
  statusLabel: string;
  reasons: string[];
  score: number | null;
  excerpt: string;
  /** 村（社区） and 被反映人, so the operator can tell the suggestions apart during the call. */
  villageName: string | null;
  subject: string | null;
  /** Still open: a caller chasing it can be logged as a 催办 on it instead of a new case. */
  open: boolean;
}

/** What repeat detection looks at: a saved case, or an intake still being typed (no id yet). */
export type RepeatProbe = Pick<Case, 'content' | 'reporterPhone' | 'reporterIdNumber' | 'subjectName' | 'villageId' | 'receivedAt'> & {
  id?: number;
  repeatOfId?: number | null;
};

/**
 * 重复件: likely repeats of a case among the cases of the last 180 days — the same phone or ID
 * number, the same subject in the same village, or similar content — for the operator to link or
 * dismiss. Linked repeats are counted separately (the ledger's 重复件 column).
 */
@Injectable()
export class RepeatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly query: CaseQueryService,
    private readonly clock: Clock,
    private readonly history: CaseHistoryWriter,
  ) {}

  /** Likely repeats of `c` among the cases `viewer` may see (the one scope rule, recusal included). */
  async likely(c: RepeatProbe, viewer: AuthUser): Promise<LikelyRepeat[]> {
    const selfId = c.id ?? 0;
    const m = this.dataSource.manager;
    const w: RepeatWindow = {
      selfId,
      since: toDbDateTime(new Date(c.receivedAt.getTime() - REPEAT_WINDOW_DAYS * 86400_000)),
      until: toDbDateTime(new Date(c.receivedAt.getTime() + REPEAT_WINDOW_DAYS * 86400_000)),
    };
    const found = new Map<number, { row: RepeatCandidateRow; reasons: Set<RepeatReason>; score: number | null }>();
    const add = (rows: RepeatCandidateRow[], reason: RepeatReason, score: number | null = null) => {
      for (const row of rows) {
        const e = found.get(row.id) ?? { row, reasons: new Set<RepeatReason>(), score: null };
        e.reasons.add(reason);
        if (score !== null) e.score = Math.max(e.score ?? 0, score);
        found.set(row.id, e);
      }
    };
    if (c.reporterPhone) add(await casesSharing(m, viewer, w, { reporterPhone: c.reporterPhone }), 'phone');
    if (c.reporterIdNumber) add(await casesSharing(m, viewer, w, { reporterIdNumber: c.reporterIdNumber }), 'idNumber');
    if (c.subjectName && c.villageId) add(await casesSharing(m, viewer, w, { subjectName: c.subjectName, villageId: c.villageId }), 'subject');

    // Content: candidates from the full-text index (any of the case's distinctive grams), then scored.
    const mine = bigrams(c.content);
    const distinctive = [...mine].filter((g) => !STOP_GRAMS.has(g)).slice(0, 12);
    if (distinctive.length >= 3) {
      const rows = await casesWithAnyGram(m, viewer, w, distinctive);
      for (const row of rows) {
        const score = similarity(mine, bigrams(row.content));
        if (score >= CONTENT_THRESHOLD) add([row], 'content', Math.round(score * 100) / 100);
      }
    }
    if (!found.size) return [];
    const dismissed = await dismissedRepeatIds(m, selfId);
    const chosen = [...found.values()]
      .filter((e) => !dismissed.has(e.row.id) && e.row.id !== c.repeatOfId)
      .sort((a, b) => b.reasons.size - a.reasons.size || (b.score ?? 0) - (a.score ?? 0) || b.row.id - a.row.id)
      .slice(0, 10);
    const villageIds = [...new Set(chosen.map((e) => e.row.villageId).filter((v): v is number => v !== null))];
    const villages = await villageNames(m, villageIds);
    return chosen.map((e) => {
      const r = e.row;
      // what the viewer may read of it, as in the case list (masked when the reporter is withheld from them)
      const facts = { ...r, problemTypes: (r.problemTypes ? r.problemTypes.split(',') : []) as Case['problemTypes'] };
      const excerpt = r.content.length > 50 ? r.content.slice(0, 50) + '…' : r.content;
      return {
        id: r.id,
        caseNo: r.caseNo,
        receivedAtText: formatDateTime(fromDbDateTime(r.receivedAt)),
        statusLabel: CASE_STATUS_LABELS[r.status],
        reasons: [...e.reasons].map((x) => REASON_LABELS[x]),
        score: e.score,
        excerpt: excerptFor(viewer, facts, excerpt),
        villageName: r.villageId !== null ? (villages.get(r.villageId) ?? null) : null,
        subject: r.subjectName ? (r.subjectPost ? `${r.subjectName}（${r.subjectPost}）` : r.subjectName) : (r.subjectPost ?? r.subjectUnit ?? null),
        open: r.status !== 'closed',
      };
    });
  }

  /** Links the case as a repeat of an earlier one (or, with `dismiss`, records "not a repeat"). */
  async decide(actor: AuthUser, caseNo: string, otherCaseNo: unknown, dismiss: boolean): Promise<void> {
    const c = await this.query.getByCaseNo(actor, caseNo);
    if (typeof otherCaseNo !== 'string' || !otherCaseNo.trim()) throw new InputInvalidException([{ field: 'otherCaseNo', message: '请填写另一件的案件编号' }]);
    let other: Case;
    try {
      other = await this.query.getByCaseNo(actor, otherCaseNo.trim());
    } catch (e) {
      if (e instanceof NotFoundException) throw new InputInvalidException([{ field: 'otherCaseNo', message: `案件 ${otherCaseNo} 不存在` }]);
      throw e;
    }
    if (other.id === c.id) throw new InputInvalidException([{ field: 'otherCaseNo', message: '不能与本件自身关联' }]);
    if (!dismiss && other.repeatOfId === c.id) throw new InputInvalidException([{ field: 'otherCaseNo', message: `${other.caseNo} 已是本件的重复件` }]);
    const now = this.clock.now();
    await this.writer.write(async (m) => {
      if (dismiss) {
        await m.getRepository(RepeatDismissal).upsert({ caseId: c.id, otherId: other.id, byId: actor.id, at: now }, ['caseId', 'otherId']);
      } else {
        await m.getRepository(Case).update({ id: c.id }, { repeatOfId: other.id, updatedAt: now });
      }
      await this.history.append(m, {
        caseId: c.id, at: now, ...actorFields(actor), type: 'note',
        action: dismiss ? 'dismiss-repeat' : 'link-repeat', fromStatus: c.status, toStatus: c.status,
        note: dismiss ? `经核对，与 ${other.caseNo} 不是重复件` : `标记为 ${other.caseNo} 的重复件`, data: { otherCaseNo: other.caseNo },
      });
    });
  }

  async unlink(actor: AuthUser, caseNo: string): Promise<void> {
    const c = await this.query.getByCaseNo(actor, caseNo);
    if (!c.repeatOfId) return;
    const now = this.clock.now();
    await this.writer.write(async (m) => {
      await m.getRepository(Case).update({ id: c.id }, { repeatOfId: null, updatedAt: now });
      await this.history.append(m, {
        caseId: c.id, at: now, ...actorFields(actor), type: 'note',
        action: 'unlink-repeat', fromStatus: c.status, toStatus: c.status, note: '取消重复件标记', data: null,
      });
    });
  }
}
