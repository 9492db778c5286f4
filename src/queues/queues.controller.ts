import { Controller, Get, Post, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { formatDateTime } from '../common/time';
import { NotificationsService } from '../notifications/notifications.service';
import { queueRowView, QueuesService } from './queues.service';

@Controller()
export class QueuesController {
  constructor(
    private readonly queues: QueuesService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get('queues/triage')
  @Roles('operator', 'supervisor')
  @Render('queues/triage')
  async triage(@CurrentUser() user: AuthUser) {
    const [registered, accepted] = await this.queues.triage(user);
    return { title: '待受理与待交办', registered: registered.map(queueRowView), accepted: accepted.map(queueRowView) };
  }

  @Get('queues/review')
  @Roles('operator', 'supervisor')
  @Render('queues/review')
  async review(@CurrentUser() user: AuthUser) {
    const [inReview, objecting, extensions, approved] = await this.queues.review(user);
    return {
      title: '待审核',
      inReview: inReview.map(queueRowView),
      objecting: objecting.map(queueRowView),
      extensions: extensions.map(queueRowView),
      approved: approved.map(queueRowView),
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
  async overdue(@CurrentUser() user: AuthUser) {
    const board = await this.queues.overdueBoard(user);
    return { title: '超期督办', byTownship: board.byTownship, overdue: board.overdue.map(queueRowView), byStage: board.byStage, otherOverdue: board.otherOverdue, today: this.queues.today() };
  }

  @Get('notifications')
  @Render('queues/notifications')
  async list(@CurrentUser() user: AuthUser) {
    const items = (await this.notifications.list(user)).map((n) => ({ ...n, createdAtText: formatDateTime(n.createdAt.replace(' ', 'T') + 'Z'), unread: !n.readAt }));
    return { title: '消息', items };
  }

  @Post('notifications/read')
  async markRead(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.notifications.markAllRead(user);
    res.redirect(303, '/notifications');
  }
}
