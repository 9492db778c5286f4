import { Controller, Get, NotFoundException, Param, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { formatDateTime } from '../common/time';
import { checkQuery, errorMap, InputInvalidException, QUERY_INVALID_MESSAGE } from '../common/validation';
import { TownshipsService } from '../townships/townships.service';
import {
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  CHANNEL_LABELS,
  CHANNELS,
  KIND_LABELS,
  KINDS,
  options,
  PROBLEM_TYPE_LABELS,
  PROBLEM_TYPES,
  PROGRAM_LABELS,
  PROGRAMS,
  REPORTER_TYPE_LABELS,
  REPORTER_TYPES,
  URGENCIES,
  URGENCY_LABELS,
} from './case.enums';
import { CaseQueryService } from './case-query.service';
import { caseView, historyView, listRowView } from './case-view';
import { CASE_SORT_LABELS, CASE_SORTS, DEADLINE_FILTER_LABELS, DEADLINE_FILTERS, DEFAULT_WITHIN_DAYS, ListCasesDto, PersonMatchesQuery } from './dto/list-cases.dto';
import { LedgerService } from './ledger.service';
import { sendLedger } from './ledger.response';

export const FORM_OPTIONS = {
  channelOptions: options(CHANNELS, CHANNEL_LABELS),
  kindOptions: options(KINDS, KIND_LABELS),
  programOptions: options(PROGRAMS, PROGRAM_LABELS),
  problemTypeOptions: options(PROBLEM_TYPES, PROBLEM_TYPE_LABELS),
  reporterTypeOptions: options(REPORTER_TYPES, REPORTER_TYPE_LABELS),
  urgencyOptions: options(URGENCIES, URGENCY_LABELS),
  statusOptions: options(CASE_STATUSES, CASE_STATUS_LABELS),
  deadlineOptions: options(DEADLINE_FILTERS, DEADLINE_FILTER_LABELS),
  sortOptions: options(CASE_SORTS, CASE_SORT_LABELS),
  defaultWithinDays: DEFAULT_WITHIN_DAYS,
};

export function personMatchView(c: { caseNo: string; kind: keyof typeof KIND_LABELS; status: keyof typeof CASE_STATUS_LABELS; receivedAt: Date; reporterName: string | null; content: string }) {
  return {
    caseNo: c.caseNo,
    kindLabel: KIND_LABELS[c.kind],
    statusLabel: CASE_STATUS_LABELS[c.status],
    receivedAtText: formatDateTime(c.receivedAt),
    reporterName: c.reporterName,
    excerpt: c.content.length > 40 ? c.content.slice(0, 40) + '…' : c.content,
  };
}

@Controller('cases')
export class CasesController {
  constructor(
    private readonly query: CaseQueryService,
    private readonly townships: TownshipsService,
    private readonly ledger: LedgerService,
  ) {}

  @Get()
  @Roles('operator', 'supervisor', 'township')
  @Render('cases/list')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const { value, errors } = checkQuery(ListCasesDto, raw, false);
    if (errors.length) {
      // A bad filter is named next to its field; no list is drawn from filters not asked for.
      res.status(400);
      return {
        title: '案件查询',
        ...FORM_OPTIONS,
        townships: user.role === 'township' ? [] : await this.townships.listWithVillages(),
        showTownshipFilter: user.role !== 'township',
        filters: raw,
        errors: errorMap(errors),
        errorSummary: QUERY_INVALID_MESSAGE,
        invalid: true,
        items: [],
      };
    }
    const [page, count, townships] = await Promise.all([
      this.query.list(user, value),
      this.query.count(user, value),
      user.role === 'township' ? Promise.resolve([]) : this.townships.listWithVillages(),
    ]);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== 'cursor' && k !== 'limit') params.set(k, String(v));
    const base = params.toString();
    return {
      title: '案件查询',
      ...FORM_OPTIONS,
      townships,
      showTownshipFilter: user.role !== 'township',
      filters: value,
      errors: errorMap(errors),
      items: page.items.map(listRowView),
      exportQuery: base,
      total: count.total,
      totalCapped: count.capped,
      searching: !!value.q,
      nextHref: page.nextCursor ? `/cases?${base ? base + '&' : ''}cursor=${encodeURIComponent(page.nextCursor)}` : null,
      firstHref: value.cursor ? `/cases${base ? '?' + base : ''}` : null,
    };
  }

  /** The ledger (台账) of the list's current filters, as .xlsx or CSV, streamed. */
  @Get('export.:format')
  @Roles('operator', 'supervisor', 'township')
  async export(@CurrentUser() user: AuthUser, @Param('format') format: string, @Query() raw: Record<string, unknown>, @Res() res: Response) {
    if (format !== 'xlsx' && format !== 'csv') throw new NotFoundException();
    const { value, errors } = checkQuery(ListCasesDto, raw, false);
    if (errors.length) throw new InputInvalidException(errors);
    await sendLedger(this.ledger, user, value, format, res);
  }

  /** Earlier cases of the person being typed in, for the panel beside the intake form. */
  @Get('person-matches')
  @Roles('operator', 'supervisor')
  async personMatches(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>) {
    const { value, errors } = checkQuery(PersonMatchesQuery, raw, false);
    if (errors.length) throw new InputInvalidException(errors);
    const rows = await this.query.personMatches(user, value.phone, value.idNumber);
    return { items: rows.map(personMatchView) };
  }

}
