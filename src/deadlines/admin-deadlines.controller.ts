import { Clock } from '../common/clock';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CalendarService } from '../calendar/calendar.service';
import { KIND_LABELS, KINDS, options, PROGRAM_LABELS, PROGRAMS } from '../cases/case.enums';
import { flash, handleForm } from '../common/forms';
import { formatDateTime, shanghaiYear } from '../common/time';
import { validateInput } from '../common/validation';
import { CalendarAdminService, RecomputeSummary } from './calendar-admin.service';
import { DeadlinesService } from './deadlines.service';
import { RECOMPUTE_WAIT_MS, resultWithin } from './recompute.service';
import { CalendarDayDto, CalendarYearDto, NewRuleDto, RuleDto } from './dto/deadline-admin.dto';
import { STAGE_LABELS, STAGES } from './stages';

function summary(r: RecomputeSummary | null): string {
  if (!r) return '；进行中的期限正在后台重新计算，进度见节假日日历页';
  return r.checked ? `；重新计算进行中的期限 ${r.checked} 个，其中 ${r.changed} 个改变${r.missing ? `，${r.missing} 个因日历缺失无法计算` : ''}` : '';
}

@Controller('admin')
@Roles('admin')
export class AdminDeadlinesController {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly calendars: CalendarService,
    private readonly admin: CalendarAdminService,
    private readonly clock: Clock,
  ) {}

  private async rulesModel(extra: Record<string, unknown> = {}) {
    this.deadlines.invalidateRules();
    const rules = (await this.deadlines.rules()).map((r) => ({
      ...r,
      stageLabel: STAGE_LABELS[r.stage],
      kindLabel: r.kind ? KIND_LABELS[r.kind] : '全部',
      programLabel: r.program ? PROGRAM_LABELS[r.program] : '全部',
      updatedAtText: formatDateTime(r.updatedAt),
    }));
    return {
      title: '时限规则',
      rules,
      stageOptions: STAGES.map((value) => ({ value, label: STAGE_LABELS[value] })),
      kindOptions: options(KINDS, KIND_LABELS),
      programOptions: options(PROGRAMS, PROGRAM_LABELS),
      values: { unit: 'workday', maxExtension: 0 },
      recomputeStatus: await this.admin.recomputeStatus(),
      ...extra,
    };
  }

  @Get('deadline-rules')
  @Render('admin/deadline-rules')
  rules() {
    return this.rulesModel();
  }

  @Post('deadline-rules')
  async addRule(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(NewRuleDto, body);
    await handleForm(res, 'admin/deadline-rules', () => this.rulesModel(), body, async () => {
      await this.admin.addRule(actor, value);
      flash(req, '已添加规则（新规则用于此后开始的期限）');
      return '/admin/deadline-rules';
    }, errors);
  }

  @Post('deadline-rules/:id')
  async saveRule(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(RuleDto, body);
    await handleForm(res, 'admin/deadline-rules', () => this.rulesModel({ editId: id }), body, async () => {
      // a long recomputation goes on in the background; the calendar page shows how far it is
      const r = await resultWithin(this.admin.saveRule(actor, id, value), RECOMPUTE_WAIT_MS);
      flash(req, `已保存规则${summary(r)}`);
      return '/admin/deadline-rules';
    }, errors);
  }

  private async calendarModel(extra: Record<string, unknown> = {}) {
    this.calendars.invalidate();
    const [years, missing, recomputeStatus] = await Promise.all([this.calendars.years(), this.admin.missingYearCases(), this.admin.recomputeStatus()]);
    const withDays = await Promise.all(
      years.map(async (y) => ({ ...y, updatedAtText: formatDateTime(y.updatedAt), days: (await this.calendars.days(y.year)).map((d) => ({ ...d, off: d.type === 'off' })) })),
    );
    const next = (years[years.length - 1]?.year ?? shanghaiYear(this.clock.now())) + 1;
    return { title: '节假日日历', years: withDays, missing, recomputeStatus, nextYear: next, values: { year: next, type: 'off' }, ...extra };
  }

  @Get('calendar')
  @Render('admin/calendar')
  calendar() {
    return this.calendarModel();
  }

  @Post('calendar/days')
  async setDay(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(CalendarDayDto, body);
    await handleForm(res, 'admin/calendar', () => this.calendarModel({ dayForm: true }), body, async () => {
      // a long recomputation goes on in the background; the calendar page shows how far it is
      const r = await resultWithin(this.admin.setDay(actor, value), RECOMPUTE_WAIT_MS);
      flash(req, `已更新 ${value.date}${summary(r)}`);
      return '/admin/calendar';
    }, errors);
  }

  @Post('calendar/years')
  async saveYear(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(CalendarYearDto, body);
    await handleForm(res, 'admin/calendar', () => this.calendarModel({ yearForm: true }), body, async () => {
      // a long recomputation goes on in the background; the calendar page shows how far it is
      const r = await resultWithin(this.admin.saveYear(actor, value), RECOMPUTE_WAIT_MS);
      flash(req, `已录入 ${value.year} 年节假日安排${summary(r)}`);
      return '/admin/calendar';
    }, errors);
  }
}
