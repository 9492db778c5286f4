import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { formatDateTime, fromDbDateTime } from '../common/time';
import { errorMap, FieldError, INVALID_INPUT_MESSAGE, validateInput } from '../common/validation';
import { NotificationsService } from '../notifications/notifications.service';
import { TownshipsService } from '../townships/townships.service';
import { BulkActionsService } from '../workflow/bulk-actions.service';
import { BULK_ACTIONS, BulkAction, BulkActionDto } from '../workflow/dto/bulk-action.dto';
import { TRANSITION_BY_ACTION } from '../workflow/transitions';
import { queueRowView, QueuesService } from './queues.service';

/** The queue pages a bulk form goes back to, and the bulk forms each holds (form id → actions). */
const BULK_PAGES = {
  triage: { 'bulk-registered': ['accept'], 'bulk-accepted': ['assign', 'urge'] },
  review: { 'bulk-inReview': ['urge'], 'bulk-objecting': ['urge'], 'bulk-extensions': ['urge'], 'bulk-approved': ['urge'] },
  overdue: { 'bulk-overdue': ['urge'] },
} as const satisfies Record<string, Record<string, readonly BulkAction[]>>;
type BulkPage = keyof typeof BULK_PAGES;

/** What a queue page's bulk form shows after a refused submission: the ticked cases and the input, with the messages. */
interface BulkState {
  form: string;
  selected: string[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

@Controller()
export class QueuesController {
  constructor(
    private readonly queues: QueuesService,
    private readonly notifications: NotificationsService,
    private readonly townships: TownshipsService,
    private readonly bulk: BulkActionsService,
  ) {}

  @Get('queues/triage')
  @Roles('operator', 'supervisor')
  @Render('queues/triage')
  triage(@CurrentUser() user: AuthUser) {
    return this.triageModel(user);
  }

  private async triageModel(user: AuthUser, bulk?: BulkState) {
    const canBulk = user.role === 'supervisor';
    const [[registered, accepted], townships] = await Promise.all([this.queues.triage(user), canBulk ? this.townships.listWithVillages(user) : Promise.resolve([])]);
    return {
      title: '待受理与待交办',
      registered: registered.map(queueRowView),
      accepted: accepted.map(queueRowView),
      ...this.bulkModel(user, 'triage', bulk),
      townships: townships.map((t) => ({ id: t.id, name: t.name })),
    };
  }

  @Get('queues/review')
  @Roles('operator', 'supervisor')
  @Render('queues/review')
  review(@CurrentUser() user: AuthUser) {
    return this.reviewModel(user);
  }

  private async reviewModel(user: AuthUser, bulk?: BulkState) {
    const [inReview, objecting, extensions, approved] = await this.queues.review(user);
    return {
      title: '待审核',
      inReview: inReview.map(queueRowView),
      objecting: objecting.map(queueRowView),
      extensions: extensions.map(queueRowView),
      approved: approved.map(queueRowView),
      ...this.bulkModel(user, 'review', bulk),
    };
  }

  @Get('queues/inbox')
  @Roles('township')
  @Render('queues/inbox')
  async inbox(@CurrentUser() user: AuthUser) {
    const rows = (await this.queues.inbox(user)).map(queueRowView);
    return { title: '待办案件', rows, today: this.queues.today() };
  }

  @Get('queues/overdue')
  @Roles('supervisor')
  @Render('queues/overdue')
  overdue(@CurrentUser() user: AuthUser) {
    return this.overdueModel(user);
  }

  private async overdueModel(user: AuthUser, bulk?: BulkState) {
    const board = await this.queues.overdueBoard(user);
    return { title: '超期督办', byTownship: board.byTownship, overdue: board.overdue.map(queueRowView), byStage: board.byStage, otherOverdue: board.otherOverdue, today: this.queues.today(), ...this.bulkModel(user, 'overdue', bulk) };
  }

  /** The bulk forms of a page: their ids for the row checkboxes (supervisors only), and a refused submission's state. */
  private bulkModel(user: AuthUser, page: BulkPage, state?: BulkState) {
    const canBulk = user.role === 'supervisor';
    const forms = Object.fromEntries(Object.keys(BULK_PAGES[page]).map((id) => [id.replace(/^bulk-/, ''), canBulk ? id : null]));
    const at = (id: string) => (state && state.form === id ? state : null);
    return {
      canBulk,
      back: page,
      bulkForms: forms,
      bulkState: Object.fromEntries(Object.keys(BULK_PAGES[page]).map((id) => [id.replace(/^bulk-/, ''), at(id)])),
    };
  }

  /**
   * A bulk form of a queue page (受理, 交办, 督办 on the ticked cases). Each case goes through the
   * workflow as the single action would; the page is shown again with one line per case. Bad
   * input (no case ticked, no township, no note) draws the page again with the message, 400.
   */
  @Post('queues/bulk')
  @Roles('supervisor')
  async bulkAction(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const page = (typeof body.back === 'string' && body.back in BULK_PAGES ? body.back : 'triage') as BulkPage;
    const forms = BULK_PAGES[page] as Record<string, readonly BulkAction[]>;
    const formId = typeof body.form === 'string' && body.form in forms ? body.form : null;
    const action = typeof body.action === 'string' && (BULK_ACTIONS as readonly string[]).includes(body.action) ? (body.action as BulkAction) : null;
    const { value, errors } = validateInput(BulkActionDto, body, false);
    const problems: FieldError[] = [];
    // the actions of the form sent, or (a row's own 督办 button) of any form of the page
    const allowed: readonly BulkAction[] = formId ? forms[formId] : Object.values(forms).flat();
    if (!action || !allowed.includes(action)) problems.push({ field: 'action', message: '请选择要办理的事项' });
    else problems.push(...errors, ...this.bulk.check(action, value));
    if (problems.length) {
      const selected = Array.isArray(body.caseNos) ? body.caseNos.map(String) : typeof body.caseNos === 'string' ? [body.caseNos] : [];
      const state: BulkState = { form: formId ?? '', selected, values: { note: body.note, townshipId: body.townshipId, action: body.action }, errors: errorMap(problems) };
      const model = page === 'triage' ? await this.triageModel(user, state) : page === 'review' ? await this.reviewModel(user, state) : await this.overdueModel(user, state);
      res.status(400).render(`queues/${page}`, { ...model, errorSummary: `${INVALID_INPUT_MESSAGE}：${problems.map((p) => p.message).join('；')}` });
      return;
    }
    const lines = await this.bulk.perform(user, action!, value);
    req.session.bulkResult = { title: `批量${TRANSITION_BY_ACTION.get(action!)!.label}：${lines.filter((l) => l.done).length} 件已办理，${lines.filter((l) => !l.done).length} 件未办理`, lines };
    res.redirect(303, `/queues/${page}`);
  }

  @Get('notifications')
  @Render('queues/notifications')
  async list(@CurrentUser() user: AuthUser) {
    const items = (await this.notifications.list(user)).map((n) => ({ ...n, createdAtText: formatDateTime(fromDbDateTime(n.createdAt)), unread: !n.readAt }));
    return { title: '消息', items };
  }

  @Post('notifications/read')
  async markRead(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.notifications.markAllRead(user);
    res.redirect(303, '/notifications');
  }
}
