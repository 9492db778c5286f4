import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { RepeatsService } from '../repeats/repeats.service';
import { DataSource, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import {
  CHANNEL_LABELS,
  CHANNELS,
  CALLBACK_RESULT_LABELS,
  CALLBACK_RESULTS,
  FEEDBACK_METHOD_LABELS,
  FEEDBACK_METHODS,
  NOTICE_KIND_LABELS,
  NOTICE_METHOD_LABELS,
  NOTICE_METHODS,
  options,
  RECHECK_RESULT_LABELS,
  RECHECK_RESULTS,
  REVIEW_DECISION_LABELS,
  REVIEW_DECISIONS,
  REVIEW_STATE_LABELS,
  VERIFICATION_OUTCOME_LABELS,
  VERIFICATION_OUTCOMES,
  VERIFY_METHOD_LABELS,
  VERIFY_METHODS,
} from '../cases/case.enums';
import { caseView, historyView } from '../cases/case-view';
import { isReport, REPLY_BY_LABELS, replyBy } from '../cases/reporter-view';
import { Case } from '../cases/entities/case.entity';
import type { CaseHistory } from '../cases/entities/case-history.entity';
import { formatDateTime } from '../common/time';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { dueText } from '../deadlines/due-text';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';
import { clockView } from '../deadlines/clock-view';
import { mayKnowOfLeads } from '../referrals/referral-access';
import { visibleLeadsOfCase } from '../referrals/referrals.repository';
import { DISPOSAL_LABELS, REFERRAL_STATUS_LABELS } from '../referrals/referral.labels';
import { REGION_LEVEL_LABELS } from '../regions/entities/region.entity';
import { TownshipsService } from '../townships/townships.service';
import { User } from '../users/entities/user.entity';
import { visibleCaseNo } from './workflow.repository';
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
    const townships = needsTownships ? await this.townships.listWithVillages(user) : [];
    const today = this.deadlines.today();
    let assignPreview = null;
    if (actions.some((a) => a.action === 'assign')) {
      const [ack, verify] = await Promise.all([this.deadlines.preview('acknowledge', c), this.deadlines.preview('verify', c)]);
      assignPreview = { ack, verify };
    }
    const canRefer = user.role === 'supervisor' && c.status !== 'registered';
    const [referrals, liaisons] = await Promise.all([
      user.role === 'supervisor' || user.role === 'liaison' ? visibleLeadsOfCase(this.dataSource.manager, user, c.id) : Promise.resolve([]),
      canRefer
        ? this.dataSource.getRepository(User).find({ select: { id: true, displayName: true }, where: { role: 'liaison', disabled: false, regionCode: c.countyCode }, order: { id: 'ASC' } })
        : Promise.resolve([]),
    ]);
    const county = user.role === 'operator' || user.role === 'supervisor';
    const [likelyRepeats, repeatOf] = await Promise.all([
      county ? this.repeats.likely(c, user) : Promise.resolve([]),
      // the earlier case's number only if the user may see that case too
      c.repeatOfId ? visibleCaseNo(this.dataSource.manager, user, c.repeatOfId) : Promise.resolve(null),
    ]);
    const views = history.map(historyView);
    const forms: Record<string, boolean> = {};
    for (const a of actions) forms[a.action.replace(/-/g, '_')] = true;
    return {
      title: c.caseNo,
      c: caseView(c, user),
      caseNo: c.caseNo,
      history: views,
      sentBack: sentBackBanner(c, history),
      replyByLabel: REPLY_BY_LABELS[replyBy(c)],
      matches: matches.map((x) => ({ caseNo: x.caseNo, receivedAtText: formatDateTime(x.receivedAt), excerpt: x.content.slice(0, 40) })),
      clocks: clocks.map((d) => clockView(d, today)),
      actions: actions.map((a) => ({ action: a.action, label: a.label })),
      forms,
      // 督办 from above the county says so, and tells the county's supervisors as well as the township
      urgeForm: user.level && user.level !== 'county'
        ? { label: `${REGION_LEVEL_LABELS[user.level]}督办`, noteLabel: '督办意见（将通知县督办员和承办乡镇）' }
        : { label: '督办', noteLabel: '督办意见（将醒目显示给承办乡镇）' },
      townships,
      assignPreview,
      today,
      verifyMethodOptions: options(VERIFY_METHODS, VERIFY_METHOD_LABELS),
      outcomeOptions: options(VERIFICATION_OUTCOMES, VERIFICATION_OUTCOME_LABELS),
      feedbackMethodOptions: options(FEEDBACK_METHODS, FEEDBACK_METHOD_LABELS),
      callbackOptions: options(CALLBACK_RESULTS, CALLBACK_RESULT_LABELS),
      noticeMethodOptions: options(NOTICE_METHODS, NOTICE_METHOD_LABELS),
      reviewDecisionOptions: options(REVIEW_DECISIONS, REVIEW_DECISION_LABELS),
      recheckResultOptions: options(RECHECK_RESULTS, RECHECK_RESULT_LABELS),
      rules: rulesView(c, history, clocks, today),
      printable: user.role !== 'liaison',
      likelyRepeats,
      // 催办: the reporter's chase calls on this case, from its history
      chaseCount: history.filter((h) => h.type === 'note' && h.action === 'chase').length,
      canChase: county && c.status !== 'closed',
      canReissueCode: county,
      channelOptions: options(CHANNELS, CHANNEL_LABELS),
      repeatOfCaseNo: repeatOf,
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

/**
 * While the township redoes a case the county handed back (退回重办, or a dissatisfied callback),
 * the reason stands above every older banner, with what the township must do before resubmitting.
 */
function sentBackBanner(c: Case, history: CaseHistory[]): { title: string; at: Date; note: string | null; needsVerification: boolean } | null {
  if (c.status !== 'verifying') return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    if (h.action === 'submit' || h.action === 'assign' || h.action === 'decide-objection') return null;
    const back = h.action === 'send-back' || (h.action === 'callback' && (h.data as { result?: string } | null)?.result === 'dissatisfied');
    if (back) return { title: h.action === 'send-back' ? '退回重办' : '回访不满意，退回重新核实', at: h.at, note: h.note, needsVerification: !c.verifiedAt };
  }
  return null;
}

/** What the case page says of the rules that run on it: the written notice, the review, the recipient's death. */
function rulesView(c: Case, history: { action: string | null; note: string | null }[], clocks: CaseDeadline[], today: string) {
  const clock = (stage: CaseDeadline['stage']) => clocks.filter((d) => d.stage === stage && d.referralId === null).pop();
  const notice = clock('receiptNotice');
  let noticeText: string | null = null;
  if (c.receiptNoticeDate && c.receiptNoticeKind && c.receiptNoticeMethod) {
    noticeText = `${NOTICE_KIND_LABELS[c.receiptNoticeKind]}已于 ${c.receiptNoticeDate} ${NOTICE_METHOD_LABELS[c.receiptNoticeMethod]}${notice?.late ? '（超过15日期限）' : ''}`;
  } else if (c.reporterType === 'anonymous') noticeText = '匿名反映，无需书面告知';
  else if (notice?.status === 'open') noticeText = `未书面告知（应于 ${dueText(notice)} 前告知${notice.dueDate && today > notice.dueDate ? '，已超期' : ''}）`;
  const death = clock('deathRecheck');
  const deathText = c.recipientDeathDate
    ? `${c.recipientDeathDate} 死亡；${c.deathRecheckResult ? `家庭复核：${RECHECK_RESULT_LABELS[c.deathRecheckResult]}` : `应于 ${dueText(death)} 前复核家庭情况`}`
    : null;
  const notAccept = [...history].reverse().find((h) => h.action === 'not-accept');
  const reviewDue = (d: CaseDeadline | undefined) => (d?.status === 'open' ? `（意见应于 ${dueText(d)} 前作出${d.dueDate && today > d.dueDate ? '，已超期' : ''}）` : '');
  return {
    noticeText,
    nonAcceptance: c.closeReason === 'notAccepted',
    noticeKindLabel: NOTICE_KIND_LABELS[c.closeReason === 'notAccepted' ? 'nonAcceptance' : 'acceptance'],
    notAcceptReason: notAccept?.note ?? '',
    reviewText: c.reviewState ? `${REVIEW_STATE_LABELS[c.reviewState]}${reviewDue(clock('rereview') ?? clock('review'))}` : null,
    deathText,
  };
}

export type CasePageModel = Awaited<ReturnType<CasePageService['model']>>;
export type { Case };
