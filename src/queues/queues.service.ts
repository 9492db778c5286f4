import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CASE_STATUS_LABELS, KIND_LABELS, PROGRAM_LABELS } from '../cases/case.enums';
import { formatDateTime, fromDbDateTime } from '../common/time';
import type { ProblemType } from '../cases/case.enums';
import { excerptFor } from '../documents/documents';
import { overdueText } from '../deadlines/clock-view';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { NotificationsService } from '../notifications/notifications.service';
import { REFERRAL_STAGES, Stage, STAGE_LABELS, STAGES, TOWNSHIP_STAGES, WINDOW_STAGES } from '../deadlines/stages';
import { openClocksByStage, overdueByTownship, overdueClocks, queueCases, QueueCaseRow, queueCount, QueueCountName, QueueName } from './queues.repository';

/** A badge beside the navigation counts up to this, then says 999+. */
export const NAV_COUNT_CAP = 999;

/** What a badge shows for a count up to NAV_COUNT_CAP + 1 (0 stays 0: no badge). */
export function badgeText(n: number): number | string {
  return n > NAV_COUNT_CAP ? `${NAV_COUNT_CAP}+` : n;
}

/** Stages shown on the overdue board beside the township's: every case clock that is not the township's, a lead's or a window. */
const OTHER_STAGES: readonly Stage[] = STAGES.filter((s) => !TOWNSHIP_STAGES.includes(s) && !REFERRAL_STAGES.includes(s) && !WINDOW_STAGES.includes(s));

export type QueueRow = Omit<QueueCaseRow, 'reporterType' | 'reporterName' | 'subjectName' | 'subjectUnit' | 'subjectPost' | 'problemTypes' | 'reporterDisclosedToTownshipId' | 'countyCode'> & {
  /** How long past `dueDate` today, in `dueUnit`, from the deadlines service (0 when not past). */
  overdueDays: number | null;
};

export function queueRowView(r: QueueRow) {
  return {
    ...r,
    kindLabel: KIND_LABELS[r.kind],
    programLabel: PROGRAM_LABELS[r.program],
    statusLabel: CASE_STATUS_LABELS[r.status],
    receivedAtText: formatDateTime(fromDbDateTime(r.receivedAt)),
    overdue: r.dueState === 'overdue',
    dueSoon: r.dueState === 'dueSoon',
    urged: !!r.urgedAt,
    overdueText: overdueText(r.overdueDays, r.dueUnit),
  };
}

/**
 * The work lists: the county's triage and review queues, the township inbox by deadline, the
 * supervisor's overdue board, and the counts beside the navigation. Each is one indexed query.
 */
@Injectable()
export class QueuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: DeadlinesService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Cases of a work list, within what `user` may see (the one scope rule, recusal included). */
  private async rows(user: AuthUser, name: QueueName): Promise<QueueRow[]> {
    const raw = await queueCases(this.dataSource.manager, user, name);
    const late = await this.deadlines.overdueBy(raw.map((r) => ({ dueDate: r.dueDate, unit: r.dueUnit, countyCode: r.countyCode })));
    // the excerpt as the user may read it (a withheld complainant's name and numbers masked)
    return raw.map(({ reporterType, reporterName, subjectName, subjectUnit, subjectPost, problemTypes, reporterDisclosedToTownshipId, countyCode: _county, ...r }, i) => ({
      ...r,
      overdueDays: late[i],
      excerpt: excerptFor(user, { kind: r.kind, reporterType, reporterName, subjectName, subjectUnit, subjectPost, problemTypes: (problemTypes ? problemTypes.split(',') : []) as ProblemType[], reporterDisclosedToTownshipId }, r.excerpt),
    }));
  }

  /** How many cases of a count the user may see, up to NAV_COUNT_CAP + 1 (the badge then says 999+). */
  private count(user: AuthUser, name: QueueCountName): Promise<number> {
    return queueCount(this.dataSource.manager, user, name, NAV_COUNT_CAP);
  }

  /** Registered (to accept) and accepted (to assign), oldest first. */
  triage(user: AuthUser) {
    return Promise.all([this.rows(user, 'registered'), this.rows(user, 'accepted')]);
  }

  /** For the supervisor: township feedback to review, objections, extension requests. */
  review(user: AuthUser) {
    return Promise.all([this.rows(user, 'inReview'), this.rows(user, 'objecting'), this.rows(user, 'extensionRequests'), this.rows(user, 'approved')]);
  }

  /** The township's cases with a running clock, nearest deadline first (the scope keeps it to their township). */
  inbox(user: AuthUser) {
    return this.rows(user, 'inbox');
  }

  /** Overdue and due-today cases per township, and the overdue list. */
  async overdueBoard(user: AuthUser) {
    const [byTownship, overdue] = await Promise.all([overdueByTownship(this.dataSource.manager, user), this.rows(user, 'overdue')]);
    return { byTownship, overdue, ...(await this.otherClocks(user)) };
  }

  /**
   * The clocks beside the township's (county acceptance and assignment, 书面告知, 复查/复核, the
   * death re-check) as the scan marked them: counts per stage and the overdue ones, one row per
   * clock. A lead's clocks stay on the referral register.
   */
  private async otherClocks(user: AuthUser) {
    const m = this.dataSource.manager;
    const [byStage, rows] = await Promise.all([openClocksByStage(m, user, OTHER_STAGES), overdueClocks(m, user, OTHER_STAGES)]);
    return {
      byStage: OTHER_STAGES.map((stage) => {
        const r = byStage.find((x) => x.stage === stage);
        return { stage, label: STAGE_LABELS[stage], overdue: Number(r?.overdue ?? 0), dueSoon: Number(r?.dueSoon ?? 0) };
      }).filter((x) => x.overdue || x.dueSoon),
      otherOverdue: rows.map((r) => ({ ...r, stageLabel: STAGE_LABELS[r.stage], statusLabel: CASE_STATUS_LABELS[r.status], kindLabel: KIND_LABELS[r.kind] })),
    };
  }

  /** The numbers beside the navigation for this user: the same scope as the lists they count. */
  async navCounts(user: AuthUser): Promise<Record<string, number>> {
    const unread = this.notifications.unreadCount(user, NAV_COUNT_CAP);
    switch (user.role) {
      case 'operator':
        return {
          triage: await this.count(user, 'triage'),
          callback: await this.count(user, 'callback'),
          unread: await unread,
        };
      case 'supervisor':
        return {
          // two indexed counts, not one OR (which reads every case): feedback and objections to
          // decide, and extension requests on cases not already counted
          review: Math.min(NAV_COUNT_CAP + 1, (await this.count(user, 'toDecide')) + (await this.count(user, 'otherExtensionRequests'))),
          overdue: await this.count(user, 'overdue'),
          triage: await this.count(user, 'triage'),
          unread: await unread,
        };
      case 'township':
        return {
          inbox: await this.count(user, 'inbox'),
          overdue: await this.count(user, 'overdue'),
          unread: await unread,
        };
      default:
        return { unread: await unread };
    }
  }

  today(): string {
    return this.deadlines.today();
  }
}
