import { Controller, Get, Inject, NotFoundException, Param, Render } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import { caseView } from '../cases/case-view';
import { CHANNEL_LABELS, FEEDBACK_METHOD_LABELS, VERIFICATION_OUTCOME_LABELS, VERIFY_METHOD_LABELS } from '../cases/case.enums';
import type { FeedbackMethod, VerificationOutcome, VerifyMethod } from '../cases/case.enums';

import { formatDate } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';

const DOCS = {
  'acceptance-notice': { view: 'print/acceptance-notice', title: '受理告知书' },
  'assignment-sheet': { view: 'print/assignment-sheet', title: '交办单' },
  reply: { view: 'print/reply', title: '处理意见书' },
} as const;

/**
 * Print-ready documents filled from the case (A4, print CSS): 受理告知书, 交办单, 处理意见书. The
 * reporter appears exactly as the viewer may see them (reporterFor), so a township printout never
 * names a complainant.
 */
@Controller('cases/:caseNo/print')
export class PrintController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: CaseQueryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async base(user: AuthUser, caseNo: string) {
    const c = await this.query.getByCaseNo(user, caseNo);
    const history = await this.query.history(c.id);
    const last = (action: string) => [...history].reverse().find((h) => h.action === action) ?? null;
    return { c, view: caseView(c, user), history, last };
  }

  @Get('acceptance-notice')
  @Roles('operator', 'supervisor', 'township')
  @Render('print/acceptance-notice')
  async acceptance(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const { c, view, last } = await this.base(user, caseNo);
    const accepted = last('accept');
    return {
      ...this.common('acceptance-notice'),
      c: view,
      channelLabel: CHANNEL_LABELS[c.channel],
      receivedDate: formatDate(c.receivedAt),
      acceptedDate: accepted ? formatDate(accepted.at) : null,
      notAccepted: c.closeReason === 'notAccepted' ? last('not-accept') : null,
    };
  }

  @Get('assignment-sheet')
  @Roles('operator', 'supervisor', 'township')
  @Render('print/assignment-sheet')
  async assignment(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const { c, view, last } = await this.base(user, caseNo);
    const assign = last('assign') ?? last('decide-objection');
    if (!c.assignedAt || !assign) throw new NotFoundException({ message: '该案件尚未交办' });
    const clocks = await this.dataSource.getRepository(CaseDeadline).find({ where: { caseId: c.id }, order: { id: 'DESC' } });
    const due = (stage: string) => clocks.find((d) => d.stage === stage)?.dueDate ?? null;
    return { ...this.common('assignment-sheet'), c: view, assignedDate: formatDate(assign.at), assignNote: assign.note, assignedBy: assign.actorName, ackDue: due('acknowledge'), verifyDue: due('verify') };
  }

  @Get('reply')
  @Roles('operator', 'supervisor', 'township')
  @Render('print/reply')
  async reply(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const { c, view, last } = await this.base(user, caseNo);
    if (c.status !== 'approved' && c.status !== 'closed') throw new NotFoundException({ message: '审核通过后才能出具处理意见书' });
    const verify = last('verify');
    const feedback = last('feedback');
    const approve = last('approve');
    const v = (verify?.data ?? {}) as { findings?: string; outcome?: VerificationOutcome; investigators?: string[]; visitDate?: string; methods?: VerifyMethod[] };
    const f = (feedback?.data ?? {}) as { method?: FeedbackMethod; content?: string; date?: string };
    return {
      ...this.common('reply'),
      c: view,
      receivedDate: formatDate(c.receivedAt),
      outcomeLabel: v.outcome ? VERIFICATION_OUTCOME_LABELS[v.outcome] : null,
      findings: v.findings ?? null,
      visitDate: v.visitDate ?? null,
      methods: (v.methods ?? []).map((m) => VERIFY_METHOD_LABELS[m]).join('、'),
      investigators: (v.investigators ?? []).join('、'),
      feedbackContent: f.content ?? null,
      feedbackMethod: f.method ? FEEDBACK_METHOD_LABELS[f.method] : null,
      approvedDate: approve ? formatDate(approve.at) : null,
    };
  }

  private common(doc: keyof typeof DOCS) {
    return { title: DOCS[doc].title, layout: 'layouts/print', bureau: this.config.bureauName };
  }
}

