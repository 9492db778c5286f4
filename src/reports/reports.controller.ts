import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { checkQuery, errorMap, InputInvalidException, QUERY_INVALID_MESSAGE } from '../common/validation';
import { DashboardQuery, MonthlyQuery, WeeklyQuery } from './dto/report-query.dto';
import { TownshipsService } from '../townships/townships.service';
import { previousShanghaiMonth, shanghaiDate } from '../common/time';
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

  /** The month and township asked for; a bad value is refused, never read as "last month" or "the whole county". */
  private parse(q: Record<string, unknown>) {
    const { value, errors } = checkQuery(MonthlyQuery, q, false);
    if (errors.length) throw new InputInvalidException(errors);
    const month = value.month ?? lastMonth(this.clock.now());
    if (!monthRange(month)) throw new InputInvalidException([{ field: 'month', message: '月份格式应为 YYYY-MM' }]);
    return { month, townshipId: value.townshipId ?? null };
  }

  /** A township id that names no township is refused, not reported as the whole county. */
  private knownTownship(townshipId: number | null, townships: { id: number }[]) {
    if (townshipId && !townships.some((t) => t.id === townshipId)) throw new InputInvalidException([{ field: 'townshipId', message: '所选乡镇不存在' }]);
  }

  /** The monthly 统计表 (seed 004), for the county or one township. */
  @Get('monthly')
  @Render('reports/monthly')
  async monthly(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const townships = await this.townships.listWithVillages(user);
    let p: { month: string; townshipId: number | null };
    try {
      p = this.parse(q);
      this.knownTownship(p.townshipId, townships);
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400);
        return { title: '月度统计表', townships, errors: errorMap(e.fieldErrors), errorSummary: QUERY_INVALID_MESSAGE, month: q.month, townshipId: q.townshipId };
      }
      throw e;
    }
    const s = await this.stats.compute(user, p.month, p.townshipId);
    return { title: '月度统计表', townships, s, month: p.month, townshipId: p.townshipId, unit: townships.find((t) => t.id === p.townshipId)?.name ?? '全县' };
  }

  /** Supervision figures with charts (Chart.js served from this server). */
  @Get('dashboard')
  @Render('reports/dashboard')
  async dashboard(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const townships = await this.townships.listWithVillages(user);
    const now = this.clock.now();
    const { value, errors } = checkQuery(DashboardQuery, q, false);
    const f = {
      from: value.from ?? shanghaiDate(new Date(now.getTime() - 364 * 86400_000)),
      to: value.to ?? shanghaiDate(now),
      townshipId: value.townshipId ?? null,
    };
    if (!errors.length && f.from > f.to) errors.push({ field: 'to', message: '截止日期不能早于起始日期' });
    if (!errors.length && f.townshipId && !townships.some((t) => t.id === f.townshipId)) errors.push({ field: 'townshipId', message: '所选乡镇不存在' });
    if (errors.length) {
      res.status(400);
      return { title: '督办看板', townships, f: q, errors: errorMap(errors), errorSummary: QUERY_INVALID_MESSAGE };
    }
    const d = await this.dashboards.compute(user, f);
    return { title: '督办看板', townships, f, d, json: JSON.stringify({ byTownship: d.byTownship, byKind: d.byKind, byMonth: d.byMonth, outcomes: d.outcomes }) };
  }

  /** 周报, due Thursday morning (seed 000). */
  @Get('weekly')
  @Render('reports/weekly')
  async weekly(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    try {
      return { title: '工作进展周报', r: await this.weeklies.compute(user, this.thursday(q)) };
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400);
        return { title: '工作进展周报', date: q.date, errors: errorMap(e.fieldErrors), errorSummary: QUERY_INVALID_MESSAGE };
      }
      throw e;
    }
  }

  @Get('weekly.xlsx')
  async weeklyXlsx(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const r = await this.weeklies.compute(user, this.thursday(q));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`周报-${r.thursday}.xlsx`)}`);
    await this.weeklies.xlsx(r, res);
  }

  private thursday(q: Record<string, unknown>): string {
    const { value, errors } = checkQuery(WeeklyQuery, q, false);
    if (errors.length) throw new InputInvalidException(errors);
    return WeeklyReportService.reportThursday(value.date ?? shanghaiDate(this.clock.now()));
  }

  @Get('monthly.xlsx')
  async monthlyXlsx(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const p = this.parse(q);
    const townships = await this.townships.listWithVillages(user);
    this.knownTownship(p.townshipId, townships);
    const unit = townships.find((t) => t.id === p.townshipId)?.name ?? '全县';
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`统计表-${unit}-${p.month}.xlsx`)}`);
    await this.stats.xlsx(await this.stats.compute(user, p.month, p.townshipId), unit, res);
  }
}
