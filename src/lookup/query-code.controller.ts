import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash } from '../common/forms';
import { QueryCodeService } from './query-code.service';

/** Shown once after it is issued; the acceptance notice can be printed with it in that step only. */
export function issueCode(req: Request, caseNo: string, code: string): void {
  req.session.issuedCode = { caseNo, code };
}

/** The county issues a new query code (查询码) when the reporter lost theirs. */
@Controller()
export class QueryCodeController {
  constructor(private readonly codes: QueryCodeService) {}

  @Post('cases/:caseNo/query-code')
  @Roles('operator', 'supervisor')
  async reissue(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string, @Req() req: Request, @Res() res: Response) {
    const { code } = await this.codes.reissue(user, caseNo);
    flash(req, `已重新发放查询码 ${code}，原查询码已作废。请告知反映人，或打印受理告知书交给反映人。`);
    issueCode(req, caseNo, code);
    res.redirect(303, `/cases/${encodeURIComponent(caseNo)}`);
  }

  /** POST /api/v1/cases/{caseNo}/query-code → 200 { caseNo, queryCode } (the old code stops working). */
  @Post('api/v1/cases/:caseNo/query-code')
  @HttpCode(200)
  @Roles('operator', 'supervisor')
  async reissueApi(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const { caseNo: no, code } = await this.codes.reissue(user, caseNo);
    return { caseNo: no, queryCode: code };
  }
}
