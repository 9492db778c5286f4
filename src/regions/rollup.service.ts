import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { activeUserIds } from '../notifications/notifications.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { DashboardService } from '../reports/dashboard.service';
import { RegionsService } from './regions.service';

export interface CountyFigures {
  code: string;
  name: string;
  rank: number;
  total: number;
  measured: number;
  onTimeRate: number | null;
  openOverdue: number;
  reached: number;
  satisfactionRate: number | null;
}

/**
 * Figures across counties for a prefecture or province supervisor: each county's supervision
 * figures (the dashboard's own rules and queries, grouped by county: each county's as on that county's cases alone) side by side, ranked; and 督办
 * of a county, a notice to its supervisors.
 */
@Injectable()
export class RollupService {
  constructor(
    private readonly regions: RegionsService,
    private readonly dashboards: DashboardService,
    private readonly notifications: NotificationsService,
    private readonly writer: DbWriter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Ranked by on-time rate (counting open overdue cases as late), then satisfaction; a county with nothing measured last. */
  async counties(viewer: AuthUser, period: { from: string; to: string }): Promise<CountyFigures[]> {
    const codes = [...(viewer.countyCodes ?? [])];
    // one grouped computation for all of them, by the case's county, under the viewer's scope
    // (recusal and every other part apply as on the dashboard)
    const [names, figures] = await Promise.all([this.regions.names(codes), this.dashboards.figuresByCounty(viewer, { ...period, townshipId: null })]);
    const rows: Omit<CountyFigures, 'rank'>[] = codes.map((code) => {
      const d = figures.get(code)!;
      return {
        code,
        name: names.get(code)?.name ?? code,
        total: d.total,
        measured: d.onTime.measured,
        onTimeRate: d.onTime.rate,
        openOverdue: d.onTime.openOverdue,
        reached: d.satisfaction.reached,
        satisfactionRate: d.satisfaction.rate,
      };
    });
    const key = (x: number | null) => (x === null ? -1 : x);
    rows.sort((a, b) => key(b.onTimeRate) - key(a.onTimeRate) || key(b.satisfactionRate) - key(a.satisfactionRate) || a.code.localeCompare(b.code));
    return rows.map((r, i) => ({ ...r, rank: i + 1 }));
  }

  /** 督办 a county: every active supervisor of that county is told, and the urging is audited. */
  async urgeCounty(actor: AuthUser, code: string, note: string): Promise<{ county: string; told: number }> {
    const [county, from] = await Promise.all([this.regions.get(code), this.regions.get(actor.regionCode ?? '')]);
    const now = this.clock.now();
    const told = await this.writer.write(async (m) => {
      const ids = await activeUserIds(m, ['supervisor'], code);
      const n = await this.notifications.notify(m, ids, null, 'urged', `county-urge:${code}:${actor.id}:${now.getTime()}`, `${from?.name ?? ''}督办：${note}`.slice(0, 300));
      await this.audit.record(actor, 'county.urge', 'region', code, { note, told: n });
      return n;
    });
    return { county: county?.name ?? code, told };
  }
}
