import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { InputInvalidException } from '../common/validation';
import { TownshipsService } from '../townships/townships.service';
import { monthRange, MonthlyStatsService } from './monthly-stats.service';

function lastMonth(now: Date): string {
  const d = new Date(now.getTime() + 8 * 3600_000);
  const y = d.getUTCMonth() === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear();
  const m = d.getUTCMonth() === 0 ? 12 : d.getUTCMonth();
  return `${y}-${String(m).padStart(2, '0')}`;
}

@Controller('reports')
@Roles('supervisor', 'operator')
export class ReportsController {
  constructor(
    private readonly stats: MonthlyStatsService,
    private readonly townships: TownshipsService,
    private readonly clock: Clock,
  ) {}

  private parse(q: Record<string, unknown>) {
    const month = typeof q.month === 'string' && q.month ? q.month : lastMonth(this.clock.now());
    if (!monthRange(month)) throw new InputInvalidException([{ field: 'month', message: '月份格式应为 YYYY-MM' }]);
    const townshipId = Number(q.townshipId) || null;
    return { month, townshipId };
  }

  /** The monthly 统计表 (seed 004), for the county or one township. */
  @Get('monthly')
  @Render('reports/monthly')
  async monthly(@Query() q: Record<string, unknown>) {
    const townships = await this.townships.listWithVillages();
    let p: { month: string; townshipId: number | null };
    try {
      p = this.parse(q);
    } catch (e) {
      if (e instanceof InputInvalidException) return { title: '月度统计表', townships, error: e.fieldErrors[0].message, month: q.month };
      throw e;
    }
    const s = await this.stats.compute(p.month, p.townshipId);
    return { title: '月度统计表', townships, s, month: p.month, townshipId: p.townshipId, unit: townships.find((t) => t.id === p.townshipId)?.name ?? '全县' };
  }

  @Get('monthly.xlsx')
  async monthlyXlsx(@Query() q: Record<string, unknown>, @Res() res: Response) {
    const p = this.parse(q);
    const townships = await this.townships.listWithVillages();
    const unit = townships.find((t) => t.id === p.townshipId)?.name ?? '全县';
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`统计表-${unit}-${p.month}.xlsx`)}`);
    await this.stats.xlsx(await this.stats.compute(p.month, p.townshipId), unit, res);
  }
}
