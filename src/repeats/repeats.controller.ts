import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash } from '../common/forms';
import { errorMap, InputInvalidException } from '../common/validation';
import { CasePageService } from '../workflow/case-page.service';
import { RepeatsService } from './repeats.service';

@Controller('cases/:caseNo/repeat')
@Roles('operator', 'supervisor')
export class RepeatsController {
  constructor(
    private readonly repeats: RepeatsService,
    private readonly page: CasePageService,
  ) {}

  private async run(user: AuthUser, caseNo: string, body: Record<string, unknown>, req: Request, res: Response, work: () => Promise<void>, done: string) {
    try {
      await work();
      flash(req, done);
      res.redirect(303, `/cases/${encodeURIComponent(caseNo)}`);
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400).render('cases/show', await this.page.model(user, caseNo, { actionErrors: errorMap(e.fieldErrors), action: 'repeat', values: body, error: e.fieldErrors[0].message }));
        return;
      }
      throw e;
    }
  }

  @Post()
  link(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    return this.run(user, caseNo, body, req, res, () => this.repeats.decide(user, caseNo, body.otherCaseNo, false), `已标记为 ${String(body.otherCaseNo ?? '')} 的重复件`);
  }

  @Post('dismiss')
  dismiss(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    return this.run(user, caseNo, body, req, res, () => this.repeats.decide(user, caseNo, body.otherCaseNo, true), '已记录：不是重复件');
  }

  @Post('unlink')
  unlink(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    return this.run(user, caseNo, body, req, res, () => this.repeats.unlink(user, caseNo), '已取消重复件标记');
  }
}
