import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { normaliseIdNumber, normalisePhone } from '../common/identity';
import { fromDbDateTime, parseShanghaiDateTime, toDbDateTime } from '../common/time';
import { InputInvalidException } from '../common/validation';
import { AuditService } from '../audit/audit.service';
import { isReferralEntry, mayKnowOfLeads } from '../referrals/referral-access';
import { COUNTY_CASE_ROLES } from '../users/role';
import { APP_CONFIG, AppConfig } from '../config/config';
import { contentFor, excerptFor, ExcerptFacts } from '../documents/documents';
import { isDisclosedTo, isReport, reporterFor } from './reporter-view';
import { DEFAULT_WITHIN_DAYS, ListCasesDto } from './dto/list-cases.dto';
import type { Unit } from '../calendar/work-calendar';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { CaseHistory } from './entities/case-history.entity';
import { findForCase } from './history/case-history.repository';
import { Case } from './entities/case.entity';
import { auditedKey, SearchLeg, searchLegs } from './case-search';
import { CaseListRawRow, casesOfPerson, countFiltered, Cursor, EXCERPT_CHARS, filteredCases, FilterBounds, filteredIds, ListOrder, ListPage, listPage, listPageQuery, nameInLedger, visibleCaseByNo } from './case-query.repository';
import { classifySearch, PERSONAL_SEARCH_KINDS, SearchKind, SearchQuery } from './search-query';

export const DEFAULT_PAGE_SIZE = 20;

export interface CaseListRow {
  id: number;
  caseNo: string;
  channel: Case['channel'];
  kind: Case['kind'];
  program: Case['program'];
  status: Case['status'];
  urgency: Case['urgency'];
  receivedAt: Date;
  townshipId: number | null;
  townshipName: string | null;
  subjectName: string | null;
  excerpt: string;
  /** The township deadline (期限) and its state, as the queues show them. */
  dueDate: string | null;
  dueState: Case['dueState'];
  dueUnit: Unit | null;
  /** Days past the deadline in `dueUnit`, from the deadlines service (0 when not past). */
  overdueDays: number | null;
  /** The case's county: its calendar counts the overdue days (not shown). */
  countyCode?: string;
}

const BAD_CURSOR = [{ field: 'cursor', message: '翻页参数不正确，请从第一页重新查询' }];

export function encodeCursor(receivedAtDb: string, id: number): string {
  return Buffer.from(`${receivedAtDb}|${id}`).toString('base64url');
}

export function encodeSearchCursor(id: number): string {
  return Buffer.from(`s|${id}`).toString('base64url');
}

export function encodeDueCursor(order: 'dueAsc' | 'dueDesc', dueDate: string, id: number): string {
  return Buffer.from(`${order === 'dueAsc' ? 'd' : 'D'}|${dueDate}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const search = /^s\|(\d+)$/.exec(text);
  if (search) return { mode: 'search', id: Number(search[1]) };
  const due = /^([dD])\|(\d{4}-\d{2}-\d{2})\|(\d+)$/.exec(text);
  if (due) return { mode: due[1] === 'd' ? 'dueAsc' : 'dueDesc', dueDate: due[2], id: Number(due[3]) };
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)\|(\d+)$/.exec(text);
  if (!m) throw new InputInvalidException(BAD_CURSOR);
  return { mode: 'received', receivedAt: m[1], id: Number(m[2]) };
}

/** A search result count stops here: past it, "1000+" says enough and costs nothing. */
export const SEARCH_COUNT_CAP = 1000;

/**
 * A filtered list's count stops here ("共 10000+ 件"): past it, counting costs what the county
 * holds (a second at 10M cases) and tells a reader nothing a page of the list does not. Exact
 * totals are the statistics' (统计表, 看板), which count what their period holds.
 */
export const LIST_COUNT_CAP = 10_000;

/** Reading cases: the list with its filters, one case with its history, a person's earlier cases. */
@Injectable()
export class CaseQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly deadlines: DeadlinesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The cases `user` may see that pass the filters. With a search text (`q`), the search box's
   * lookups (see case-search.ts): one leg of them, or (`leg` undefined: the ledger export) all.
   */
  filtered(user: AuthUser, f: ListCasesDto, leg?: SearchLeg): SelectQueryBuilder<Case> {
    return filteredCases(this.dataSource.manager, user, f, this.bounds(f), leg);
  }

  /** What the date filters compare with: the received days' instants, today, and the "due within" day. */
  private bounds(f: ListCasesDto): FilterBounds {
    const b: FilterBounds = { dueToday: this.deadlines.today() };
    if (f.receivedFrom) {
      const from = parseShanghaiDateTime(f.receivedFrom);
      if (!from) throw new InputInvalidException([{ field: 'receivedFrom', message: '开始日期不正确' }]);
      b.receivedFrom = from;
    }
    if (f.receivedTo) {
      const to = parseShanghaiDateTime(f.receivedTo);
      if (!to) throw new InputInvalidException([{ field: 'receivedTo', message: '结束日期不正确' }]);
      b.receivedBefore = new Date(to.getTime() + 86400_000);
    }
    if (f.deadline === 'dueWithin') b.dueCutoff = this.deadlines.dueWithinCutoff(f.withinDays ?? DEFAULT_WITHIN_DAYS);
    return b;
  }

  /**
   * A text search keeps its own order (newest registered first); otherwise the chosen sort. With a
   * deadline filter and no sort chosen, earliest deadline first: the filter's own index gives that
   * order, where newest received first would sort every overdue case for each page (118 ms at
   * 200k cases with 20k overdue).
   */
  private order(f: ListCasesDto): ListOrder {
    if (classifySearch(f.q)) return 'search';
    if (f.sort === 'due' || f.sort === 'overdueDays') return 'dueAsc';
    if (f.sort === 'dueDesc') return 'dueDesc';
    if (!f.sort && f.deadline) return 'dueAsc';
    return 'received';
  }

  /**
   * One page with keyset pagination: newest received first on (receivedAt, id); by deadline on
   * (dueDate, id), either way; with the search box, newest registered first on the case id, each
   * of the search's legs read up to one more than the page and merged.
   */
  async list(user: AuthUser, f: ListCasesDto): Promise<{ items: CaseListRow[]; nextCursor: string | null; searchKind: SearchKind | null }> {
    const sq = classifySearch(f.q);
    let page: CaseListRawRow[];
    let more: boolean;
    let order: ListOrder;
    let limit: number;
    if (!sq) {
      const p = this.page(user, f);
      ({ order, limit } = p.page);
      const raw = await listPage(this.dataSource.manager, user, f, p.bounds, p.page);
      page = raw.slice(0, limit);
      more = raw.length > limit;
    } else {
      // Each leg newest registered first, stopping at one more than the page: the first page+1 of
      // their union are among the first page+1 of each.
      const perLeg = await Promise.all(
        searchLegs(sq).map((leg) => {
          const p = this.page(user, f, leg);
          return listPage(this.dataSource.manager, user, f, p.bounds, p.page);
        }),
      );
      order = 'search';
      limit = f.limit ?? DEFAULT_PAGE_SIZE;
      const byId = new Map<number, CaseListRawRow>();
      for (const rows of perLeg) for (const r of rows) byId.set(r.id, r);
      const merged = [...byId.values()].sort((a, b) => b.id - a.id);
      page = merged.slice(0, limit);
      more = merged.length > limit;
      await this.auditSearch(user, sq, page.map((r) => r.caseNo));
    }
    const last = page[page.length - 1];
    const nextCursor =
      more && last
        ? order === 'search'
          ? encodeSearchCursor(last.id)
          : order === 'received'
            ? encodeCursor(typeof last.receivedAt === 'string' ? last.receivedAt : toDbDateTime(last.receivedAt), last.id)
            : encodeDueCursor(order, last.dueDate!, last.id)
        : null;
    const late = await this.deadlines.overdueBy(page.map((r) => ({ dueDate: r.dueDate, unit: r.dueUnit, countyCode: r.countyCode ?? '' })));
    return {
      items: page.map(({ reporterType, reporterName, subjectUnit, subjectPost, problemTypes, reporterDisclosedToTownshipId, countyCode: _county, ...r }, i) => {
        const cut = r.excerpt.length > EXCERPT_CHARS ? r.excerpt.slice(0, EXCERPT_CHARS) + '…' : r.excerpt;
        const facts = { kind: r.kind, reporterType: reporterType!, reporterName: reporterName ?? null, subjectName: r.subjectName, subjectUnit: subjectUnit ?? null, subjectPost: subjectPost ?? null, problemTypes: (problemTypes ? problemTypes.split(',') : []) as ExcerptFacts['problemTypes'], reporterDisclosedToTownshipId };
        return { ...r, overdueDays: late[i], receivedAt: fromDbDateTime(r.receivedAt), excerpt: excerptFor(user, facts, cut) };
      }),
      nextCursor,
      searchKind: sq?.kind ?? null,
    };
  }

  /**
   * The query of one list page (its order, cursor and size; with the search box, of one of its
   * legs), for the query-plan tests; `list` runs the same.
   */
  pageQuery(user: AuthUser, f: ListCasesDto, leg?: SearchLeg) {
    const { bounds, page } = this.page(user, f, leg);
    return { qb: listPageQuery(this.dataSource.manager, user, f, bounds, page), order: page.order, limit: page.limit };
  }

  /** One list page's filter bounds, order, size and cursor (a cursor of another order is refused). */
  private page(user: AuthUser, f: ListCasesDto, leg?: SearchLeg): { bounds: FilterBounds; page: ListPage } {
    const limit = f.limit ?? DEFAULT_PAGE_SIZE;
    const order = this.order(f);
    const bounds = this.bounds(f);
    let cursor: Cursor | undefined;
    if (f.cursor) {
      cursor = decodeCursor(f.cursor);
      // a cursor of another order would skip or repeat cases: start again from the first page
      if (cursor.mode !== order) throw new InputInvalidException(BAD_CURSOR);
    }
    return { bounds, page: { order, limit, cursor, leg } };
  }

  /**
   * 按个人信息查找: who searched by which kind of personal key (masked, and keyed-hashed so an
   * inspector can ask "who looked for this number"), and which cases came back (the page, or the
   * export). A name-shaped text typed by county staff is audited when it is somebody's name in the
   * ledger (a reporter's or a subject's, in any case): a search for 低保 is not. Typed by anyone
   * else it is always audited, so a township user trying a withheld complainant's name is
   * recorded, and the time of the answer (an audit write or not) does not tell them whether that
   * name is in the ledger.
   */
  async auditSearch(user: AuthUser, sq: SearchQuery | null, caseNos: string[], extra: Record<string, unknown> = {}): Promise<void> {
    if (!sq || !PERSONAL_SEARCH_KINDS.includes(sq.kind)) return;
    if (sq.kind === 'name' && COUNTY_CASE_ROLES.includes(user.role)) {
      if (!(await nameInLedger(this.dataSource.manager, sq.nameKey))) return;
    }
    await this.audit.record(user, 'case.search', 'search', sq.kind, { ...auditedKey(sq, this.config.sessionSecret), caseNos, ...extra });
  }

  /**
   * How many cases match, up to LIST_COUNT_CAP (a text search: SEARCH_COUNT_CAP); `capped` when
   * there are more. COUNT(*) rather than TypeORM's getCount(), whose COUNT(DISTINCT id) is slower.
   */
  async count(user: AuthUser, f: ListCasesDto): Promise<{ total: number; capped: boolean }> {
    const sq = classifySearch(f.q);
    if (!sq) {
      const n = await countFiltered(this.dataSource.manager, user, f, this.bounds(f), LIST_COUNT_CAP);
      return { total: Math.min(n, LIST_COUNT_CAP), capped: n > LIST_COUNT_CAP };
    }
    // the union of the legs' ids, each read up to the cap
    const ids = new Set<number>();
    let capped = false;
    for (const leg of searchLegs(sq)) {
      const legIds = await filteredIds(this.dataSource.manager, user, { ...f, cursor: undefined }, this.bounds(f), leg, SEARCH_COUNT_CAP + 1);
      if (legIds.length > SEARCH_COUNT_CAP) capped = true;
      for (const id of legIds) ids.add(id);
    }
    capped ||= ids.size > SEARCH_COUNT_CAP;
    return { total: Math.min(ids.size, SEARCH_COUNT_CAP), capped };
  }

  /** A case the user may read, or 404 exactly as if it did not exist. */
  async getByCaseNo(user: AuthUser, caseNo: string): Promise<Case> {
    const found = await visibleCaseByNo(this.dataSource.manager, user, caseNo);
    if (!found) throw new NotFoundException({ message: '未找到该案件' });
    // Every read of a case by a user comes through here: a township user reading a reporter that a
    // supervisor disclosed to them is audited (who, when, case, reason).
    if (found.reporterType === 'realName' && isDisclosedTo(user, found) && isReport(found)) {
      await this.audit.record(user, 'reporter.view', 'case', found.caseNo, { reason: found.reporterDisclosureReason });
    }
    return found;
  }

  /**
   * The case's history as `viewer` may read it: the one read path (pages, API, prints). Referral
   * steps are left out for those who may not know of leads; when the reporter is withheld from
   * the viewer, notes and data are read as the content is (the reporter's name and numbers starred).
   */
  async history(viewer: AuthUser, c: Case): Promise<CaseHistory[]> {
    const rows = await findForCase(this.dataSource.manager, c.id);
    const seen = mayKnowOfLeads(viewer) ? rows : rows.filter((h) => !isReferralEntry(h));
    if (!reporterFor(viewer, c).withheld) return seen;
    const mask = (text: string) => contentFor({ withheld: true }, { content: text, reporterName: c.reporterName });
    const deep = (v: unknown): unknown => (typeof v === 'string' ? mask(v) : Array.isArray(v) ? v.map(deep) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : v);
    return seen.map((h) => Object.assign(Object.create(Object.getPrototypeOf(h)), h, { note: h.note === null ? null : mask(h.note), data: h.data === null ? null : deep(h.data) }) as CaseHistory);
  }

  /**
   * Earlier cases of the same person, by phone or ID number, newest first, among the cases the
   * user may see. County roles only: it reads reporter details.
   */
  async personMatches(user: AuthUser, phone: string | undefined, idNumber: string | undefined, excludeId?: number, limit = 10) {
    const p = phone ? normalisePhone(phone) : '';
    const id = idNumber ? normaliseIdNumber(idNumber) : '';
    if (p.length < 7 && id.length < 18) return [];
    return casesOfPerson(this.dataSource.manager, user, { phone: p.length >= 7 ? p : undefined, idNumber: id.length === 18 ? id : undefined }, excludeId, limit);
  }
}
