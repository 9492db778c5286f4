import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash } from '../common/forms';
import { errorMap, InputInvalidException } from '../common/validation';
import { CasePageService } from '../workflow/case-page.service';
import { DisclosureService } from './disclosure.service';

@Controller()
export class ProtectionController {
  constructor(
    private readonly disclosures: DisclosureService,
    private readonly page: CasePageService,
  ) {}

  @Post('cases/:caseNo/disclose-reporter')
  @Roles('supervisor')
  async disclose(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    try {
      await this.disclosures.disclose(user, caseNo, body.reason);
      flash(req, '已向承办乡镇披露举报人信息，此后乡镇每次查看都会记录');
      res.redirect(303, `/cases/${encodeURIComponent(caseNo)}`);
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400).render('cases/show', await this.page.model(user, caseNo, { actionErrors: errorMap(e.fieldErrors), action: 'disclose', values: body, error: e.fieldErrors[0].message }));
        return;
      }
      throw e;
    }
  }

  /** Who disclosed which reporter to whom and why, and every later view. */
  @Get('audit/reporters')
  @Roles('supervisor', 'admin')
  @Render('protection/audit')
  async audit(@CurrentUser() user: AuthUser) {
    return { title: '举报人信息披露与查看记录', rows: await this.disclosures.log(user) };
  }
}
