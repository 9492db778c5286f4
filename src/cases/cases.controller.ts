import { Controller, Get, NotFoundException, Param, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { formatDateTime, shanghaiYear } from '../common/time';
import { CASE_NO_PREFIX, formatCaseNo } from './case-intake.service';
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
import { SEARCH_KIND_LABELS } from './search-query';
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

/**
 * What the search box finds, said under it, with a case number as the user's own county issues
 * them this year; township staff are told what it cannot find for them.
 */
function searchHelp(user: AuthUser, now: Date): string {
  // above a county: the first county the user reaches
  const county = (user.level && user.level !== 'county' ? user.countyCodes?.[0] : (user.regionCode ?? user.countyCodes?.[0])) ?? '';
  const example = /^\d{6}$/.test(county) ? formatCaseNo(CASE_NO_PREFIX, county, shanghaiYear(now), 123) : `${CASE_NO_PREFIX}${shanghaiYear(now)}-000123`;
  const all = `可输入案件编号（如 ${example}，大小写、空格、连字符均可）、反映人电话（手机或带区号的固定电话）、身份证号码、反映人或被反映人姓名，或内容中的词语。按电话、身份证号码、姓名查找会留下记录。`;
  return user.role === 'township' ? `${all}未向本乡镇披露的实名举报人，不能按其姓名、电话或身份证号码查到。` : all;
}

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
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = checkQuery(ListCasesDto, raw, false);
    if (errors.length) {
      // A bad filter is named next to its field; no list is drawn from filters not asked for.
      res.status(400).render('cases/list', {
        title: '案件查询',
        searchHelp: searchHelp(user, this.ledger.now()),
        ...FORM_OPTIONS,
        townships: user.role === 'township' ? [] : await this.townships.listWithVillages(user),
        showTownshipFilter: user.role !== 'township',
        filters: raw,
        errors: errorMap(errors),
        errorSummary: QUERY_INVALID_MESSAGE,
        invalid: true,
        items: [],
      });
      return;
    }
    const page = await this.query.list(user, value);
    // A case number the user may see jumps straight to the case (one the user may not see, or
    // that does not exist, is an empty list: the same answer for both).
    if (page.searchKind === 'caseNo' && page.items.length === 1 && !value.cursor) {
      res.redirect(303, `/cases/${encodeURIComponent(page.items[0].caseNo)}`);
      return;
    }
    const [count, townships] = await Promise.all([
      this.query.count(user, value),
      user.role === 'township' ? Promise.resolve([]) : this.townships.listWithVillages(user),
    ]);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== 'cursor' && k !== 'limit') params.set(k, String(v));
    const base = params.toString();
    res.render('cases/list', {
      title: '案件查询',
      searchHelp: searchHelp(user, this.ledger.now()),
      searchedAs: page.searchKind ? SEARCH_KIND_LABELS[page.searchKind] : null,
      ...FORM_OPTIONS,
      townships,
      showTownshipFilter: user.role !== 'township',
      filters: value,
      errors: errorMap(errors),
      items: page.items.map(listRowView),
      exportQuery: base,
      total: count.total,
      totalCapped: count.capped,
      searching: !!page.searchKind,
      nextHref: page.nextCursor ? `/cases?${base ? base + '&' : ''}cursor=${encodeURIComponent(page.nextCursor)}` : null,
      firstHref: value.cursor ? `/cases${base ? '?' + base : ''}` : null,
    });
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
