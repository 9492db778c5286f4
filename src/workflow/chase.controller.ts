import { Body, ConflictException, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash } from '../common/forms';
import { errorMap, InputInvalidException } from '../common/validation';
import { CasePageService } from './case-page.service';
import { ChaseService } from './chase.service';

/** 催办: a caller chasing an open case, from the intake's likely-repeat panel or the case page. */
@Controller()
export class ChaseController {
  constructor(
    private readonly chases: ChaseService,
    private readonly page: CasePageService,
  ) {}

  @Post('cases/:caseNo/chase')
  @Roles('operator', 'supervisor')
  async chase(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    try {
      const { count, townshipNotified } = await this.chases.record(user, caseNo, body, false);
      flash(req, `已记录反映人催办（本案第 ${count} 次），已提醒督办员${townshipNotified ? '和承办乡镇' : ''}`);
      // the call is logged: the intake draft this came from may go
      req.session.draftSaved = true;
      res.redirect(303, `/cases/${encodeURIComponent(caseNo)}`);
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400).render('cases/show', await this.page.model(user, caseNo, { actionErrors: errorMap(e.fieldErrors), action: 'chase', values: body, error: '提交的内容有误，请按提示修改' }));
        return;
      }
      if (e instanceof ConflictException) {
        res.status(409).render('cases/show', await this.page.model(user, caseNo, { error: (e.getResponse() as { message: string }).message }));
        return;
      }
      throw e;
    }
  }

  /** POST /api/v1/cases/{caseNo}/chase { channel?, note? } → 200 { caseNo, chaseCount } */
  @Post('api/v1/cases/:caseNo/chase')
  @HttpCode(200)
  @Roles('operator', 'supervisor')
  async chaseApi(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>) {
    const { caseNo: no, count } = await this.chases.record(user, caseNo, body ?? {}, true);
    return { caseNo: no, chaseCount: count };
  }
}
