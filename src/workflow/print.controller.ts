import { RegionsService } from '../regions/regions.service';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import { caseView } from '../cases/case-view';
import { replyBy } from '../cases/reporter-view';
import { CHANNEL_LABELS, VERIFICATION_OUTCOME_LABELS, VERIFY_METHOD_LABELS } from '../cases/case.enums';
import type { VerifyMethod } from '../cases/case.enums';
import { formatDate } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { dueText } from '../deadlines/due-text';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';
import { normaliseQueryCode } from '../lookup/lookup.service';
import { QueryCodeService } from '../lookup/query-code.service';
import { contentFor, DOCUMENTS, documentHeader, DocumentKey, publicText, reporterForDocument } from '../documents/documents';

/**
 * Print-ready documents filled from the case (A4, print CSS): 受理告知书 and 处理意见书 go to the
 * reporter (the public), the 交办单 to the township. What each shows of the people of the case is
 * decided by its addressee and the viewer together (documents/documents.ts), so the county
 * printing a 交办单 for the township prints what the township may see, never the complainant.
 */
@Controller('cases/:caseNo/print')
export class PrintController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: CaseQueryService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly codes: QueryCodeService,
    private readonly regions: RegionsService,
  ) {}

  /** The status page's address as the public reaches it (PUBLIC_BASE_URL, else as this browser did). */
  private lookupUrl(req: Request): string {
    return `${this.config.publicBaseUrl ?? `${req.protocol}://${req.get('host')}`}/lookup`;
  }

  private async base(user: AuthUser, caseNo: string, key: DocumentKey) {
    const c = await this.query.getByCaseNo(user, caseNo);
    const history = await this.query.history(user, c);
    const last = (action: string) => [...history].reverse().find((h) => h.action === action) ?? null;
    const reporter = reporterForDocument(user, c, DOCUMENTS[key].addressee);
    // a reporter disclosed to the township, printed on a document for it: a view of that identity
    if (reporter.disclosed && user.role !== 'township') {
      await this.audit.record(user, 'reporter.view', 'case', c.caseNo, { reason: c.reporterDisclosureReason, document: DOCUMENTS[key].title });
    }
    const view = { ...caseView(c, user), reporter, content: contentFor(reporter, c) };
    return { c, view, last, header: { ...documentHeader(key, c), layout: 'layouts/print', bureau: await this.regions.bureauOf(c.countyCode) } };
  }

  private async acceptanceModel(user: AuthUser, caseNo: string, req: Request) {
    const { c, view, last, header } = await this.base(user, caseNo, 'acceptance-notice');
    const accepted = last('accept');
    const refused = c.closeReason === 'notAccepted' ? last('not-accept') : null;
    return {
      c,
      model: {
        ...header,
        c: view,
        channelLabel: CHANNEL_LABELS[c.channel],
        receivedDate: formatDate(c.receivedAt),
        acceptedDate: accepted ? formatDate(accepted.at) : null,
        notAccepted: refused ? { reason: publicText(refused.note, c) } : null,
        lookupUrl: this.lookupUrl(req),
        queryCode: null as string | null,
      },
    };
  }

  @Get('acceptance-notice')
  @Roles('operator', 'supervisor', 'township')
  @Render('print/acceptance-notice')
  async acceptance(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Req() req: Request) {
    return (await this.acceptanceModel(user, caseNo, req)).model;
  }

  /**
   * The notice with the query code, in the step that issued it (intake or reissue): only the code's
   * keyed hash is stored, so the operator's page sends the code it was just shown, and it is
   * printed only if it is the case's current one.
   */
  @Post('acceptance-notice')
  @HttpCode(200)
  @Roles('operator', 'supervisor')
  async acceptanceWithCode(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { c, model } = await this.acceptanceModel(user, caseNo, req);
    if (!this.codes.isCurrent(c, body.code)) {
      res.status(400).render('errors/error', { title: '查询码已失效', status: 400, message: '该查询码不是本案件当前的查询码（可能已重新发放）。如需打印含查询码的受理告知书，请在案件页重新发放查询码。' });
      return;
    }
    res.render('print/acceptance-notice', { ...model, queryCode: normaliseQueryCode(body.code) });
  }

  @Get('assignment-sheet')
  @Roles('operator', 'supervisor', 'township')
  @Render('print/assignment-sheet')
  async assignment(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const { c, view, last, header } = await this.base(user, caseNo, 'assignment-sheet');
    const assign = last('assign') ?? last('decide-objection');
    if (!c.assignedAt || !assign) throw new NotFoundException({ message: '该案件尚未交办' });
    const clocks = await this.dataSource.getRepository(CaseDeadline).find({ where: { caseId: c.id }, order: { id: 'DESC' } });
    // never a blank date: a year without its calendar says so
    const due = (stage: string) => dueText(clocks.find((d) => d.stage === stage && d.referralId === null));
    // the county's note on the hand-over, for the township: patterns masked when the complainant is withheld
    const assignNote = view.reporter.withheld ? contentFor(view.reporter, { content: assign.note ?? '', reporterName: c.reporterName }) : assign.note;
    return { ...header, c: view, assignedDate: formatDate(assign.at), assignNote, assignedBy: assign.actorName, ackDue: due('acknowledge'), verifyDue: due('verify'), replyByCounty: replyBy(c) === 'county', anonymous: c.reporterType === 'anonymous' };
  }

  /**
   * 处理意见书: the verification outcome and the reply the county approved, nothing of the
   * township's internal notes; names starred, numbers masked, a minor never named.
   */
  @Get('reply')
  @Roles('operator', 'supervisor', 'township')
  @Render('print/reply')
  async reply(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const { c, view, last, header } = await this.base(user, caseNo, 'reply');
    if (c.status !== 'approved' && c.status !== 'closed') throw new NotFoundException({ message: '审核通过后才能出具处理意见书' });
    const verify = last('verify');
    const v = (verify?.data ?? {}) as { visitDate?: string; methods?: VerifyMethod[] };
    const approvedAt = c.replyApprovedAt ?? last('approve')?.at ?? last('answer')?.at ?? null;
    return {
      ...header,
      c: view,
      receivedDate: formatDate(c.receivedAt),
      outcomeLabel: c.verificationOutcome ? VERIFICATION_OUTCOME_LABELS[c.verificationOutcome] : null,
      visitDate: v.visitDate ?? null,
      methods: (v.methods ?? []).map((m) => VERIFY_METHOD_LABELS[m]).join('、'),
      replyText: c.replyText ? publicText(c.replyText, c) : null,
      approvedDate: approvedAt ? formatDate(approvedAt) : null,
    };
  }
}
