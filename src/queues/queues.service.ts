import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CASE_STATUS_LABELS, KIND_LABELS, PROGRAM_LABELS } from '../cases/case.enums';
import { formatDateTime } from '../common/time';
import { DeadlinesService } from '../deadlines/deadlines.service';

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
}

const COLUMNS = `c.caseNo, c.kind, c.program, c.status, c.receivedAt, t.name AS townshipName, c.dueDate, c.dueState, c.urgedAt,
  c.pendingExtensionDays, c.calendarMissingYear, substr(c.content, 1, 50) AS excerpt`;
const LIMIT = 300;

export function queueRowView(r: QueueRow) {
  return {
    ...r,
    kindLabel: KIND_LABELS[r.kind],
    programLabel: PROGRAM_LABELS[r.program],
    statusLabel: CASE_STATUS_LABELS[r.status],
    receivedAtText: formatDateTime(r.receivedAt.replace(' ', 'T') + 'Z'),
    overdue: r.dueState === 'overdue',
    dueSoon: r.dueState === 'dueSoon',
    urged: !!r.urgedAt,
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
  ) {}

  private rows(where: string, params: unknown[], order: string): Promise<QueueRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM cases c LEFT JOIN townships t ON t.id = c.townshipId WHERE ${where} ORDER BY ${order} LIMIT ${LIMIT}`, params);
  }

  /** Registered (to accept) and accepted (to assign), oldest first. */
  triage() {
    return Promise.all([
      this.rows(`c.status = 'registered'`, [], 'c.receivedAt ASC, c.id ASC'),
      this.rows(`c.status = 'accepted'`, [], 'c.receivedAt ASC, c.id ASC'),
    ]);
  }

  /** For the supervisor: township feedback to review, objections, extension requests. */
  review() {
    return Promise.all([
      this.rows(`c.status = 'inReview'`, [], 'c.updatedAt ASC'),
      this.rows(`c.status = 'objecting'`, [], 'c.updatedAt ASC'),
      this.rows(`c.pendingExtensionDays IS NOT NULL`, [], 'c.dueDate ASC'),
      this.rows(`c.status = 'approved'`, [], 'c.updatedAt ASC'),
    ]);
  }

  /** The township's cases with a running clock, nearest deadline first. */
  inbox(user: AuthUser) {
    return this.rows(`c.townshipId = ? AND c.assignedAt IS NOT NULL AND (c.dueDate IS NOT NULL OR c.status IN ('assigned', 'verifying'))`, [user.townshipId ?? -1], `c.dueDate IS NULL, c.dueDate ASC, c.id ASC`);
  }

  /** Overdue and due-today cases per township, and the overdue list. */
  async overdueBoard() {
    const [byTownship, overdue] = await Promise.all([
      this.dataSource.query(
        `SELECT t.id, t.name,
           SUM(CASE WHEN c.dueState = 'overdue' THEN 1 ELSE 0 END) AS overdue,
           SUM(CASE WHEN c.dueState = 'dueSoon' THEN 1 ELSE 0 END) AS dueSoon
         FROM cases c JOIN townships t ON t.id = c.townshipId
         WHERE c.dueState IN ('overdue', 'dueSoon') GROUP BY t.id ORDER BY overdue DESC, t.sortOrder`,
      ) as Promise<{ id: number; name: string; overdue: number; dueSoon: number }[]>,
      this.rows(`c.dueState = 'overdue'`, [], 'c.dueDate ASC, c.id ASC'),
    ]);
    return { byTownship, overdue };
  }

  /** The numbers beside the navigation for this user. */
  async navCounts(user: AuthUser): Promise<Record<string, number>> {
    const one = async (sql: string, params: unknown[] = []) => Number((await this.dataSource.query(sql, params))[0].n);
    const unread = one(`SELECT COUNT(*) AS n FROM notifications WHERE userId = ? AND readAt IS NULL`, [user.id]);
    switch (user.role) {
      case 'operator':
        return {
          triage: await one(`SELECT COUNT(*) AS n FROM cases WHERE status IN ('registered', 'accepted')`),
          callback: await one(`SELECT COUNT(*) AS n FROM cases WHERE status = 'approved'`),
          unread: await unread,
        };
      case 'supervisor':
        return {
          review: await one(`SELECT (SELECT COUNT(*) FROM cases WHERE status IN ('inReview', 'objecting')) + (SELECT COUNT(*) FROM cases WHERE pendingExtensionDays IS NOT NULL) AS n`),
          overdue: await one(`SELECT COUNT(*) AS n FROM cases WHERE dueState = 'overdue'`),
          triage: await one(`SELECT COUNT(*) AS n FROM cases WHERE status IN ('registered', 'accepted')`),
          unread: await unread,
        };
      case 'township':
        return {
          inbox: await one(`SELECT COUNT(*) AS n FROM cases WHERE townshipId = ? AND dueDate IS NOT NULL`, [user.townshipId ?? -1]),
          overdue: await one(`SELECT COUNT(*) AS n FROM cases WHERE dueState = 'overdue' AND townshipId = ?`, [user.townshipId ?? -1]),
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
