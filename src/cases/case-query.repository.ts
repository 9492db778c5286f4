import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { Unit } from '../calendar/work-calendar';
import { Sql, sqlFrom } from '../database/sql';
import { dueClockUnitSql } from '../deadlines/deadlines.repository';
import type { ExcerptFacts } from '../documents/documents';
import { COUNTY_CASE_ROLES } from '../users/role';
import { applyCaseScope } from './case-access';
import { applySearch, nameKeyMatch, SearchLeg } from './case-search';
import { CASE_SEARCH } from './case-search.repository';
import type { ListCasesDto } from './dto/list-cases.dto';
import { Case } from './entities/case.entity';
import { classifySearch } from './search-query';

/**
 * The reads of the case list (its filters, pages and counts), of one case by its number, of a
 * person's earlier cases and of whether a name is in the ledger. Every read of cases a user sees
 * is narrowed by the one scope rule (applyCaseScope: county, role, recusal). The SQL is the same
 * on both engines (postgres-sql.ts reads it for PostgreSQL); the full-text index's differences
 * are in CASE_SEARCH.
 */

/** Where a list page starts: by received time, (text search) by registration order, or by deadline. */
export type Cursor = { mode: 'received'; receivedAt: string; id: number } | { mode: 'search'; id: number } | { mode: 'dueAsc' | 'dueDesc'; dueDate: string; id: number };

/** The order of a list: a text search keeps its own; otherwise the chosen sort. */
export type ListOrder = Cursor['mode'];

/** What the list's date filters compare with, as the service works them out (the clock, the Shanghai days). */
export interface FilterBounds {
  /** receivedFrom: received at or after this instant. */
  receivedFrom?: Date;
  /** receivedTo: received before this instant (the start of the day after). */
  receivedBefore?: Date;
  /** Today (Shanghai): a deadline before it is past. */
  dueToday: string;
  /** deadline=dueWithin: the last day of "due within n days". */
  dueCutoff?: string;
}

/** One page of the list: its order and size, where the previous page ended, and the search leg (if any). */
export interface ListPage {
  order: ListOrder;
  limit: number;
  cursor?: Cursor;
  leg?: SearchLeg;
}

/** A list row as the database gives it; the reporter's facts only for viewers outside the county's staff. */
export type CaseListRawRow = {
  id: number;
  caseNo: string;
  channel: Case['channel'];
  kind: Case['kind'];
  program: Case['program'];
  status: Case['status'];
  urgency: Case['urgency'];
  receivedAt: string | Date;
  townshipId: number | null;
  townshipName: string | null;
  subjectName: string | null;
  excerpt: string;
  dueDate: string | null;
  dueState: Case['dueState'];
  dueUnit: Unit | null;
  countyCode?: string;
} & Partial<Omit<ExcerptFacts, 'problemTypes'> & { problemTypes: string }>;

/** The content's first characters read for a list row's excerpt (one more than shown tells it was cut). */
export const EXCERPT_CHARS = 60;

/**
 * The query builder of the cases `user` may see that pass the filters (alias `c`). With a search
 * text (`q`), the search box's lookups (see case-search.ts): one leg of them, or (`leg` undefined:
 * the ledger export) all.
 */
export function filteredCases(m: EntityManager, user: AuthUser, f: ListCasesDto, b: FilterBounds, leg?: SearchLeg): SelectQueryBuilder<Case> {
  const qb = m.getRepository(Case).createQueryBuilder('c');
  applyCaseScope(qb, user);
  if (f.status) qb.andWhere('c.status = :status', { status: f.status });
  if (f.townshipId) qb.andWhere('c.townshipId = :townshipId', { townshipId: f.townshipId });
  if (f.kind) qb.andWhere('c.kind = :kind', { kind: f.kind });
  if (f.program) qb.andWhere('c.program = :program', { program: f.program });
  if (f.channel) qb.andWhere('c.channel = :channel', { channel: f.channel });
  if (f.problemType) {
    qb.andWhere('c.id IN (SELECT caseId FROM case_problem_types WHERE problemType = :problemType)', { problemType: f.problemType });
  }
  if (b.receivedFrom) qb.andWhere('c.receivedAt >= :from', { from: b.receivedFrom });
  if (b.receivedBefore) qb.andWhere('c.receivedAt < :to', { to: b.receivedBefore });
  // 期限: judged by the date, as the dashboard judges lateness (the scan's overdue mark can lag
  // its five minutes); the partial index on (dueDate, id) holds exactly the cases with a deadline
  const dueToday = b.dueToday;
  if (f.deadline === 'overdue' || f.sort === 'overdueDays') qb.andWhere('c.dueDate < :dueToday', { dueToday });
  if (f.deadline === 'dueWithin') qb.andWhere('c.dueDate >= :dueToday AND c.dueDate <= :dueCutoff', { dueToday, dueCutoff: b.dueCutoff });
  if (f.sort === 'due' || f.sort === 'dueDesc') qb.andWhere('c.dueDate IS NOT NULL');
  const sq = classifySearch(f.q);
  // The content leg is driven by the full-text index, newest registered first: FTS5 walks its
  // matches in descending rowid (= case id) order and stops at the page size, so even a word
  // found in half of a million cases costs a millisecond. The other legs are index lookups.
  if (sq) applySearch(qb, user, sq, leg);
  return qb;
}

/**
 * The query builder of one list page (its columns, order, cursor and size: `limit` rows and one
 * more, which tells there is a next page), with keyset pagination: newest received first on
 * (receivedAt, id); by deadline on (dueDate, id), either way; with the search box, newest
 * registered first on the case id of one leg. The query-plan tests read it.
 */
export function listPageQuery(m: EntityManager, user: AuthUser, f: ListCasesDto, b: FilterBounds, page: ListPage): SelectQueryBuilder<Case> {
  const { order, limit, cursor, leg } = page;
  const qb = filteredCases(m, user, f, b, leg)
    .leftJoin('c.township', 't')
    .select([
      'c.id AS id',
      'c.caseNo AS caseNo',
      'c.channel AS channel',
      'c.kind AS kind',
      'c.program AS program',
      'c.status AS status',
      'c.urgency AS urgency',
      'c.receivedAt AS receivedAt',
      'c.townshipId AS townshipId',
      't.name AS townshipName',
      'c.subjectName AS subjectName',
      `substr(c.content, 1, ${EXCERPT_CHARS + 1}) AS excerpt`,
      'c.dueDate AS dueDate',
      'c.dueState AS dueState',
      `${dueClockUnitSql('c')} AS dueUnit`,
      'c.countyCode AS countyCode',
      // what excerptFor needs to decide whether the excerpt may name the reporter
      ...(COUNTY_CASE_ROLES.includes(user.role)
        ? []
        : ['c.reporterType AS reporterType', 'c.reporterName AS reporterName', 'c.subjectUnit AS subjectUnit', 'c.subjectPost AS subjectPost', 'c.problemTypes AS problemTypes', 'c.reporterDisclosedToTownshipId AS reporterDisclosedToTownshipId']),
    ])
    .limit(limit + 1);
  const idCol = leg === 'content' ? CASE_SEARCH.id : 'c.id';
  if (order === 'search') qb.orderBy(idCol, 'DESC');
  else if (order === 'received') qb.orderBy('c.receivedAt', 'DESC').addOrderBy('c.id', 'DESC');
  else {
    const dir = order === 'dueAsc' ? 'ASC' : 'DESC';
    qb.orderBy('c.dueDate', dir).addOrderBy('c.id', dir);
  }
  if (cursor) {
    if (cursor.mode === 'search') qb.andWhere(`${idCol} < :curId`, { curId: cursor.id });
    else if (cursor.mode === 'received') qb.andWhere('(c.receivedAt, c.id) < (:curAt, :curId)', { curAt: cursor.receivedAt, curId: cursor.id });
    else qb.andWhere(`(c.dueDate, c.id) ${cursor.mode === 'dueAsc' ? '>' : '<'} (:curDue, :curId)`, { curDue: cursor.dueDate, curId: cursor.id });
  }
  return qb;
}

/** The rows of one list page (see listPageQuery): up to `limit` + 1. */
export function listPage(m: EntityManager, user: AuthUser, f: ListCasesDto, b: FilterBounds, page: ListPage): Promise<CaseListRawRow[]> {
  return listPageQuery(m, user, f, b, page).getRawMany<CaseListRawRow>();
}

/**
 * How many cases the user may see pass the filters, counted up to `upTo` (more gives upTo + 1):
 * COUNT(*) of at most upTo + 1 rows, so a county of millions counts as fast as one of thousands.
 */
export async function countFiltered(m: EntityManager, user: AuthUser, f: ListCasesDto, b: FilterBounds, upTo: number): Promise<number> {
  const [inner, params] = filteredCases(m, user, f, b).select('1', 'one').limit(upTo + 1).getQueryAndParameters();
  const row = await sqlFrom(m).get<{ n: number }>(`SELECT COUNT(*) AS n FROM (${inner}) counted`, params);
  return Number(row?.n ?? 0);
}

/** The ids of up to `limit` cases the user may see that pass the filters and one search leg. */
export async function filteredIds(m: EntityManager, user: AuthUser, f: ListCasesDto, b: FilterBounds, leg: SearchLeg, limit: number): Promise<number[]> {
  const rows: { id: number }[] = await filteredCases(m, user, f, b, leg).select('c.id', 'id').limit(limit).getRawMany();
  return rows.map((r) => r.id);
}

/**
 * Whether the name key is anybody's name in the ledger, a reporter's or a subject's, in any case
 * (not only the viewer's: see CaseQueryService.auditSearch).
 */
export async function nameInLedger(db: EntityManager | Sql, nameKey: string | undefined): Promise<boolean> {
  const hit = await sqlFrom(db).get<{ named: unknown }>(
    `SELECT EXISTS (SELECT 1 FROM cases c WHERE ${nameKeyMatch('c.reporterName', '?')}) OR EXISTS (SELECT 1 FROM cases c WHERE ${nameKeyMatch('c.subjectName', '?')}) AS named`,
    [nameKey, nameKey],
  );
  return !!hit?.named;
}

/** The case `caseNo` with its township, village and creator, if the user may see it; else null. */
export function visibleCaseByNo(m: EntityManager, user: AuthUser, caseNo: string): Promise<Case | null> {
  const qb = m
    .getRepository(Case)
    .createQueryBuilder('c')
    .leftJoinAndSelect('c.township', 't')
    .leftJoinAndSelect('c.village', 'v')
    .leftJoinAndSelect('c.createdBy', 'u')
    .where('c.caseNo = :caseNo', { caseNo });
  applyCaseScope(qb, user);
  return qb.getOne();
}

/**
 * Up to `limit` cases the user may see whose reporter has this phone or this ID number (either
 * given, already normalised; none given: none), but `excludeId`, newest received first: their id, number, kind,
 * status, received time, reporter's name and content.
 */
export function casesOfPerson(m: EntityManager, user: AuthUser, person: { phone?: string; idNumber?: string }, excludeId: number | undefined, limit: number): Promise<Case[]> {
  const qb = m
    .getRepository(Case)
    .createQueryBuilder('c')
    .select(['c.id', 'c.caseNo', 'c.kind', 'c.status', 'c.receivedAt', 'c.reporterName', 'c.content'])
    .orderBy('c.receivedAt', 'DESC')
    .limit(limit);
  const ors: string[] = [];
  if (person.phone) ors.push('c.reporterPhone = :p');
  if (person.idNumber) ors.push('c.reporterIdNumber = :id');
  if (!ors.length) return Promise.resolve([]);
  qb.where(`(${ors.join(' OR ')})`, { p: person.phone ?? '', id: person.idNumber ?? '' });
  if (excludeId) qb.andWhere('c.id <> :excludeId', { excludeId });
  applyCaseScope(qb, user);
  return qb.getMany();
}

/**
 * The ledger export's batch statement over the filtered cases (the viewer's scope and filters
 * already in `filtered`): the given columns, in id order after a keyset mark, `batch` rows at a
 * time. Its SQL and parameters, for the export's worker to run on a connection of its own.
 */
export function ledgerBatchStatement(filtered: SelectQueryBuilder<Case>, columns: readonly string[], lastMark: unknown, batch: number): [string, unknown[]] {
  return filtered
    .select(columns.map((c) => `c.${c} AS ${c}`))
    .andWhere('c.id > :ledgerLast', { ledgerLast: lastMark })
    .orderBy('c.id', 'ASC')
    .limit(batch)
    .getQueryAndParameters();
}
