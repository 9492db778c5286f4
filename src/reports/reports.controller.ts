import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { InputInvalidException } from '../common/validation';
import { TownshipsService } from '../townships/townships.service';
import { parseShanghaiDateTime, previousShanghaiMonth, shanghaiDate } from '../common/time';
import { DashboardService } from './dashboard.service';
import { WeeklyReportService } from './weekly-report.service';
import { monthRange, MonthlyStatsService } from './monthly-stats.service';

const lastMonth = previousShanghaiMonth;

@Controller('reports')
@Roles('supervisor', 'operator')
export class ReportsController {
  constructor(
    private readonly stats: MonthlyStatsService,
    private readonly dashboards: DashboardService,
    private readonly weeklies: WeeklyReportService,
    private readonly townships: TownshipsService,
    private readonly clock: Clock,
  ) {}

  private parse(q: Record<string, unknown>) {
    const month = typeof q.month === 'string' && q.month ? q.month : lastMonth(this.clock.now());
    if (!monthRange(month)) throw new InputInvalidException([{ field: 'month', message: '月份格式应为 YYYY-MM' }]);
    const townshipId = Number(q.townshipId) || null;
    return { month, townshipId };
  }

  /** A township id that names no township is refused, not reported as the whole county. */
  private knownTownship(townshipId: number | null, townships: { id: number }[]) {
    if (townshipId && !townships.some((t) => t.id === townshipId)) throw new InputInvalidException([{ field: 'townshipId', message: '所选乡镇不存在' }]);
  }

  /** The monthly 统计表 (seed 004), for the county or one township. */
  @Get('monthly')
  @Render('reports/monthly')
  async monthly(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>) {
    const townships = await this.townships.listWithVillages();
    let p: { month: string; townshipId: number | null };
    try {
      p = this.parse(q);
      this.knownTownship(p.townshipId, townships);
    } catch (e) {
      if (e instanceof InputInvalidException) return { title: '月度统计表', townships, error: e.fieldErrors[0].message, month: q.month };
      throw e;
    }
    const s = await this.stats.compute(user, p.month, p.townshipId);
    return { title: '月度统计表', townships, s, month: p.month, townshipId: p.townshipId, unit: townships.find((t) => t.id === p.townshipId)?.name ?? '全县' };
  }

  /** Supervision figures with charts (Chart.js served from this server). */
  @Get('dashboard')
  @Render('reports/dashboard')
  async dashboard(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>) {
    const townships = await this.townships.listWithVillages();
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const yearAgo = shanghaiDate(new Date(now.getTime() - 364 * 86400_000));
    const date = (v: unknown, d: string) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && parseShanghaiDateTime(v) ? v : d);
    const f = { from: date(q.from, yearAgo), to: date(q.to, today), townshipId: Number(q.townshipId) || null };
    const d = await this.dashboards.compute(user, f);
    return { title: '督办看板', townships, f, d, json: JSON.stringify({ byTownship: d.byTownship, byKind: d.byKind, byMonth: d.byMonth, outcomes: d.outcomes }) };
  }

  /** 周报, due Thursday morning (seed 000). */
  @Get('weekly')
  @Render('reports/weekly')
  async weekly(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>) {
    const thursday = this.thursday(q);
    return { title: '工作进展周报', r: await this.weeklies.compute(user, thursday) };
  }

  @Get('weekly.xlsx')
  async weeklyXlsx(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const r = await this.weeklies.compute(user, this.thursday(q));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`周报-${r.thursday}.xlsx`)}`);
    await this.weeklies.xlsx(r, res);
  }

  private thursday(q: Record<string, unknown>): string {
    const today = shanghaiDate(this.clock.now());
    const date = typeof q.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(q.date) && parseShanghaiDateTime(q.date) ? q.date : today;
    return WeeklyReportService.reportThursday(date);
  }

  @Get('monthly.xlsx')
  async monthlyXlsx(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const p = this.parse(q);
    const townships = await this.townships.listWithVillages();
    this.knownTownship(p.townshipId, townships);
    const unit = townships.find((t) => t.id === p.townshipId)?.name ?? '全县';
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`统计表-${unit}-${p.month}.xlsx`)}`);
    await this.stats.xlsx(await this.stats.compute(user, p.month, p.townshipId), unit, res);
  }
}
