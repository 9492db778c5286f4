import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { toDbDateTime } from '../common/time';
import { DbWriter } from '../database/db-writer.service';
import { Notification } from './entities/notification.entity';
import { addNotice, NoticeRow, noticesOf, recusedUserIds, townshipStaffIds, unreadNoticeCount } from './notifications.repository';

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

  /** Active township staff of a township and the active supervisors of the county, for events of a case of that county. */
  recipientIds(m: EntityManager, countyCode: string, townshipId: number | null, withSupervisors = true): Promise<number[]> {
    return townshipStaffIds(m, countyCode, townshipId, withSupervisors);
  }

  /** Writes the notice for each user, except those recused from the case (they never hear of it). */
  async notify(m: EntityManager, userIds: number[], caseId: number | null, type: Notification['type'], eventKey: string, message: string): Promise<number> {
    if (!userIds.length) return 0;
    const recused = caseId === null ? new Set<number>() : await recusedUserIds(m, caseId);
    const now = toDbDateTime(this.clock.now());
    let added = 0;
    for (const u of userIds) {
      if (recused.has(u)) continue;
      added += await addNotice(m, { userId: u, caseId, type, eventKey: `${eventKey}:${u}`, message, createdAt: now });
    }
    return added;
  }

  /** Unread notices the user may still see (one about a case only while the user may see the case), counted up to `upTo` (more gives upTo + 1). */
  unreadCount(user: AuthUser, upTo: number): Promise<number> {
    return unreadNoticeCount(this.dataSource.manager, user, upTo);
  }

  list(user: AuthUser, limit = 100): Promise<NoticeRow[]> {
    return noticesOf(this.dataSource.manager, user, limit);
  }

  markAllRead(user: AuthUser): Promise<void> {
    const now = this.clock.now();
    return this.writer.write(async (m) => {
      await m.getRepository(Notification).update({ userId: user.id, readAt: IsNull() }, { readAt: now });
    });
  }
}
