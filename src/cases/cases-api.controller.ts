import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CaseIntakeService } from './case-intake.service';
import { CaseQueryService } from './case-query.service';
import { caseApi, listRowApi } from './case-view';
import { InputInvalidException, validateInput } from '../common/validation';
import { LedgerService } from './ledger.service';
import { sendLedger } from './ledger.response';
import { ListCasesDto } from './dto/list-cases.dto';

@Controller('api/v1/cases')
export class CasesApiController {
  constructor(
    private readonly intake: CaseIntakeService,
    private readonly query: CaseQueryService,
    private readonly ledger: LedgerService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('operator', 'supervisor')
  async create(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>) {
    // Validated here rather than by the global pipe, so field rules and cross-field rules are
    // reported together in one 400.
    const checked = await this.intake.validate(body, true, user);
    if (checked.errors.length) throw new InputInvalidException(checked.errors);
    const created = await this.intake.createChecked(user, checked);
    // the query code appears in this answer only: it is stored hashed
    return { ...caseApi(created, user), queryCode: (created as { queryCode?: string }).queryCode };
  }

  @Get()
  @Roles('operator', 'supervisor', 'township', 'liaison')
  async list(@CurrentUser() user: AuthUser, @Query() filters: ListCasesDto) {
    const page = await this.query.list(user, filters);
    // searchedAs: what the search text was taken to be (caseNo, phone, idNumber, name, text)
    return { items: page.items.map(listRowApi), nextCursor: page.nextCursor, searchedAs: page.searchKind };
  }

  /** GET /api/v1/cases/export?format=csv|xlsx&… : the ledger of these filters. */
  @Get('export')
  @Roles('operator', 'supervisor', 'township')
  async export(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>, @Res() res: Response) {
    const { format, ...filters } = raw;
    if (format !== 'csv' && format !== 'xlsx') throw new InputInvalidException([{ field: 'format', message: '格式应为 csv 或 xlsx' }]);
    const { value, errors } = validateInput(ListCasesDto, filters, true);
    if (errors.length) throw new InputInvalidException(errors);
    await sendLedger(this.ledger, user, value, format, res);
  }

  @Get(':caseNo')
  @Roles('operator', 'supervisor', 'township', 'liaison')
  async get(@CurrentUser() user: AuthUser, @Param('caseNo') caseNo: string) {
    const c = await this.query.getByCaseNo(user, caseNo);
    return caseApi(c, user, await this.query.history(user, c));
  }
}
