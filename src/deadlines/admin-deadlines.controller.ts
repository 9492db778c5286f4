import { Clock } from '../common/clock';
import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CalendarService } from '../calendar/calendar.service';
import { KIND_LABELS, KINDS, options, PROGRAM_LABELS, PROGRAMS } from '../cases/case.enums';
import { flash, handleForm } from '../common/forms';
import { formatDateTime, shanghaiYear } from '../common/time';
import { checkQuery, InputInvalidException, validateInput } from '../common/validation';
import { RegionsService } from '../regions/regions.service';
import { CalendarAdminService, RecomputeSummary } from './calendar-admin.service';
import { DeadlinesService, EffectiveRule } from './deadlines.service';
import { RECOMPUTE_WAIT_MS, resultWithin } from './recompute.service';
import { CalendarDayDto, CalendarYearDto, CountyQuery, NewRuleDto, RuleDto } from './dto/deadline-admin.dto';
import { STAGE_LABELS, STAGES } from './stages';

function summary(r: RecomputeSummary | null): string {
  if (!r) return '；进行中的期限正在后台重新计算，进度见节假日日历页';
  return r.checked ? `；重新计算进行中的期限 ${r.checked} 个，其中 ${r.changed} 个改变${r.missing ? `，${r.missing} 个因日历缺失无法计算` : ''}` : '';
}

const UNIT_LABELS = { workday: '工作日', day: '自然日' } as const;

/**
 * The county whose own rules and days a page shows: a county user's own county (asking for
 * another is a 404: it does not exist for them); above a county, one the user reaches, chosen by
 * `?county=` (none: the shared rules alone). Null: no county's.
 */
export function viewedCounty(user: AuthUser, asked: unknown): string | null {
  const reach = user.countyCodes ?? [];
  const code = typeof asked === 'string' && asked ? asked : null;
  if (user.level === 'county' || !user.level) {
    const own = user.regionCode && reach.includes(user.regionCode) ? user.regionCode : null;
    if (code && code !== own) throw new NotFoundException({ message: '没有这个县' });
    return own;
  }
  if (code && !reach.includes(code)) throw new NotFoundException({ message: '没有这个县' });
  return code;
}

/**
 * 时限规则 and 节假日日历. The shared rules and the national calendar are the administrator's, as
 * before; a county's administrator and supervisors set their county's own limits and days beside
 * them (shown with the shared value); prefecture and province users read (the sign-in guard
 * refuses them every change).
 */
@Controller('admin')
@Roles('admin', 'supervisor')
export class AdminDeadlinesController {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly calendars: CalendarService,
    private readonly admin: CalendarAdminService,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
  ) {}

  /** The counties an above-county user may pick, and the one shown. */
  private async countyChoice(user: AuthUser, county: string | null) {
    const names = await this.regions.names(county ? [county, ...(user.countyCodes ?? [])] : [...(user.countyCodes ?? [])]);
    const aboveCounty = user.level === 'prefecture' || user.level === 'province';
    return {
      county,
      countyName: county ? (names.get(county)?.name ?? county) : null,
      countyOptions: aboveCounty ? (user.countyCodes ?? []).map((code) => ({ code, name: names.get(code)?.name ?? code, current: code === county })) : [],
      // the shared rules and calendar: the administrator of a county, as before
      canEditShared: user.role === 'admin' && !aboveCounty,
      // the county's own: its administrator and supervisors, in their own county
      canEditCounty: !aboveCounty && !!county && (user.role === 'admin' || user.role === 'supervisor'),
    };
  }

  private async rulesModel(user: AuthUser, askedCounty: unknown, extra: Record<string, unknown> = {}) {
    const county = viewedCounty(user, askedCounty);
    this.deadlines.invalidateRules();
    const own = new Map<number, EffectiveRule>(county ? (await this.deadlines.rulesFor(county)).map((r) => [r.id, r]) : []);
    const countyEditId = extra.countyEditId;
    const rules = (await this.deadlines.rules()).map((r) => {
      const e = own.get(r.id);
      return {
        ...r,
        stageLabel: STAGE_LABELS[r.stage],
        kindLabel: r.kind ? KIND_LABELS[r.kind] : '全部',
        programLabel: r.program ? PROGRAM_LABELS[r.program] : '全部',
        unitLabel: UNIT_LABELS[r.unit],
        updatedAtText: formatDateTime(r.updatedAt),
        county: e
          ? {
              own: !!e.shared,
              limitValue: e.limitValue,
              unit: e.unit,
              unitLabel: UNIT_LABELS[e.unit],
              maxExtension: e.maxExtension,
              source: e.source,
              updatedBy: e.updatedBy,
              updatedAtText: formatDateTime(e.updatedAt),
              editing: countyEditId === r.id,
            }
          : null,
      };
    });
    return {
      title: '时限规则',
      rules,
      ...(await this.countyChoice(user, county)),
      stageOptions: STAGES.map((value) => ({ value, label: STAGE_LABELS[value] })),
      kindOptions: options(KINDS, KIND_LABELS),
      programOptions: options(PROGRAMS, PROGRAM_LABELS),
      values: { unit: 'workday', maxExtension: 0 },
      recomputeStatus: await this.admin.recomputeStatus(county ?? undefined),
      ...extra,
    };
  }

  @Get('deadline-rules')
  @Render('admin/deadline-rules')
  rules(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>) {
    return this.rulesModel(user, countyAsked(raw, false));
  }

  @Post('deadline-rules')
  @Roles('admin')
  async addRule(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(NewRuleDto, body);
    await handleForm(res, 'admin/deadline-rules', () => this.rulesModel(actor, undefined), body, async () => {
      await this.admin.addRule(actor, value);
      flash(req, '已添加规则（新规则用于此后开始的期限）');
      return '/admin/deadline-rules';
    }, errors);
  }

  @Post('deadline-rules/:id')
  @Roles('admin')
  async saveRule(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(RuleDto, body);
    await handleForm(res, 'admin/deadline-rules', () => this.rulesModel(actor, undefined, { editId: id }), body, async () => {
      // a long recomputation goes on in the background; the calendar page shows how far it is
      const r = await resultWithin(this.admin.saveRule(actor, id, value), RECOMPUTE_WAIT_MS);
      flash(req, `已保存规则${summary(r)}`);
      return '/admin/deadline-rules';
    }, errors);
  }

  /** The actor's county's own limit for shared rule `id` (only their own county: there is no county in the path). */
  @Post('deadline-rules/:id/county')
  async saveCountyRule(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(RuleDto, body);
    await handleForm(res, 'admin/deadline-rules', () => this.rulesModel(actor, undefined, { countyEditId: id }), body, async () => {
      const r = await resultWithin(this.admin.saveCountyRule(actor, id, value), RECOMPUTE_WAIT_MS);
      flash(req, `已保存本县规则${summary(r)}`);
      return '/admin/deadline-rules';
    }, errors);
  }

  @Post('deadline-rules/:id/county/reset')
  async resetCountyRule(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const r = await resultWithin(this.admin.resetCountyRule(actor, id), RECOMPUTE_WAIT_MS);
    flash(req, `本县已恢复执行统一规则${summary(r)}`);
    res.redirect(303, '/admin/deadline-rules');
  }

  private async calendarModel(user: AuthUser, askedCounty: unknown, extra: Record<string, unknown> = {}) {
    const county = viewedCounty(user, askedCounty);
    this.calendars.invalidate();
    const [years, missing, recomputeStatus] = await Promise.all([this.calendars.years(), this.admin.missingYearCases(county ? [county] : (user.countyCodes ?? [])), this.admin.recomputeStatus(county ?? undefined)]);
    const withDays = await Promise.all(
      years.map(async (y) => ({ ...y, updatedAtText: formatDateTime(y.updatedAt), days: (await this.calendars.days(y.year)).map((d) => ({ ...d, off: d.type === 'off' })) })),
    );
    // each county day beside what the national calendar says of that date
    const national = await this.calendars.calendar();
    const countyDays = county
      ? (await this.calendars.countyDays(county)).map((d) => {
          let nationalText = '';
          try {
            nationalText = national.isWorkday(d.date) ? '工作日' : '休息日';
          } catch {
            nationalText = '未录入';
          }
          return { ...d, off: d.type === 'off', nationalText, updatedAtText: formatDateTime(d.updatedAt) };
        })
      : [];
    const next = (years[years.length - 1]?.year ?? shanghaiYear(this.clock.now())) + 1;
    return {
      title: '节假日日历',
      years: withDays,
      missing,
      recomputeStatus,
      countyDays,
      ...(await this.countyChoice(user, county)),
      nextYear: next,
      values: { year: next, type: 'off' },
      ...extra,
    };
  }

  @Get('calendar')
  @Render('admin/calendar')
  calendar(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>) {
    return this.calendarModel(user, countyAsked(raw, false));
  }

  @Post('calendar/days')
  @Roles('admin')
  async setDay(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(CalendarDayDto, body);
    await handleForm(res, 'admin/calendar', () => this.calendarModel(actor, undefined, { dayForm: true }), body, async () => {
      // a long recomputation goes on in the background; the calendar page shows how far it is
      const r = await resultWithin(this.admin.setDay(actor, value), RECOMPUTE_WAIT_MS);
      flash(req, `已更新 ${value.date}${summary(r)}`);
      return '/admin/calendar';
    }, errors);
  }

  /** A day of the actor's own county (only their own county: there is no county in the path). */
  @Post('calendar/county-days')
  async setCountyDay(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(CalendarDayDto, body);
    await handleForm(res, 'admin/calendar', () => this.calendarModel(actor, undefined, { countyDayForm: true }), body, async () => {
      const r = await resultWithin(this.admin.setCountyDay(actor, value), RECOMPUTE_WAIT_MS);
      flash(req, `已更新本县 ${value.date}${summary(r)}`);
      return '/admin/calendar';
    }, errors);
  }

  @Post('calendar/years')
  @Roles('admin')
  async saveYear(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(CalendarYearDto, body);
    await handleForm(res, 'admin/calendar', () => this.calendarModel(actor, undefined, { yearForm: true }), body, async () => {
      // a long recomputation goes on in the background; the calendar page shows how far it is
      const r = await resultWithin(this.admin.saveYear(actor, value), RECOMPUTE_WAIT_MS);
      flash(req, `已录入 ${value.year} 年节假日安排${summary(r)}`);
      return '/admin/calendar';
    }, errors);
  }
}

/**
 * GET /api/v1/deadline-rules[?county=]: the rules as they apply in a county, each with the shared
 * values beside the county's own (`shared`, null where it follows them). A county user gets their
 * own county; a prefecture or province user one county they reach (`county`), or the shared rules.
 */
@Controller('api/v1')
export class DeadlineRulesApiController {
  constructor(private readonly deadlines: DeadlinesService) {}

  @Get('deadline-rules')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>) {
    const county = viewedCounty(user, countyAsked(raw, true));
    const rules = county ? await this.deadlines.rulesFor(county) : (await this.deadlines.rules()).map((r) => ({ ...r, shared: null }));
    return {
      countyCode: county,
      rules: rules.map((r) => ({ id: r.id, stage: r.stage, kind: r.kind, program: r.program, limitValue: r.limitValue, unit: r.unit, maxExtension: r.maxExtension, source: r.source, shared: r.shared })),
    };
  }
}

/** The county asked for by ?county=; a value that is not a county code is refused (400, the field named), on pages too. */
function countyAsked(raw: Record<string, unknown>, api: boolean): string | undefined {
  const { value, errors } = checkQuery(CountyQuery, raw, api);
  if (errors.length) throw new InputInvalidException(errors);
  return value.county;
}
