import { Body, Controller, Get, Inject, Post, Render, Req, Res, ForbiddenException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CaseIntakeService } from '../cases/case-intake.service';
import { CaseQueryService } from '../cases/case-query.service';
import { FORM_OPTIONS, personMatchView } from '../cases/cases.controller';
import { Clock } from '../common/clock';
import { flash, handleForm } from '../common/forms';
import { toLocalInput } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { issueCode } from '../lookup/query-code.controller';
import { TownshipsService } from '../townships/townships.service';
import { intakeStep, IntakeStepsService } from './intake-steps.service';

/** The keep-alive ping's interval: a third of the idle time, at most 5 minutes (at least 1 s). */
export function keepAliveMs(idleMinutes: number): number {
  return Math.round(Math.max(1000, Math.min((idleMinutes * 60_000) / 3, 5 * 60_000)));
}

/**
 * 登记来电来信: the intake form and its submission, with the steps that may follow in the same
 * write (当场解答 a consultation; a supervisor's 受理并交办).
 */
@Controller('cases')
export class IntakeController {
  constructor(
    private readonly intake: CaseIntakeService,
    private readonly steps: IntakeStepsService,
    private readonly query: CaseQueryService,
    private readonly townships: TownshipsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async intakeModel(user: AuthUser, values: Record<string, unknown>, matches: unknown[] = []) {
    return {
      title: '登记来电来信',
      ...FORM_OPTIONS,
      townships: await this.townships.listWithVillages(user),
      values,
      matches,
      wide: true,
      canAcceptAssign: user.role === 'supervisor',
      // the draft of this form lives in the browser tab (sessionStorage), per user
      draftKey: `intake:${user.id}`,
      keepAliveMs: keepAliveMs(this.config.idleMinutes),
    };
  }

  @Get('new')
  @Roles('operator', 'supervisor')
  @Render('cases/new')
  newForm(@CurrentUser() user: AuthUser) {
    // cases are registered by a county's office
    if (user.level !== 'county') throw new ForbiddenException({ message: '市级、省级用户只能查看和督办，不能办理县里的事项' });
    return this.intakeModel(user, { channel: 'hotline', reporterType: 'realName', urgency: 'normal', receivedAt: toLocalInput(this.clock.now()), problemTypes: [] });
  }

  @Post()
  @Roles('operator', 'supervisor')
  async create(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const step = intakeStep(body.step);
    const checked = await this.intake.validate(body, false, user);
    const planned = this.steps.plan(user, step, checked, body);
    const { value } = checked;
    const values = { ...body, problemTypes: value.problemTypes ?? [] };
    const matches = async () => (await this.query.personMatches(user, value.reporterPhone, value.reporterIdNumber)).map(personMatchView);
    await handleForm(
      res,
      'cases/new',
      async () => this.intakeModel(user, values, await matches()),
      values,
      async () => {
        const created = await this.steps.create(user, checked, planned);
        const done =
          step === 'answer' ? '已登记并当场解答办结' : step === 'accept-assign' ? `已登记、受理并交办${created.township?.name ?? ''}` : '已登记';
        flash(req, `${done}，案件编号 ${created.caseNo}，查询码 ${created.queryCode}（请告知反映人，凭编号和查询码可在网上查询办理进展）`);
        issueCode(req, created.caseNo, created.queryCode);
        req.session.draftSaved = true;
        return `/cases/${encodeURIComponent(created.caseNo)}`;
      },
      [...checked.errors, ...planned.errors],
    );
  }
}
