import { RegionsService } from '../regions/regions.service';
import { DOCUMENTS } from '../documents/documents';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash } from '../common/forms';
import { checkQuery, errorMap, InputInvalidException, QUERY_INVALID_MESSAGE } from '../common/validation';
import { ListReferralsQuery } from './dto/referral.dto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CasePageService } from '../workflow/case-page.service';
import { TransitionNotAllowedException } from '../workflow/workflow.errors';
import { DISPOSALS } from './entities/referral.entity';
import { DISPOSAL_LABELS, REFERRAL_ACTIONS, REFERRAL_STATUS_LABELS } from './referral.labels';
import { writeReferralPdf } from './referral-pdf';
import { ReferralsService } from './referrals.service';

function apiReferral(r: ReturnType<ReferralsService['view']>, caseNos: string[]) {
  return {
    leadNo: r.leadNo,
    status: r.status,
    source: r.source,
    mainProblem: r.mainProblem,
    verificationSoFar: r.verificationSoFar,
    subject: { name: r.subjectName, unit: r.subjectUnit, post: r.subjectPost },
    reporter: { type: r.reporterType, name: r.reporterName, phone: r.reporterPhone },
    attachments: r.attachmentList,
    handlerId: r.handlerId,
    handlerName: r.handlerName,
    referredAt: r.referredAt.toISOString(),
    referredBy: r.referredByName,
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    disposal: r.disposal,
    disposalNote: r.disposalNote,
    resultDate: r.resultDate,
    resultSummary: r.resultSummary,
    reporterNoticeDate: r.reporterNoticeDate,
    reporterFeedbackDate: r.reporterFeedbackDate,
    caseNos,
  };
}

@Controller()
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly page: CasePageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly regions: RegionsService,
  ) {}

  // ---- pages ----

  @Post('cases/:caseNo/referral')
  @Roles('supervisor')
  async refer(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    try {
      const r = await this.referrals.create(user, caseNo, body, false);
      flash(req, `已移交纪检监察，线索编号 ${r.leadNo}`);
      res.redirect(303, `/referrals/${r.leadNo}`);
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400).render('cases/show', await this.page.model(user, caseNo, { actionErrors: errorMap(e.fieldErrors), action: 'refer', values: body, error: '移交内容有误，请按提示修改' }));
        return;
      }
      throw e;
    }
  }

  @Get('referrals')
  @Roles('supervisor', 'liaison')
  @Render('referrals/list')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const { value, errors } = checkQuery(ListReferralsQuery, raw, false);
    if (errors.length) res.status(400);
    const handlers = await this.referrals.handlerNames();
    const rows = errors.length ? [] : (await this.referrals.list(user, value.status)).map((r) => this.referrals.view(r, handlers));
    return {
      title: user.role === 'liaison' ? '移交给我的线索' : '问题线索移交登记',
      rows,
      status: raw.status,
      errors: errorMap(errors),
      errorSummary: errors.length ? QUERY_INVALID_MESSAGE : null,
      statusOptions: Object.entries(REFERRAL_STATUS_LABELS).map(([value, label]) => ({ value, label })),
      isSupervisor: user.role === 'supervisor',
    };
  }

  @Get('referrals/export.xlsx')
  @Roles('supervisor')
  async export(@CurrentUser() user: AuthUser, @Res() res: Response) {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('问题线索移交登记.xlsx')}`);
    await this.referrals.exportXlsx(user, res);
  }

  private async detail(user: AuthUser, leadNo: string, extra: Record<string, unknown> = {}, where: 'page' | 'print' | 'pdf' = 'page') {
    const r = await this.referrals.get(user, leadNo);
    await this.referrals.auditReporterViews(user, [r], where);
    const [cases, clocks, handlers] = await Promise.all([this.referrals.casesOf(r.id), this.referrals.clocks(r.id), this.referrals.handlerNames()]);
    const v = this.referrals.view(r, handlers);
    const isHandler = user.role === 'liaison';
    const can = (a: keyof typeof REFERRAL_ACTIONS) => isHandler && (REFERRAL_ACTIONS[a].from as readonly string[]).includes(r.status);
    return {
      title: r.leadNo,
      r: v,
      countyCode: r.countyCode,
      cases: cases.map((c) => ({ caseNo: c.caseNo })),
      clocks: clocks.map((d) => this.referrals.clockView(d)),
      forms: {
        acknowledge: can('acknowledge'),
        dispose: can('dispose'),
        returnResult: can('return-result'),
        notifyReporter: can('notify-reporter') && r.reporterType === 'realName' && !r.reporterNoticeDate,
        feedbackReporter: can('feedback-reporter') && r.reporterType === 'realName' && !r.reporterFeedbackDate,
      },
      disposalOptions: DISPOSALS.map((value) => ({ value, label: DISPOSAL_LABELS[value] })),
      errors: {},
      values: {},
      ...extra,
    };
  }

  @Get('referrals/:leadNo')
  @Roles('supervisor', 'liaison')
  @Render('referrals/show')
  show(@CurrentUser() user: AuthUser, @Param('leadNo') leadNo: string) {
    return this.detail(user, leadNo);
  }

  @Post('referrals/:leadNo/actions/:action')
  @Roles('liaison')
  async actPage(@CurrentUser() user: AuthUser, @Param('leadNo') leadNo: string, @Param('action') action: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    try {
      await this.referrals.act(user, leadNo, action, body, false);
      flash(req, '已保存');
      res.redirect(303, `/referrals/${encodeURIComponent(leadNo)}`);
    } catch (e) {
      if (e instanceof InputInvalidException || e instanceof TransitionNotAllowedException) {
        const errors = e instanceof InputInvalidException ? errorMap(e.fieldErrors) : {};
        const message = e instanceof InputInvalidException ? '提交的内容有误，请按提示修改' : (e.getResponse() as { message: string }).message;
        res.status(e.getStatus()).render('referrals/show', await this.detail(user, leadNo, { errors, values: body, error: message, openAction: action }));
        return;
      }
      throw e;
    }
  }

  @Get('referrals/:leadNo/print')
  @Roles('supervisor', 'liaison')
  @Render('referrals/print')
  async print(@CurrentUser() user: AuthUser, @Param('leadNo') leadNo: string) {
    // 密: the form names the reporter of a real-name report
    const d = await this.detail(user, leadNo, {}, 'print');
    return { ...d, layout: 'layouts/print', bureau: await this.regions.bureauOf(d.countyCode), backHref: `/referrals/${leadNo}`, confidential: DOCUMENTS['referral-form'].confidential() };
  }

  @Get('referrals/:leadNo/print.pdf')
  @Roles('supervisor', 'liaison')
  async pdf(@CurrentUser() user: AuthUser, @Param('leadNo') leadNo: string, @Res() res: Response) {
    const d = await this.detail(user, leadNo, {}, 'pdf');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${leadNo}.pdf"`);
    writeReferralPdf(
      {
        bureau: await this.regions.bureauOf(d.countyCode),
        leadNo: d.r.leadNo,
        referredDate: d.r.referredDate,
        source: d.r.source,
        reporter: d.r.anonymous ? '匿名' : `${d.r.reporterName ?? ''}（实名）${d.r.reporterPhone ? '  ' + d.r.reporterPhone : ''}`,
        subject: [d.r.subjectName, d.r.subjectUnit, d.r.subjectPost].filter(Boolean).join('  ') || '—',
        mainProblem: d.r.mainProblem,
        verificationSoFar: d.r.verificationSoFar ?? '',
        attachments: d.r.attachmentList,
        handler: d.r.handlerName,
        referredBy: d.r.referredByName,
        caseNos: d.cases.map((c) => c.caseNo),
      },
      res,
    );
  }

  // ---- API ----

  @Post('api/v1/cases/:caseNo/referral')
  @HttpCode(201)
  @Roles('supervisor')
  async referApi(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>) {
    const r = await this.referrals.create(user, caseNo, body ?? {}, true);
    const cases = await this.referrals.casesOf(r.id);
    return apiReferral(this.referrals.view(r, await this.referrals.handlerNames()), cases.map((c) => c.caseNo));
  }

  @Get('api/v1/referrals')
  @Roles('supervisor', 'liaison')
  async listApi(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>) {
    const { value } = checkQuery(ListReferralsQuery, raw, true);
    const handlers = await this.referrals.handlerNames();
    const items = [];
    const leads = await this.referrals.list(user, value.status);
    for (const r of leads) {
      items.push(apiReferral(this.referrals.view(r, handlers), (await this.referrals.casesOf(r.id)).map((c) => c.caseNo)));
    }
    await this.referrals.auditReporterViews(user, leads, 'api');
    return { items };
  }

  @Post('api/v1/referrals/:leadNo/actions/:action')
  @HttpCode(200)
  @Roles('supervisor', 'liaison', 'operator', 'township', 'admin')
  async actApi(@CurrentUser() user: AuthUser, @Param('leadNo') leadNo: string, @Param('action') action: string, @Body() body: Record<string, unknown>) {
    const r = await this.referrals.act(user, leadNo, action, body ?? {}, true);
    await this.referrals.auditReporterViews(user, [r], 'api');
    return apiReferral(this.referrals.view(r, await this.referrals.handlerNames()), (await this.referrals.casesOf(r.id)).map((c) => c.caseNo));
  }
}
