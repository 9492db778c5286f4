import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AuthService } from '../auth/auth.service';
import { Clock } from '../common/clock';
import { previousShanghaiMonth, shanghaiDate, shanghaiDayOfMonth, shanghaiYear } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { isPostgres } from '../database/engine';
import { refreshPlannerStatistics } from '../database/migrate';
import { CalendarYear } from '../calendar/entities/calendar-year.entity';
import { activeUserIds } from '../notifications/notifications.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { compactCaseTallies } from '../reports/case-tallies.repository';

/** Every minute: the case tallies folded (PostgreSQL). Hourly: expired sessions (also the anonymous ones the login page makes), tokens and stale throttle rows; the monthly 统计表 reminder; the query planner's statistics. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger('Housekeeping');

  constructor(
    private readonly auth: AuthService,
    private readonly writer: DbWriter,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * From the 1st to the 3rd of each month, one notice to each supervisor: last month's 统计表 is
   * due by the 4th (seed 004). Returns the notices written (0 when already reminded).
   */
  async monthlyReminder(): Promise<number> {
    const now = this.clock.now();
    if (shanghaiDayOfMonth(now) > 3) return 0;
    const month = previousShanghaiMonth(now);
    return this.writer.write(async (mgr) => {
      const ids = await activeUserIds(mgr, ['supervisor'], 'every');
      return await this.notifications.notify(mgr, ids, null, 'dueSoon', `monthly-stats:${month}`, `请于本月4日前汇总报送 ${month} 的《专项治理进展情况统计表》（只填当月数据）`);
    });
  }

  /**
   * From 1 November, once a day, while next year's holiday calendar is not entered: every
   * administrator (who enters it) and supervisor (whose deadlines stop being computable) hears of
   * it. Returns the notices written (0 when already told today, or nothing is missing).
   */
  async calendarReminder(): Promise<number> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    if (Number(today.slice(5, 7)) < 11) return 0;
    const next = shanghaiYear(now) + 1;
    return this.writer.write(async (mgr) => {
      if (await mgr.getRepository(CalendarYear).existsBy({ year: next })) return 0;
      const ids = await activeUserIds(mgr, ['admin', 'supervisor'], 'every');
      return await this.notifications.notify(
        mgr,
        ids,
        null,
        'calendarMissing',
        `calendar-missing:${next}:${today}`,
        `${next}年节假日安排尚未录入：落在${next}年的办理期限无法计算，交办单和通知中只能写“录入后确定”。请系统管理员在“节假日日历”中录入国务院办公厅公布的${next}年安排。`,
      );
    });
  }

  /** Every minute: the case tallies' changes folded in, so the roll-up's reads stay short (PostgreSQL; nothing to do on SQLite). */
  @Cron('30 * * * * *', { name: 'case-tallies', timeZone: 'Asia/Shanghai' })
  async foldTallies(): Promise<void> {
    if (!this.config.jobs || !isPostgres) return;
    try {
      await this.writer.write((m) => compactCaseTallies(m));
    } catch (e) {
      this.logger.error(`folding the case tallies failed: ${(e as Error).message}`);
    }
  }

  @Cron('0 17 * * * *', { name: 'housekeeping', timeZone: 'Asia/Shanghai' })
  async hourly(): Promise<void> {
    if (!this.config.jobs) return;
    try {
      await this.auth.pruneExpired();
      await this.monthlyReminder();
      await this.calendarReminder();
      await this.writer.write(async (m) => refreshPlannerStatistics(m));
    } catch (e) {
      this.logger.error(`housekeeping failed: ${(e as Error).message}`);
    }
  }
}
