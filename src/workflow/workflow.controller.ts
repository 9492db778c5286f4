import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, OpenAboveCounty, Roles } from '../auth/auth-user';
import { caseApi } from '../cases/case-view';
import { flash } from '../common/forms';
import { errorMap, InputInvalidException, validateInput } from '../common/validation';
import { BulkActionsService } from './bulk-actions.service';
import { BULK_ACTIONS, BulkAction, BulkActionDto } from './dto/bulk-action.dto';
import { CasePageService } from './case-page.service';
import { TRANSITION_BY_ACTION, ActionName, takenAboveCounty } from './transitions';
import { TransitionNotAllowedException } from './workflow.errors';
import { WorkflowService } from './workflow.service';

/** Above a county, only a step the lifecycle table lets them take (督办) gets past the door; the gate decides the rest. */
const aboveCountyStep = (req: Request) => takenAboveCounty(String(req.params.action));

@Controller()
export class WorkflowController {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly page: CasePageService,
    private readonly bulk: BulkActionsService,
  ) {}

  @Get('cases/:caseNo')
  @Roles('operator', 'supervisor', 'township', 'liaison')
  @Render('cases/show')
  show(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    return this.page.model(user, caseNo);
  }

  /** The page form of every action: back to the case page, or the page again with the problem shown. */
  @Post('cases/:caseNo/actions/:action')
  @Roles('operator', 'supervisor', 'township')
  @OpenAboveCounty(aboveCountyStep)
  async act(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Param('action') action: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    try {
      await this.workflow.perform(user, caseNo, action, body, false);
      flash(req, `已完成：${TRANSITION_BY_ACTION.get(action as ActionName)?.label ?? action}`);
      res.redirect(303, `/cases/${encodeURIComponent(caseNo)}`);
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400).render('cases/show', await this.page.model(user, caseNo, { actionErrors: errorMap(e.fieldErrors), action, values: body, error: '提交的内容有误，请按提示修改' }));
        return;
      }
      if (e instanceof TransitionNotAllowedException) {
        res.status(409).render('cases/show', await this.page.model(user, caseNo, { error: (e.getResponse() as { message: string }).message }));
        return;
      }
      throw e;
    }
  }

  /**
   * POST /api/v1/cases/bulk-actions/{accept|assign|urge} { caseNos, townshipId?, note? } → 200
   * { results: [{ caseNo, done, status, message }] }: each case as the single action, one line each.
   */
  @Post('api/v1/cases/bulk-actions/:action')
  @HttpCode(200)
  @Roles('supervisor')
  async bulkApi(@CurrentUser() user: AuthUser, @Param('action') action: string, @Body() body: Record<string, unknown>) {
    if (!(BULK_ACTIONS as readonly string[]).includes(action)) throw new NotFoundException({ message: '没有这项批量操作' });
    const { value, errors } = validateInput(BulkActionDto, body ?? {}, true);
    if (errors.length) throw new InputInvalidException(errors);
    return { results: await this.bulk.perform(user, action as BulkAction, value) };
  }

  /** POST /api/v1/cases/{caseNo}/actions/{action} → 200 { caseNo, status, deadline, ... } */
  @Post('api/v1/cases/:caseNo/actions/:action')
  @HttpCode(200)
  @Roles('operator', 'supervisor', 'township', 'liaison', 'admin')
  @OpenAboveCounty(aboveCountyStep)
  async actApi(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Param('action') action: string, @Body() body: Record<string, unknown>) {
    const c = await this.workflow.perform(user, caseNo, action, body ?? {}, true);
    return { ...caseApi(c, user), deadline: c.dueDate, dueState: c.dueState };
  }
}
