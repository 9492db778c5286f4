import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CASE_STATUS_LABELS, KIND_LABELS, PROGRAM_LABELS } from '../cases/case.enums';
import { formatDateTime, fromDbDateTime } from '../common/time';
import { caseScopeSql } from '../cases/case-access';
import type { ProblemType } from '../cases/case.enums';
import { excerptFor } from '../documents/documents';
import type { Unit } from '../calendar/work-calendar';
import { overdueText } from '../deadlines/clock-view';
import { DeadlinesService, dueClockUnitSql } from '../deadlines/deadlines.service';
import { NotificationsService } from '../notifications/notifications.service';
import { REFERRAL_STAGES, Stage, STAGE_LABELS, STAGES, TOWNSHIP_STAGES, WINDOW_STAGES } from '../deadlines/stages';

/** Stages shown on the overdue board beside the township's: every case clock that is not the township's, a lead's or a window. */
const OTHER_STAGES: readonly Stage[] = STAGES.filter((s) => !TOWNSHIP_STAGES.includes(s) && !REFERRAL_STAGES.includes(s) && !WINDOW_STAGES.includes(s));

export interface QueueRow {
  caseNo: string;
  kind: keyof typeof KIND_LABELS;
  program: keyof typeof PROGRAM_LABELS;
  status: keyof typeof CASE_STATUS_LABELS;
  receivedAt: string;
  townshipName: string | null;
  dueDate: string | null;
  dueState: string | null;
  urgedAt: string | null;
  pendingExtensionDays: number | null;
  calendarMissingYear: number | null;
  excerpt: string;
  /** The unit of the clock that sets `dueDate` (working or calendar days). */
  dueUnit: Unit | null;
  /** How long past `dueDate` today, in `dueUnit`, from the deadlines service (0 when not past). */
  overdueDays: number | null;
}

const COLUMNS = `c.caseNo, c.kind, c.program, c.status, c.receivedAt, t.name AS townshipName, c.dueDate, c.dueState, c.urgedAt,
  c.pendingExtensionDays, c.calendarMissingYear, substr(c.content, 1, 50) AS excerpt,
  ${dueClockUnitSql('c')} AS dueUnit,
  c.reporterType, c.reporterName, c.subjectName, c.subjectUnit, c.subjectPost, c.problemTypes, c.reporterDisclosedToTownshipId`;
const LIMIT = 300;

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

  /** Cases of a queue, within what `user` may see (the one scope rule, recusal included). */
  private async rows(user: AuthUser, where: string, params: unknown[], order: string): Promise<QueueRow[]> {
    const scope = caseScopeSql(user);
    const raw: (Omit<QueueRow, 'overdueDays'> & { reporterType: 'realName' | 'anonymous'; reporterName: string | null; subjectName: string | null; subjectUnit: string | null; subjectPost: string | null; problemTypes: string; reporterDisclosedToTownshipId: number | null })[] =
      await this.dataSource.query(
        `SELECT ${COLUMNS} FROM cases c LEFT JOIN townships t ON t.id = c.townshipId WHERE (${where}) AND ${scope.sql} ORDER BY ${order} LIMIT ${LIMIT}`,
        [...params, ...scope.params],
      );
    const late = await this.deadlines.overdueBy(raw.map((r) => ({ dueDate: r.dueDate, unit: r.dueUnit })));
    // the excerpt as the user may read it (a withheld complainant's name and numbers masked)
    return raw.map(({ reporterType, reporterName, subjectName, subjectUnit, subjectPost, problemTypes, reporterDisclosedToTownshipId, ...r }, i) => ({
      ...r,
      overdueDays: late[i],
      excerpt: excerptFor(user, { kind: r.kind, reporterType, reporterName, subjectName, subjectUnit, subjectPost, problemTypes: (problemTypes ? problemTypes.split(',') : []) as ProblemType[], reporterDisclosedToTownshipId }, r.excerpt),
    }));
  }

  /** How many cases of `where` the user may see. */
  private async count(user: AuthUser, where: string, params: unknown[] = []): Promise<number> {
    const scope = caseScopeSql(user);
    const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM cases c WHERE (${where}) AND ${scope.sql}`, [...params, ...scope.params]);
    return Number(row.n);
  }

  /** Registered (to accept) and accepted (to assign), oldest first. */
  triage(user: AuthUser) {
    return Promise.all([
      this.rows(user, `c.status = 'registered'`, [], 'c.receivedAt ASC, c.id ASC'),
      this.rows(user, `c.status = 'accepted'`, [], 'c.receivedAt ASC, c.id ASC'),
    ]);
  }

  /** For the supervisor: township feedback to review, objections, extension requests. */
  review(user: AuthUser) {
    return Promise.all([
      this.rows(user, `c.status = 'inReview'`, [], 'c.updatedAt ASC'),
      this.rows(user, `c.status = 'objecting'`, [], 'c.updatedAt ASC'),
      this.rows(user, `c.pendingExtensionDays IS NOT NULL`, [], 'c.dueDate ASC'),
      this.rows(user, `c.status = 'approved'`, [], 'c.updatedAt ASC'),
    ]);
  }

  /** The township's cases with a running clock, nearest deadline first (the scope keeps it to their township). */
  inbox(user: AuthUser) {
    return this.rows(user, `c.dueDate IS NOT NULL OR c.status IN ('assigned', 'verifying')`, [], `c.dueDate IS NULL, c.dueDate ASC, c.id ASC`);
  }

  /** Overdue and due-today cases per township, and the overdue list. */
  async overdueBoard(user: AuthUser) {
    const scope = caseScopeSql(user);
    const [byTownship, overdue] = await Promise.all([
      this.dataSource.query(
        `SELECT t.id, t.name,
           SUM(CASE WHEN c.dueState = 'overdue' THEN 1 ELSE 0 END) AS overdue,
           SUM(CASE WHEN c.dueState = 'dueSoon' THEN 1 ELSE 0 END) AS dueSoon
         FROM cases c JOIN townships t ON t.id = c.townshipId
         WHERE c.dueState IN ('overdue', 'dueSoon') AND ${scope.sql} GROUP BY t.id ORDER BY overdue DESC, t.sortOrder`,
        scope.params,
      ) as Promise<{ id: number; name: string; overdue: number; dueSoon: number }[]>,
      this.rows(user, `c.dueState = 'overdue'`, [], 'c.dueDate ASC, c.id ASC'),
    ]);
    return { byTownship, overdue, ...(await this.otherClocks(user)) };
  }

  /**
   * The clocks beside the township's (county acceptance and assignment, 书面告知, 复查/复核, the
   * death re-check) as the scan marked them: counts per stage and the overdue ones, one row per
   * clock. A lead's clocks stay on the referral register.
   */
  private async otherClocks(user: AuthUser) {
    const scope = caseScopeSql(user);
    const stages = OTHER_STAGES.map(() => '?').join(', ');
    const [byStage, rows] = await Promise.all([
      this.dataSource.query(
        `SELECT d.stage, SUM(CASE WHEN d.dueState = 'overdue' THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN d.dueState = 'dueSoon' THEN 1 ELSE 0 END) AS dueSoon
         FROM case_deadlines d JOIN cases c ON c.id = d.caseId
         WHERE d.status = 'open' AND d.dueState IN ('overdue', 'dueSoon') AND d.referralId IS NULL AND d.stage IN (${stages}) AND ${scope.sql}
         GROUP BY d.stage`,
        [...OTHER_STAGES, ...scope.params],
      ) as Promise<{ stage: Stage; overdue: number; dueSoon: number }[]>,
      this.dataSource.query(
        `SELECT c.caseNo, c.status, c.kind, t.name AS townshipName, d.stage, d.dueDate
         FROM case_deadlines d JOIN cases c ON c.id = d.caseId LEFT JOIN townships t ON t.id = c.townshipId
         WHERE d.status = 'open' AND d.dueState = 'overdue' AND d.referralId IS NULL AND d.stage IN (${stages}) AND ${scope.sql}
         ORDER BY d.dueDate ASC, d.id ASC LIMIT ${LIMIT}`,
        [...OTHER_STAGES, ...scope.params],
      ) as Promise<{ caseNo: string; status: keyof typeof CASE_STATUS_LABELS; kind: keyof typeof KIND_LABELS; townshipName: string | null; stage: Stage; dueDate: string }[]>,
    ]);
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
    const unread = this.notifications.unreadCount(user);
    switch (user.role) {
      case 'operator':
        return {
          triage: await this.count(user, `c.status IN ('registered', 'accepted')`),
          callback: await this.count(user, `c.status = 'approved'`),
          unread: await unread,
        };
      case 'supervisor':
        return {
          // two indexed counts, not one OR (which reads every case): feedback and objections to
          // decide, and extension requests on cases not already counted
          review:
            (await this.count(user, `c.status IN ('inReview', 'objecting')`)) +
            (await this.count(user, `c.pendingExtensionDays IS NOT NULL AND c.status NOT IN ('inReview', 'objecting')`)),
          overdue: await this.count(user, `c.dueState = 'overdue'`),
          triage: await this.count(user, `c.status IN ('registered', 'accepted')`),
          unread: await unread,
        };
      case 'township':
        return {
          inbox: await this.count(user, `c.dueDate IS NOT NULL OR c.status IN ('assigned', 'verifying')`),
          overdue: await this.count(user, `c.dueState = 'overdue'`),
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
