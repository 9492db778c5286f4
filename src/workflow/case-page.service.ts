import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { RepeatsService } from '../repeats/repeats.service';
import { DataSource, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import {
  CHANNEL_LABELS,
  CALLBACK_RESULT_LABELS,
  CALLBACK_RESULTS,
  FEEDBACK_METHOD_LABELS,
  FEEDBACK_METHODS,
  options,
  VERIFICATION_OUTCOME_LABELS,
  VERIFICATION_OUTCOMES,
  VERIFY_METHOD_LABELS,
  VERIFY_METHODS,
} from '../cases/case.enums';
import { caseScopeSql } from '../cases/case-access';
import { caseView, historyView } from '../cases/case-view';
import { isReport } from '../cases/reporter-view';
import { Case } from '../cases/entities/case.entity';
import { formatDateTime } from '../common/time';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';
import { clockView } from '../deadlines/clock-view';
import { mayKnowOfLeads, referralScopeSql } from '../referrals/referral-access';
import { DISPOSAL_LABELS, REFERRAL_STATUS_LABELS } from '../referrals/referral.labels';
import { TownshipsService } from '../townships/townships.service';
import { WorkflowService } from './workflow.service';

/** Everything the case page shows: the case, its clocks, its history and the forms of the actions the user may take now. */
@Injectable()
export class CasePageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: CaseQueryService,
    private readonly workflow: WorkflowService,
    private readonly deadlines: DeadlinesService,
    private readonly townships: TownshipsService,
    @Inject(forwardRef(() => RepeatsService)) private readonly repeats: RepeatsService,
  ) {}

  private visibleCaseNos(user: AuthUser, ids: number[]): Promise<{ caseNo: string }[]> {
    const scope = caseScopeSql(user);
    return this.dataSource.query(`SELECT c.caseNo FROM cases c WHERE c.id IN (${ids.map(() => '?').join(', ')}) AND ${scope.sql} ORDER BY c.id`, [...ids, ...scope.params]);
  }

  async model(user: AuthUser, caseNo: string, extra: { actionErrors?: Record<string, string>; action?: string; values?: Record<string, unknown>; error?: string } = {}) {
    const c = await this.query.getByCaseNo(user, caseNo);
    const [history, matches, clocks] = await Promise.all([
      this.query.history(user, c),
      user.role === 'township' ? Promise.resolve([]) : this.query.personMatches(user, c.reporterPhone ?? undefined, c.reporterIdNumber ?? undefined, c.id),
      // a lead's clocks only for those who may know of leads
      this.dataSource.getRepository(CaseDeadline).find({ where: mayKnowOfLeads(user) ? { caseId: c.id } : { caseId: c.id, referralId: IsNull() }, order: { id: 'ASC' } }),
    ]);
    const actions = this.workflow.available(user, c);
    const needsTownships = actions.some((a) => a.action === 'assign' || a.action === 'decide-objection');
    const townships = needsTownships ? await this.townships.listWithVillages() : [];
    const today = this.deadlines.today();
    let assignPreview = null;
    if (actions.some((a) => a.action === 'assign')) {
      const [ack, verify] = await Promise.all([this.deadlines.preview('acknowledge', c.kind, c.program), this.deadlines.preview('verify', c.kind, c.program)]);
      assignPreview = { ack, verify };
    }
    const canRefer = user.role === 'supervisor' && c.status !== 'registered';
    const leadScope = referralScopeSql(user);
    const [referrals, liaisons] = await Promise.all([
      user.role === 'supervisor' || user.role === 'liaison'
        ? (this.dataSource.query(
            `SELECT r.leadNo, r.status, r.disposal, r.resultDate, r.resultSummary FROM referrals r JOIN referral_cases rc ON rc.referralId = r.id WHERE rc.caseId = ? AND ${leadScope.sql} ORDER BY r.id`,
            [c.id, ...leadScope.params],
          ) as Promise<{ leadNo: string; status: string; disposal: string | null; resultDate: string | null; resultSummary: string | null }[]>)
        : Promise.resolve([]),
      canRefer ? (this.dataSource.query(`SELECT id, displayName FROM users WHERE role = 'liaison' AND disabled = 0 ORDER BY id`) as Promise<{ id: number; displayName: string }[]>) : Promise.resolve([]),
    ]);
    const county = user.role === 'operator' || user.role === 'supervisor';
    const [likelyRepeats, repeatOf] = await Promise.all([
      county ? this.repeats.likely(c, user) : Promise.resolve([]),
      // the earlier case's number only if the user may see that case too
      c.repeatOfId ? this.visibleCaseNos(user, [c.repeatOfId]) : Promise.resolve([]),
    ]);
    const forms: Record<string, boolean> = {};
    for (const a of actions) forms[a.action.replace(/-/g, '_')] = true;
    return {
      title: c.caseNo,
      c: caseView(c, user),
      caseNo: c.caseNo,
      history: history.map(historyView),
      matches: matches.map((x) => ({ caseNo: x.caseNo, receivedAtText: formatDateTime(x.receivedAt), excerpt: x.content.slice(0, 40) })),
      clocks: clocks.map((d) => clockView(d, today)),
      actions: actions.map((a) => ({ action: a.action, label: a.label })),
      forms,
      townships,
      assignPreview,
      today,
      verifyMethodOptions: options(VERIFY_METHODS, VERIFY_METHOD_LABELS),
      outcomeOptions: options(VERIFICATION_OUTCOMES, VERIFICATION_OUTCOME_LABELS),
      feedbackMethodOptions: options(FEEDBACK_METHODS, FEEDBACK_METHOD_LABELS),
      callbackOptions: options(CALLBACK_RESULTS, CALLBACK_RESULT_LABELS),
      printable: user.role !== 'liaison',
      likelyRepeats,
      repeatOfCaseNo: repeatOf[0]?.caseNo ?? null,
      canDecideRepeats: county,
      canRefer,
      liaisons,
      referrals: referrals.map((r) => ({ ...r, statusLabel: REFERRAL_STATUS_LABELS[r.status as keyof typeof REFERRAL_STATUS_LABELS], disposalLabel: r.disposal ? DISPOSAL_LABELS[r.disposal as keyof typeof DISPOSAL_LABELS] : null })),
      referSource: `${c.caseNo}（${CHANNEL_LABELS[c.channel]}）`,
      canDisclose:
        user.role === 'supervisor' && c.reporterType === 'realName' && isReport(c) && !!c.assignedAt && !!c.townshipId && c.reporterDisclosedToTownshipId !== c.townshipId,
      disclosedNote: c.reporterDisclosedToTownshipId ? c.reporterDisclosureReason : null,
      actionError: extra.error ?? null,
      openAction: extra.action ?? null,
      errors: extra.actionErrors ?? {},
      values: extra.values ?? {},
    };
  }
}

export type CasePageModel = Awaited<ReturnType<CasePageService['model']>>;
export type { Case };
