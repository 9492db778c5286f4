import { Body, Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, OpenAboveCounty, Roles } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { flash, handleForm } from '../common/forms';
import { shanghaiDate } from '../common/time';
import { checkQuery, errorMap, QUERY_INVALID_MESSAGE, validateInput } from '../common/validation';
import { DashboardQuery } from '../reports/dto/report-query.dto';
import { UrgeDto } from '../workflow/dto/actions.dto';
import { REGION_LEVEL_LABELS } from './entities/region.entity';
import { RegionsService } from './regions.service';
import { RollupService } from './rollup.service';

/** 各县统计: the counties below a prefecture or province side by side, ranked, each with 督办. */
@Controller('regions')
@Roles('supervisor')
export class RegionsController {
  constructor(
    private readonly rollup: RollupService,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
  ) {}

  private async model(user: AuthUser, q: Record<string, unknown>) {
    const now = this.clock.now();
    const { value, errors } = checkQuery(DashboardQuery, q, false);
    // this month so far, unless a period is chosen
    const f = { from: value.from ?? `${shanghaiDate(now).slice(0, 8)}01`, to: value.to ?? shanghaiDate(now) };
    if (!errors.length && f.from > f.to) errors.push({ field: 'to', message: '截止日期不能早于起始日期' });
    const region = await this.regions.get(user.regionCode ?? '');
    const base = { title: '各县统计', region: region?.name ?? '', levelLabel: REGION_LEVEL_LABELS[user.level ?? 'county'], canUrge: user.level !== 'county' };
    if (errors.length) return { ...base, f: q, errors: errorMap(errors), errorSummary: QUERY_INVALID_MESSAGE, status: 400 };
    return { ...base, f, rows: await this.rollup.counties(user, f), status: 200 };
  }

  @Get()
  @Render('regions/overview')
  async overview(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const m = await this.model(user, q);
    res.status(m.status);
    return m;
  }

  @Post(':code/urge')
  @OpenAboveCounty()
  async urge(@CurrentUser() user: AuthUser, @Param('code') code: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    if (user.level === 'county') throw new ForbiddenException({ message: '督办县由市级、省级督办员发出' });
    // a county the user does not reach does not exist for them
    if (!(user.countyCodes ?? []).includes(code)) throw new NotFoundException();
    const { value, errors } = validateInput(UrgeDto, body);
    await handleForm(res, 'regions/overview', async () => ({ ...(await this.model(user, {})), urgeCode: code }), body, async () => {
      const r = await this.rollup.urgeCounty(user, code, value.note);
      flash(req, `已向${r.county}督办（${r.told} 名督办员收到通知）`);
      return '/regions';
    }, errors);
  }
}
