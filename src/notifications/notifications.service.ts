import { caseScopeSql } from '../cases/case-access';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { toDbDateTime } from '../common/time';
import { DbWriter } from '../database/db-writer.service';
import { sqlOf } from '../database/sql';
import { Notification } from './entities/notification.entity';

/**
 * In-app notices. Written inside the writer's transaction of the event they report, with a unique
 * event key per user, so repeating the event (a second scan, a second instance) adds nothing.
 * Messages name the case number only, never the reporter.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
  ) {}

  /** Active township staff of a township and all active supervisors, for deadline events. */
  async recipientIds(m: EntityManager, townshipId: number | null, withSupervisors = true): Promise<number[]> {
    const rows = await sqlOf(m).all<{ id: number }>(
      `SELECT id FROM users WHERE disabled = FALSE AND ((role = 'township' AND townshipId = ?) ${withSupervisors ? "OR role = 'supervisor'" : ''})`,
      [townshipId ?? -1],
    );
    return rows.map((r) => r.id);
  }

  /** Writes the notice for each user, except those recused from the case (they never hear of it). */
  async notify(m: EntityManager, userIds: number[], caseId: number | null, type: Notification['type'], eventKey: string, message: string): Promise<number> {
    if (!userIds.length) return 0;
    const sql = sqlOf(m);
    const recused =
      caseId === null ? new Set<number>() : new Set((await sql.all<{ userId: number }>('SELECT userId FROM case_recusals WHERE caseId = ?', [caseId])).map((r) => r.userId));
    const now = toDbDateTime(this.clock.now());
    let added = 0;
    for (const u of userIds) {
      if (recused.has(u)) continue;
      added += await sql.run(
        `INSERT INTO notifications (userId, caseId, type, eventKey, message, createdAt, readAt) VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (eventKey) DO NOTHING`,
        [u, caseId, type, `${eventKey}:${u}`, message, now],
      );
    }
    return added;
  }

  /**
   * A notice about a case is shown only while the user may see the case (the one scope rule):
   * a notice written before a recusal was recorded, or before the case went to another township,
   * does not keep it in view.
   */
  private visible(user: AuthUser): { sql: string; params: unknown[] } {
    const scope = caseScopeSql(user);
    // nothing to check for a user who may see every case: the count stays an index count
    if (scope.everything) return { sql: '1 = 1', params: [] };
    return { sql: `(n.caseId IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = n.caseId AND ${scope.sql}))`, params: scope.params };
  }

  async unreadCount(user: AuthUser): Promise<number> {
    const v = this.visible(user);
    const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM notifications n WHERE n.userId = ? AND n.readAt IS NULL AND ${v.sql}`, [user.id, ...v.params]);
    return Number(row.n);
  }

  list(user: AuthUser, limit = 100): Promise<{ id: number; type: string; message: string; createdAt: string; readAt: string | null; caseNo: string | null }[]> {
    const v = this.visible(user);
    return this.dataSource.query(
      `SELECT n.id AS id, n.type AS type, n.message AS message, n.createdAt AS createdAt, n.readAt AS readAt, (SELECT c.caseNo FROM cases c WHERE c.id = n.caseId) AS caseNo
       FROM notifications n WHERE n.userId = ? AND ${v.sql} ORDER BY n.id DESC LIMIT ?`,
      [user.id, ...v.params, limit],
    );
  }

  markAllRead(user: AuthUser): Promise<void> {
    const now = this.clock.now();
    return this.writer.write(async (m) => {
      await m.getRepository(Notification).update({ userId: user.id, readAt: IsNull() }, { readAt: now });
    });
  }
}
