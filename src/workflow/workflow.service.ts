import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import {
  CALLBACK_RESULT_LABELS,
  CaseStatus,
  CloseReason,
  DEATH_RECHECK_PROGRAMS,
  NOTICE_KIND_LABELS,
  NOTICE_METHOD_LABELS,
  RECHECK_RESULT_LABELS,
  REVIEW_DECISION_LABELS,
  VERIFICATION_OUTCOME_LABELS,
} from '../cases/case.enums';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { actorFields, HandOverData, TransitionData, TransitionEntryKind } from '../cases/history/history-entry';
import { Case } from '../cases/entities/case.entity';
import { REPLY_BY_LABELS, replyBy } from '../cases/reporter-view';
import { Clock } from '../common/clock';
import { contentFor, reporterForDocument } from '../documents/documents';
import { shanghaiDate } from '../common/time';
import { FieldError, InputInvalidException, validateInput } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { dueText } from '../deadlines/due-text';
import { STAGE_LABELS, TOWNSHIP_STAGES } from '../deadlines/stages';
import { activeUserIds } from '../notifications/notifications.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { applyProtection, recusedInTownship } from '../protection/matching';
import { Region } from '../regions/entities/region.entity';
import { Township } from '../townships/entities/township.entity';
import type * as D from './dto/actions.dto';
import { ACTION_DTOS } from './dto/actions.dto';
import { ActionName, ACTIONS, gate, isReviewAction, nextState, REVIEW_STEPS, ReviewAction, reviewStepAllowed, Transition, TRANSITION_BY_ACTION, UNREACHABLE_ATTEMPTS } from './transitions';
import { ActionForbiddenException, TransitionNotAllowedException } from './workflow.errors';

/** What an action's effect decides besides the state the table gives. */
interface Effect {
  to?: CaseStatus;
  note?: string | null;
  /** The history entry's kind with its data; actions without data leave it out. */
  kind?: TransitionEntryKind;
  closeReason?: CloseReason;
}

/** A transition entry: the action decides the data's type. */
function kind<A extends ActionName>(action: A, data: TransitionData[A]): TransitionEntryKind {
  return { type: 'transition', action, data } as TransitionEntryKind;
}

type NoDataAction = { [A in ActionName]: TransitionData[A] extends null ? A : never }[ActionName];
const NO_DATA: ReadonlySet<ActionName> = new Set<NoDataAction>(['accept', 'not-accept', 'answer', 'acknowledge', 'close', 'reopen']);

/** The entry of an action whose effect recorded no data; an action that should have is a bug, not a silent null. */
function withoutData(action: ActionName): TransitionEntryKind {
  if (!NO_DATA.has(action)) throw new Error(`action ${action} must record its data in the history`);
  return kind(action as NoDataAction, null);
}

type Ctx = { m: EntityManager; c: Case; actor: AuthUser; input: Record<string, unknown>; today: string; now: Date; from: CaseStatus };

/**
 * Carries out the actions of the lifecycle table on one case: access, state, input, effects on
 * the case and its clocks, and one history row per action, all in one write transaction.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly query: CaseQueryService,
    private readonly deadlines: DeadlinesService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly history: CaseHistoryWriter,
  ) {}

  /** The actions this user could take on this case now (for the case page). */
  available(actor: AuthUser, c: Case): Transition[] {
    const by = replyBy(c);
    return ACTIONS.map((a) => TRANSITION_BY_ACTION.get(a)!).filter(
      (t) =>
        gate(t, actor.role, c.status, actor.level) === 'ok' &&
        (t.action !== 'answer' || c.kind === 'consultation') &&
        (t.action !== 'decide-extension' || c.pendingExtensionDays !== null) &&
        (t.action !== 'request-extension' || c.pendingExtensionDays === null) &&
        (t.action !== 'feedback' || by === 'township') &&
        (t.action !== 'county-reply' || (by === 'county' && !c.feedbackAt)) &&
        (t.action !== 'supplement' || (c.verificationOutcome !== null && !c.verifiedAt)) &&
        ruleActionAvailable(t.action, c),
    );
  }

  /**
   * 404 if the user may not see the case (or the action does not exist), 403 if their role may
   * never take the action, 409 if the case's state does not allow it, 400 for bad input.
   */
  async perform(actor: AuthUser, caseNo: string, action: string, raw: unknown, strict: boolean): Promise<Case> {
    const t = TRANSITION_BY_ACTION.get(action as ActionName);
    if (!t) throw new NotFoundException({ message: '没有这项操作' });
    const visible = await this.query.getByCaseNo(actor, caseNo);
    const allowed = gate(t, actor.role, visible.status, actor.level);
    if (allowed === 'forbidden') throw new ActionForbiddenException(action);
    if (allowed === 'notAllowed') throw new TransitionNotAllowedException(visible.status, t.action);
    const { value, errors } = this.checkInput(t.action, raw, strict);
    if (errors.length) throw new InputInvalidException(errors);
    const caseId = await this.writer.write(async (m) => (await this.performIn(m, actor, visible.id, t.action, value)).id);
    return this.dataSource.getRepository(Case).findOneOrFail({ where: { id: caseId }, relations: { township: true, village: true, createdBy: true } });
  }

  /** The action's input as its DTO reads it, with every field problem (before anything is written). */
  checkInput(action: ActionName, raw: unknown, strict: boolean): { value: Record<string, unknown>; errors: FieldError[] } {
    const { value, errors } = validateInput(ACTION_DTOS[action], raw, strict);
    return { value: value as unknown as Record<string, unknown>, errors };
  }

  /**
   * One action on a case inside the caller's write transaction, `input` checked by checkInput:
   * the state read again (a concurrent action may have moved the case), the role and the state
   * checked against the table, the effect, the case, one history row and the clocks. perform()
   * runs it alone; intake runs several in the transaction that creates the case (登记并当场解答,
   * 登记受理并交办), so those steps obey exactly the rules they obey one by one.
   */
  async performIn(m: EntityManager, actor: AuthUser, caseId: number, action: ActionName, input: Record<string, unknown>): Promise<Case> {
    const t = TRANSITION_BY_ACTION.get(action)!;
    const c = await m.getRepository(Case).findOneByOrFail({ id: caseId });
    const allowed = gate(t, actor.role, c.status, actor.level);
    if (allowed === 'forbidden') throw new ActionForbiddenException(action);
    if (allowed === 'notAllowed') throw new TransitionNotAllowedException(c.status, t.action);
    const now = this.clock.now();
    const ctx: Ctx = { m, c, actor, input, today: this.deadlines.today(), now, from: c.status };
    const effect = await this.effect(t, ctx);
    const to = effect.to ?? nextState(t, c.status, input) ?? c.status;
    c.status = to;
    c.updatedAt = now;
    // (an action on a closed case that keeps it closed, such as a review, does not close it again)
    if (to === 'closed' && ctx.from !== 'closed') {
      c.closedAt = now;
      c.closeReason = effect.closeReason ?? c.closeReason ?? 'other';
      await this.deadlines.close(m, c.id, ['acknowledge', 'verify', 'redo', 'overall'], 'met');
      await this.deadlines.cancelPaused(m, c.id);
    }
    await m.getRepository(Case).save(c);
    await this.history.append(m, {
      ...(effect.kind ?? withoutData(t.action)),
      caseId: c.id,
      at: now,
      ...actorFields(actor),
      fromStatus: ctx.from,
      toStatus: to,
      note: effect.note ?? (input.note as string | undefined) ?? (input.reason as string | undefined) ?? null,
    });
    await this.deadlines.syncCases(m, [c.id]);
    return c;
  }

  private async effect(t: Transition, x: Ctx): Promise<Effect> {
    const { m, c, input, today, now, actor } = x;
    switch (t.action) {
      case 'accept':
        await this.deadlines.start(m, c, 'overall', today);
        await this.countyStep(m, c, 'accepted', today);
        return {};
      case 'not-accept':
        await this.countyStep(m, c, 'closed', today);
        return { closeReason: 'notAccepted' };
      case 'answer':
        if (c.kind !== 'consultation') throw new TransitionNotAllowedException(c.status, t.action, '只有政策咨询可以当场解答');
        // the county's own answer is the reply to the caller
        c.replyText = input.answer as string;
        c.replyApprovedAt = now;
        await this.countyStep(m, c, 'closed', today);
        // answered in the call: nothing is left to notify in writing (decision in DESIGN)
        await this.deadlines.close(m, c.id, ['receiptNotice'], 'cancelled');
        return { closeReason: 'answered', note: input.answer as string };
      case 'assign': {
        const township = await this.activeTownship(m, (input as unknown as D.AssignDto).townshipId, 'townshipId');
        await this.countyStep(m, c, 'assigned', today);
        const handed = await this.handOver(x, township, 'assign');
        return { note: handed.note, kind: kind('assign', handed.data) };
      }
      case 'acknowledge':
        c.acknowledgedAt = now;
        await this.deadlines.close(m, c.id, ['acknowledge'], 'met');
        return {};
      case 'object': {
        const window = await this.deadlines.preview('objection', c, assignedDay(c));
        if (window.dueDate && today > window.dueDate) {
          throw new TransitionNotAllowedException(c.status, t.action, `已超过提出异议的期限（交办后5个工作日，截至 ${window.dueDate}）`);
        }
        await this.deadlines.close(m, c.id, ['acknowledge'], 'met');
        await this.deadlines.pause(m, c, ['verify', 'redo']);
        const dto = input as unknown as D.ObjectDto;
        await this.notifyCounty(m, c, 'supervisor', `object:${c.id}:${now.getTime()}`, `案件 ${c.caseNo} 的承办乡镇提出异议，请处理`);
        return { note: dto.reasons, kind: kind('object', { suggestedTownshipId: dto.suggestedTownshipId ?? null }) };
      }
      case 'decide-objection': {
        const dto = input as unknown as D.DecideObjectionDto;
        if (dto.decision === 'keep') {
          c.acknowledgedAt ??= now;
          const resumed = await this.deadlines.resume(m, c);
          const due = resumed.find((d) => d.stage === 'verify' || d.stage === 'redo');
          await this.notifyTownship(m, actor, c, `objection-kept:${c.id}:${now.getTime()}`, `案件 ${c.caseNo} 的异议未被采纳，维持交办，请于 ${due ? dueText(due) : '原期限'} 前办理。理由：`, dto.reason);
          return { kind: kind('decide-objection', { decision: 'keep' }), note: dto.reason };
        }
        if (!dto.townshipId) throw new InputInvalidException([{ field: 'townshipId', message: '改派须选择新的承办乡镇' }]);
        if (dto.townshipId === c.townshipId) throw new InputInvalidException([{ field: 'townshipId', message: '改派的乡镇与原承办乡镇相同' }]);
        const township = await this.activeTownship(m, dto.townshipId, 'townshipId');
        await this.deadlines.cancelPaused(m, c.id);
        const before = c.townshipId;
        const handed = await this.handOver(x, township, 'reassign');
        // the township that objected no longer sees the case: a notice without a link
        if (before) await this.notifications.notify(m, await this.notifications.recipientIds(m, c.countyCode, before, false), null, 'handOver', `objection-accepted:${c.id}:${now.getTime()}`, `案件 ${c.caseNo} 的异议已采纳，已改派${township.name}办理`);
        return { note: dto.reason, kind: kind('decide-objection', { decision: 'reassign', ...handed.data }) };
      }
      case 'verify': {
        const dto = input as unknown as D.VerifyDto;
        if (dto.visitDate > today) throw new InputInvalidException([{ field: 'visitDate', message: '走访日期不能晚于今天' }]);
        c.verificationOutcome = dto.outcome;
        c.verifiedAt = now;
        return {
          note: `核实结论：${VERIFICATION_OUTCOME_LABELS[dto.outcome]}。${dto.findings}`,
          kind: kind('verify', { investigators: dto.investigators, visitDate: dto.visitDate, methods: dto.methods, findings: dto.findings, outcome: dto.outcome }),
        };
      }
      case 'supplement': {
        // after a send-back (or a dissatisfied callback): adds to the verification the township has
        if (!c.verificationOutcome) throw new TransitionNotAllowedException(c.status, t.action, '尚未记录核实情况，请先记录核实情况');
        const dto = input as unknown as D.SupplementDto;
        if (dto.outcome) c.verificationOutcome = dto.outcome;
        c.verifiedAt = now;
        return {
          note: `补充核实情况${dto.outcome ? `（核实结论：${VERIFICATION_OUTCOME_LABELS[dto.outcome]}）` : ''}：${dto.findings}`,
          kind: kind('supplement', { findings: dto.findings, outcome: dto.outcome ?? null }),
        };
      }
      case 'feedback': {
        const by = replyBy(c);
        if (by !== 'township') throw new TransitionNotAllowedException(c.status, t.action, REPLY_BY_LABELS[by]);
        const dto = input as unknown as D.FeedbackDto;
        if (dto.date > today) throw new InputInvalidException([{ field: 'date', message: '答复日期不能晚于今天' }]);
        c.feedbackAt = now;
        return { note: dto.content, kind: kind('feedback', { method: dto.method, date: dto.date, content: dto.content }) };
      }
      case 'submit': {
        if (!c.verifiedAt) {
          throw new TransitionNotAllowedException(
            c.status,
            t.action,
            c.verificationOutcome ? '案件退回后须重新记录核实情况或补充核实情况，才能再次提交审核' : '提交审核前须先记录核实情况',
          );
        }
        // only the township that answers the reporter records the answer before review
        if (replyBy(c) === 'township' && !c.feedbackAt) throw new TransitionNotAllowedException(c.status, t.action, '提交审核前须先记录答复反映人的情况');
        // the reply to the reporter, drafted here, approved by the county; nobody answers an anonymous report
        const draft = (input as unknown as D.SubmitDto).replyDraft ?? null;
        if (c.reporterType !== 'anonymous' && !draft) throw new InputInvalidException([{ field: 'replyDraft', message: '请填写拟答复反映人的意见（经县级审核后告知反映人）' }]);
        c.replyDraft = c.reporterType === 'anonymous' ? null : draft;
        await this.deadlines.close(m, c.id, ['verify', 'redo'], 'met');
        c.pendingExtensionDays = null;
        c.pendingExtensionReason = null;
        await this.notifyCounty(m, c, 'supervisor', `submit:${c.id}:${now.getTime()}`, `案件 ${c.caseNo} 已由乡镇提交审核`);
        return { kind: kind('submit', c.replyDraft ? { replyDraft: c.replyDraft } : null) };
      }
      case 'approve': {
        if (c.relativeFlag && !c.countyVisitAt) {
          throw new TransitionNotAllowedException(c.status, t.action, '该案件涉及近亲属备案（单独登记），审核通过前须由县级入户核查');
        }
        await this.deadlines.close(m, c.id, ['overall'], 'met');
        if (c.reporterType === 'anonymous') return { kind: kind('approve', null) };
        const edited = (input as unknown as D.ApproveDto).replyText;
        const reply = edited ?? c.replyDraft;
        if (!reply) throw new InputInvalidException([{ field: 'replyText', message: '乡镇未拟答复意见，请填写答复反映人的意见' }]);
        c.replyText = reply;
        c.replyApprovedAt = now;
        return { kind: kind('approve', { replyText: reply, edited: !!edited && edited !== c.replyDraft }) };
      }
      case 'county-visit': {
        const dto = input as unknown as D.CountyVisitDto;
        if (dto.visitDate > today) throw new InputInvalidException([{ field: 'visitDate', message: '入户日期不能晚于今天' }]);
        c.countyVisitAt = now;
        return {
          note: `县级入户核查（${dto.visitors.join('、')}，${dto.visitDate}）：${dto.findings}`,
          kind: kind('county-visit', { visitors: dto.visitors, visitDate: dto.visitDate, findings: dto.findings }),
        };
      }
      case 'send-back': {
        // A fresh township deadline for redoing (DOMAIN §6, default 10 working days), and a new
        // verification (or a supplement to the old one) before the township may resubmit.
        const d = await this.deadlines.start(m, c, 'redo', today);
        c.verifiedAt = null;
        const reason = (input as unknown as D.ReasonDto).reason;
        await this.notifyTownship(m, actor, c, `send-back:${c.id}:${now.getTime()}`, `案件 ${c.caseNo} 被退回重办，请于 ${dueText(d)} 前重新办理。退回理由：`, reason);
        return { kind: kind('send-back', { redoDue: d.dueDate }) };
      }
      case 'county-reply': {
        const by = replyBy(c);
        if (by !== 'county') throw new TransitionNotAllowedException(c.status, t.action, REPLY_BY_LABELS[by]);
        if (c.feedbackAt) throw new TransitionNotAllowedException(c.status, t.action, '已记录答复反映人的情况');
        const dto = input as unknown as D.CountyReplyDto;
        if (dto.date > today) throw new InputInvalidException([{ field: 'date', message: '答复日期不能晚于今天' }]);
        c.feedbackAt = now;
        return { note: dto.note ?? '已将审核通过的答复意见告知反映人', kind: kind('county-reply', { method: dto.method, date: dto.date }) };
      }
      case 'request-extension':
        return this.requestExtension(x);
      case 'decide-extension':
        return this.decideExtension(x);
      case 'callback':
        return this.callback(x);
      case 'urge':
        return this.urge(x);
      case 'close':
        this.requireCountyReply(c, 'close');
        return { closeReason: 'other' };
      case 'reopen':
        c.closedAt = null;
        c.closeReason = null;
        c.callbackAttempts = 0;
        c.callbackResult = null;
        // a reopened case is verified and answered again before it goes back to review
        c.verifiedAt = null;
        c.feedbackAt = null;
        await this.deadlines.start(m, c, 'overall', today);
        await this.countyStep(m, c, 'accepted', today);
        return {};
      case 'record-notice':
        return this.recordNotice(x);
      case 'request-review':
      case 'request-rereview':
        return this.requestReview(x, t.action);
      case 'decide-review':
      case 'decide-rereview':
        return this.decideReview(x, t.action);
      case 'record-death':
        return this.recordDeath(x);
      case 'record-recheck':
        return this.recordRecheck(x);
    }
  }

  /**
   * The county's own clocks (县局默认, editable): accepting a registered case (countyAccept, from
   * intake) and assigning an accepted one (countyAssign). Each step ends the clock of the step
   * before; a case accepted again (reopened) is due for assignment again.
   */
  private async countyStep(m: EntityManager, c: Case, to: 'accepted' | 'assigned' | 'closed', today: string): Promise<void> {
    await this.deadlines.close(m, c.id, to === 'assigned' ? ['countyAssign'] : ['countyAccept'], 'met');
    if (to === 'accepted') await this.deadlines.start(m, c, 'countyAssign', today);
  }

  /** 书面告知 (《信访工作条例》第二十三条): the notice of acceptance or non-acceptance, its day and way; ends the 15-day clock. */
  private async recordNotice(x: Ctx): Promise<Effect> {
    const { m, c, today } = x;
    const dto = x.input as unknown as D.RecordNoticeDto;
    if (c.reporterType === 'anonymous') throw new TransitionNotAllowedException(c.status, 'record-notice', '匿名反映无需书面告知（《信访工作条例》第二十三条：信访人姓名、住址不清的除外）');
    if (c.closeReason === 'answered') throw new TransitionNotAllowedException(c.status, 'record-notice', '当场解答的咨询已在来电时答复，无需书面告知');
    if (c.receiptNoticeDate) throw new TransitionNotAllowedException(c.status, 'record-notice', `已于 ${c.receiptNoticeDate} 书面告知`);
    const received = shanghaiDate(c.receivedAt);
    if (dto.date > today) throw new InputInvalidException([{ field: 'date', message: '告知日期不能晚于今天' }]);
    if (dto.date < received) throw new InputInvalidException([{ field: 'date', message: `告知日期不能早于收到日期 ${received}` }]);
    const kindOf = c.closeReason === 'notAccepted' ? 'nonAcceptance' : 'acceptance';
    if (kindOf === 'nonAcceptance' && !dto.reason) throw new InputInvalidException([{ field: 'reason', message: '不予受理告知须写明不予受理的理由' }]);
    const clock = await this.deadlines.meet(m, c.id, 'receiptNotice', dto.date);
    c.receiptNoticeKind = kindOf;
    c.receiptNoticeMethod = dto.method;
    c.receiptNoticeDate = dto.date;
    const late = !!clock?.late;
    return {
      note: `${NOTICE_KIND_LABELS[kindOf]}（${NOTICE_METHOD_LABELS[dto.method]}，${dto.date}）${late ? `，超过期限 ${clock!.dueDate}` : ''}${kindOf === 'nonAcceptance' ? `：${dto.reason}` : ''}`,
      kind: kind('record-notice', { kind: kindOf, method: dto.method, date: dto.date, late, dueDate: clock?.dueDate ?? null, ...(kindOf === 'nonAcceptance' ? { reason: dto.reason } : {}) }),
    };
  }

  /**
   * 复查 / 复核 requests (《信访工作条例》第三十五条、第三十六条): within the window after the written
   * reply (the day the case was closed) or after the review decision; the decision's 30-day clock
   * runs from the day the request came in.
   */
  private async requestReview(x: Ctx, action: Extract<ReviewAction, 'request-review' | 'request-rereview'>): Promise<Effect> {
    const { m, c, today } = x;
    const dto = x.input as unknown as D.RequestReviewDto;
    this.checkReviewStep(c, action);
    const re = action === 'request-rereview';
    const word = re ? '复核' : '复查';
    if (c.reporterType === 'anonymous') throw new TransitionNotAllowedException(c.status, action, `匿名反映没有可以申请${word}的信访人`);
    if (!re && (c.closeReason === 'answered' || c.closeReason === 'notAccepted')) {
      throw new TransitionNotAllowedException(c.status, action, '当场解答或不予受理的事项没有处理意见，不能申请复查');
    }
    const since = re ? c.reviewDecidedOn! : shanghaiDate(c.closedAt ?? x.now);
    if (dto.requestDate > today) throw new InputInvalidException([{ field: 'requestDate', message: '收到申请的日期不能晚于今天' }]);
    if (dto.requestDate < since) throw new InputInvalidException([{ field: 'requestDate', message: `收到申请的日期不能早于${re ? '复查意见作出之日' : '办结之日'} ${since}` }]);
    const window = await this.deadlines.dueOf('reviewRequest', since, c.countyCode);
    if (window.dueDate && dto.requestDate > window.dueDate) {
      throw new TransitionNotAllowedException(
        c.status,
        action,
        re
          ? `已超过申请复核的期限：应自收到复查意见之日起${window.rule.limitValue}日内提出（《信访工作条例》第三十六条），复查意见 ${since} 作出，期限至 ${window.dueDate}`
          : `已超过申请复查的期限：应自收到处理意见之日起${window.rule.limitValue}日内提出（《信访工作条例》第三十五条），本案 ${since} 办结，期限至 ${window.dueDate}`,
      );
    }
    const clock = await this.deadlines.start(m, c, re ? 'rereview' : 'review', dto.requestDate);
    c.reviewState = REVIEW_STEPS[action].to;
    return {
      note: `${dto.requestDate} 收到${word}申请：${dto.reason}；${word}意见应于 ${clock.dueDate ?? '（日历缺失，暂无法计算）'} 前作出`,
      kind: kind(action, { requestDate: dto.requestDate, windowEnd: window.dueDate, dueDate: clock.dueDate }),
    };
  }

  private async decideReview(x: Ctx, action: Extract<ReviewAction, 'decide-review' | 'decide-rereview'>): Promise<Effect> {
    const { m, c, today } = x;
    const dto = x.input as unknown as D.DecideReviewDto;
    this.checkReviewStep(c, action);
    const re = action === 'decide-rereview';
    const stage = re ? 'rereview' : 'review';
    const [open] = await this.deadlines.open(m, c.id, [stage]);
    if (dto.date > today) throw new InputInvalidException([{ field: 'date', message: '意见日期不能晚于今天' }]);
    if (open && dto.date < open.startDate) throw new InputInvalidException([{ field: 'date', message: `意见日期不能早于收到申请的日期 ${open.startDate}` }]);
    const clock = await this.deadlines.meet(m, c.id, stage, dto.date);
    c.reviewState = REVIEW_STEPS[action].to;
    if (!re) c.reviewDecidedOn = dto.date;
    const late = !!clock?.late;
    return {
      note: `${re ? '复核' : '复查'}意见（${dto.date}）：${REVIEW_DECISION_LABELS[dto.decision]}。${dto.text}`,
      kind: kind(action, { decision: dto.decision, text: dto.text, date: dto.date, late }),
    };
  }

  private checkReviewStep(c: Case, action: ReviewAction): void {
    if (reviewStepAllowed(action, c.reviewState)) return;
    const message: Record<ReviewAction, string> = {
      'request-review': '本案已申请过复查',
      'decide-review': '本案没有待作出意见的复查申请',
      'request-rereview': c.reviewState === null || c.reviewState === 'reviewRequested' ? '复查意见作出后才能申请复核' : '本案已申请过复核（复核意见为最终意见）',
      'decide-rereview': '本案没有待作出意见的复核申请',
    };
    throw new TransitionNotAllowedException(c.status, action, message[action]);
  }

  /** 低保对象死亡: the 3-month household re-check (seed 000) runs from the day of death. */
  private async recordDeath(x: Ctx): Promise<Effect> {
    const { m, c, today } = x;
    const dto = x.input as unknown as D.RecordDeathDto;
    if (!(DEATH_RECHECK_PROGRAMS as readonly string[]).includes(c.program)) {
      throw new TransitionNotAllowedException(c.status, 'record-death', '只有城乡低保对象死亡后需要复核家庭情况');
    }
    if (c.recipientDeathDate) throw new TransitionNotAllowedException(c.status, 'record-death', `已记录低保对象死亡日期 ${c.recipientDeathDate}`);
    if (dto.deathDate > today) throw new InputInvalidException([{ field: 'deathDate', message: '死亡日期不能晚于今天' }]);
    const clock = await this.deadlines.start(m, c, 'deathRecheck', dto.deathDate);
    c.recipientDeathDate = dto.deathDate;
    return {
      note: `低保对象${dto.recipientName ?? ''}于 ${dto.deathDate} 死亡，应于 ${clock.dueDate ?? '（日历缺失，暂无法计算）'} 前复核家庭情况`,
      kind: kind('record-death', { deathDate: dto.deathDate, ...(dto.recipientName ? { recipientName: dto.recipientName } : {}), recheckDue: clock.dueDate }),
    };
  }

  private async recordRecheck(x: Ctx): Promise<Effect> {
    const { m, c, today } = x;
    const dto = x.input as unknown as D.RecordRecheckDto;
    if (!c.recipientDeathDate) throw new TransitionNotAllowedException(c.status, 'record-recheck', '请先记录低保对象死亡日期');
    if (c.deathRecheckResult) throw new TransitionNotAllowedException(c.status, 'record-recheck', '已记录死亡后家庭复核结果');
    if (dto.date > today) throw new InputInvalidException([{ field: 'date', message: '复核日期不能晚于今天' }]);
    if (dto.date < c.recipientDeathDate) throw new InputInvalidException([{ field: 'date', message: `复核日期不能早于死亡日期 ${c.recipientDeathDate}` }]);
    const clock = await this.deadlines.meet(m, c.id, 'deathRecheck', dto.date);
    c.deathRecheckResult = dto.result;
    const late = !!clock?.late;
    return {
      note: `死亡后家庭复核（${dto.date}）：${RECHECK_RESULT_LABELS[dto.result]}。${dto.text}`,
      kind: kind('record-recheck', { result: dto.result, text: dto.text, date: dto.date, late }),
    };
  }

  /** Assign or reassign: the township gets the case and its clocks start today. */
  private async handOver(x: Ctx, township: Township, how: 'assign' | 'reassign'): Promise<{ note: string; data: HandOverData }> {
    const { m, c, today, now, input } = x;
    // Recusal: the case names a staff member of that township, or their registered relative.
    await applyProtection(m, { ...c, townshipId: township.id });
    const recused = await recusedInTownship(m, c.id, township.id);
    let recusalNote: string | null = null;
    if (recused.length) {
      const names = recused.map((u) => u.displayName).join('、');
      const confirm = input as unknown as D.RecusalConfirmDto;
      if (!confirm.confirmRecusal || !confirm.recusalReason) {
        throw new TransitionNotAllowedException(
          c.status,
          x.from === 'objecting' ? 'decide-objection' : 'assign',
          `被反映人是${township.name}工作人员${names}本人或其备案近亲属。交办该乡镇须勾选确认并写明理由（${names}仍看不到本案），或改派其他乡镇。`,
        );
      }
      recusalNote = `已知悉${names}须回避，确认交办${township.name}：${confirm.recusalReason}`;
    }
    await this.deadlines.close(m, c.id, TOWNSHIP_STAGES, 'cancelled');
    c.townshipId = township.id;
    c.assignedAt = now;
    c.acknowledgedAt = null;
    const ack = await this.deadlines.start(m, c, 'acknowledge', today);
    const verify = await this.deadlines.start(m, c, 'verify', today);
    await this.notifications.notify(
      m,
      await this.notifications.recipientIds(m, c.countyCode, township.id, false),
      c.id,
      'assigned',
      `assigned:${c.id}:${ack.id}`,
      `新交办案件 ${c.caseNo}，请于 ${dueText(ack)} 前签收，${dueText(verify)} 前核实反馈`,
    );
    return {
      note: [(x.input.note as string | undefined) ?? `交办${township.name}`, recusalNote].filter(Boolean).join('；'),
      data: { how, townshipId: township.id, townshipName: township.name, acknowledgeDue: ack.dueDate, verifyDue: verify.dueDate },
    };
  }

  private async requestExtension(x: Ctx): Promise<Effect> {
    const { m, c, input, today } = x;
    const dto = input as unknown as D.RequestExtensionDto;
    if (c.pendingExtensionDays !== null) throw new TransitionNotAllowedException(c.status, 'request-extension', '已有待审批的延期申请');
    const [clock] = await this.deadlines.open(m, c.id, ['verify', 'redo']);
    if (!clock || !clock.dueDate) throw new TransitionNotAllowedException(c.status, 'request-extension', '没有可以延期的办理期限');
    // Extensions are asked for before the deadline, not after (DOMAIN §3).
    if (today > clock.dueDate) throw new TransitionNotAllowedException(c.status, 'request-extension', `办理期限 ${clock.dueDate} 已过，不能再申请延期`);
    // the clock's rule as it applies in the case's county (its own extension limit, if it set one)
    const rule = clock.ruleId ? await this.deadlines.ruleById(clock.ruleId, c.countyCode) : null;
    const max = (rule?.maxExtension ?? 0) - clock.extension;
    if (dto.days > max) {
      throw new InputInvalidException([{ field: 'days', message: max > 0 ? `最多还可延长 ${max} 个${clock.unit === 'workday' ? '工作日' : '日'}` : '该期限不能再延长' }]);
    }
    c.pendingExtensionDays = dto.days;
    c.pendingExtensionReason = dto.reason;
    await this.notifyCounty(m, c, 'supervisor', `extension-asked:${c.id}:${x.now.getTime()}`, `案件 ${c.caseNo} 的承办乡镇申请延期 ${dto.days} 个${clock.unit === 'workday' ? '工作日' : '日'}，请审批`);
    return {
      note: `申请延期 ${dto.days} 个${clock.unit === 'workday' ? '工作日' : '日'}：${dto.reason}`,
      kind: kind('request-extension', { days: dto.days, stage: clock.stage, dueDate: clock.dueDate, unit: clock.unit }),
    };
  }

  private async decideExtension(x: Ctx): Promise<Effect> {
    const { m, c, input } = x;
    const dto = input as unknown as D.DecideExtensionDto;
    const asked = c.pendingExtensionDays;
    if (asked === null) throw new TransitionNotAllowedException(c.status, 'decide-extension', '没有待审批的延期申请');
    c.pendingExtensionDays = null;
    c.pendingExtensionReason = null;
    if (dto.decision === 'refuse') {
      await this.notifyTownship(m, x.actor, c, `extension-decided:${c.id}:${x.now.getTime()}`, `案件 ${c.caseNo} 的延期申请未获同意，请按原期限办理。`, dto.note ?? null);
      return { note: `不同意延期。${dto.note ?? ''}`.trim(), kind: kind('decide-extension', { decision: 'refuse', asked }) };
    }
    const days = Math.min(dto.days ?? asked, asked);
    const [clock] = await this.deadlines.open(m, c.id, ['verify', 'redo']);
    if (!clock) return { note: '同意延期，但当前没有进行中的乡镇办理期限', kind: kind('decide-extension', { decision: 'approve', asked, days: 0 }) };
    const before = clock.dueDate;
    const after = await this.deadlines.extend(m, clock, days, c.countyCode);
    await this.notifyTownship(m, x.actor, c, `extension-decided:${c.id}:${x.now.getTime()}`, `案件 ${c.caseNo} 的延期申请已同意，${STAGE_LABELS[clock.stage]}期限改为 ${dueText(after)}。`, dto.note ?? null);
    return {
      note: `同意延期 ${days} 个${clock.unit === 'workday' ? '工作日' : '日'}，${STAGE_LABELS[clock.stage]}期限由 ${before} 改为 ${after.dueDate}。${dto.note ?? ''}`.trim(),
      kind: kind('decide-extension', { decision: 'approve', asked, days, from: before, to: after.dueDate, unit: clock.unit }),
    };
  }

  /**
   * 督办 of one case: marked on the case (urgedAt, the note, the count) and told to the township
   * handling it. From above the county (a prefecture's or province's supervisor) the history says
   * by whom (市级督办（清川市）), and the county's supervisors are told too.
   */
  private async urge(x: Ctx): Promise<Effect> {
    const { m, c, input, now, actor } = x;
    const note = (input as unknown as D.UrgeDto).note;
    c.urgedAt = now;
    c.urgeNote = note;
    c.urgeCount += 1;
    const level = actor.level ?? 'county';
    const from = level === 'county' ? null : { level, regionCode: actor.regionCode ?? '', regionName: (await m.getRepository(Region).findOneBy({ code: actor.regionCode ?? '' }))?.name ?? '' };
    const by = from ? `被${from.regionName}督办` : '被督办';
    // the notice goes to the township: read as its staff read the case (a withheld complainant's name and numbers starred)
    const forTownship = contentFor(reporterForDocument(actor, c, 'township'), { content: note, reporterName: c.reporterName });
    await this.notifications.notify(m, await this.notifications.recipientIds(m, c.countyCode, c.townshipId, false), c.id, 'urged', `urge:${c.id}:${c.urgeCount}`, clip(`案件 ${c.caseNo} ${by}：${forTownship}`));
    if (from) {
      const forCounty = contentFor(reporterForDocument(actor, c, 'county'), { content: note, reporterName: c.reporterName });
      await this.notifications.notify(m, await activeUserIds(m, ['supervisor'], c.countyCode), c.id, 'urged', `urge-county:${c.id}:${c.urgeCount}`, clip(`案件 ${c.caseNo} ${by}：${forCounty}`));
    }
    return { note, kind: kind('urge', from) };
  }

  /** A reporter the county answers is answered before the case is called back or closed. */
  private requireCountyReply(c: Case, action: ActionName): void {
    if (replyBy(c) === 'county' && !c.feedbackAt) {
      throw new TransitionNotAllowedException(c.status, action, '本案反映人信息对乡镇保密，须先记录县级答复反映人的情况');
    }
  }

  /** Supervisors (or all county staff) hear of a hand-over to the county, unless recused from the case. */
  private async notifyCounty(m: EntityManager, c: Case, who: 'supervisor', eventKey: string, message: string): Promise<void> {
    const ids = await activeUserIds(m, [who], c.countyCode);
    await this.notifications.notify(m, ids, c.id, 'handOver', eventKey, message);
  }

  /** The township's staff hear of a hand-back; the county's words are masked as the township reads the case. */
  private async notifyTownship(m: EntityManager, actor: AuthUser, c: Case, eventKey: string, message: string, county: string | null): Promise<void> {
    const words = county ? contentFor(reporterForDocument(actor, c, 'township'), { content: county, reporterName: c.reporterName }) : '';
    await this.notifications.notify(m, await this.notifications.recipientIds(m, c.countyCode, c.townshipId, false), c.id, 'handOver', eventKey, clip(message + words));
  }

  private async callback(x: Ctx): Promise<Effect> {
    const { m, c, input, today } = x;
    const dto = input as unknown as D.CallbackDto;
    this.requireCountyReply(c, 'callback');
    c.callbackResult = dto.result;
    const label = CALLBACK_RESULT_LABELS[dto.result];
    if (dto.result === 'unreachable') {
      c.callbackAttempts += 1;
      if (c.callbackAttempts >= UNREACHABLE_ATTEMPTS) {
        return {
          to: 'closed',
          closeReason: 'unreachable',
          note: `第 ${c.callbackAttempts} 次回访无法联系，按无法联系办结。${dto.note ?? ''}`.trim(),
          kind: kind('callback', { result: dto.result, attempt: c.callbackAttempts }),
        };
      }
      return { note: `第 ${c.callbackAttempts} 次回访无法联系。${dto.note ?? ''}`.trim(), kind: kind('callback', { result: dto.result, attempt: c.callbackAttempts }) };
    }
    c.callbackAttempts += 1;
    if (dto.result === 'dissatisfied') {
      // Redo: fresh township deadline, and new verification and feedback before resubmitting.
      c.verifiedAt = null;
      c.feedbackAt = null;
      const d = await this.deadlines.start(m, c, 'redo', today);
      await this.notifyTownship(m, x.actor, c, `dissatisfied:${c.id}:${x.now.getTime()}`, `案件 ${c.caseNo} 回访不满意，退回重新核实，请于 ${dueText(d)} 前办理。`, dto.note ?? null);
      return { note: `回访${label}，退回乡镇重新核实。${dto.note ?? ''}`.trim(), kind: kind('callback', { result: dto.result, redoDue: d.dueDate }) };
    }
    return { closeReason: dto.result, note: `回访${label}。${dto.note ?? ''}`.trim(), kind: kind('callback', { result: dto.result }) };
  }

  private async activeTownship(m: EntityManager, id: number, field: string): Promise<Township> {
    const t = await m.getRepository(Township).findOneBy({ id });
    if (!t || !t.active) throw new InputInvalidException([{ field, message: '所选乡镇不存在' }]);
    return t;
  }
}

/** Whether an action of the rules (notice, review, death re-check) fits the case now, beyond the table's state and role. */
function ruleActionAvailable(
  a: ActionName,
  c: Pick<Case, 'program' | 'reporterType' | 'closeReason' | 'receiptNoticeDate' | 'reviewState' | 'recipientDeathDate' | 'deathRecheckResult'>,
): boolean {
  if (isReviewAction(a)) return reviewStepAllowed(a, c.reviewState) && c.reporterType !== 'anonymous' && (a !== 'request-review' || (c.closeReason !== 'answered' && c.closeReason !== 'notAccepted'));
  switch (a) {
    case 'record-notice':
      return c.reporterType !== 'anonymous' && c.closeReason !== 'answered' && !c.receiptNoticeDate;
    case 'record-death':
      return (DEATH_RECHECK_PROGRAMS as readonly string[]).includes(c.program) && !c.recipientDeathDate;
    case 'record-recheck':
      return !!c.recipientDeathDate && !c.deathRecheckResult;
    default:
      return true;
  }
}

/** The Shanghai day the case was handed over (the objection window counts from it). */
function assignedDay(c: Case): string {
  const at = c.assignedAt ?? c.createdAt;
  return shanghaiDate(at);
}

/** Notices hold 300 characters. */
function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 299)}…` : s;
}
