import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth-user';
import { errorMap } from '../common/validation';
import { lookupProblems, LookupService } from './lookup.service';

const NOT_FOUND = '案件编号或查询码不正确，请核对后重新输入';
const THROTTLED = '查询次数过多，请15分钟后再试';

/** 件件有回应: the reporter checks progress with the case number and the code read out at intake. */
@Controller('lookup')
export class LookupController {
  constructor(private readonly lookups: LookupService) {}

  @Public()
  @Get()
  @Render('lookup/form')
  form() {
    return { title: '办理进展查询', bare: true, values: {} };
  }

  @Public()
  @Post()
  async query(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const caseNo = typeof body.caseNo === 'string' ? body.caseNo : '';
    const code = typeof body.code === 'string' ? body.code : '';
    // Formats first: nothing is counted or stored for input that cannot be a case number and code.
    const problems = lookupProblems(body.caseNo, body.code);
    if (problems.length) {
      const missing = !caseNo.trim() || !code.trim();
      res.status(400).render('lookup/form', {
        title: '办理进展查询',
        bare: true,
        values: { caseNo: caseNo.slice(0, 40) },
        errors: errorMap(problems),
        error: missing ? '请填写案件编号和查询码' : '案件编号或查询码格式不正确',
      });
      return;
    }
    const answer = await this.lookups.lookup(caseNo, code, req.ip ?? 'unknown');
    if (!answer.ok) {
      res.status(answer.throttled ? 429 : 400).render('lookup/form', { title: '办理进展查询', bare: true, values: { caseNo }, error: answer.throttled ? THROTTLED : NOT_FOUND });
      return;
    }
    res.status(200).render('lookup/result', { title: '办理进展', bare: true, r: answer.result });
  }
}
