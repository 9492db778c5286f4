import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { contentFor } from '../documents/documents';
import { caseScopeSql } from './case-access';
import ExcelJS from 'exceljs';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { maskIdNumber, maskPhone } from '../common/masking';
import { shanghaiToday } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { formatDateTime, toDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';
import { COUNTY_CASE_ROLES } from '../users/role';
import {
  CALLBACK_RESULT_LABELS,
  CASE_STATUS_LABELS,
  CHANNEL_LABELS,
  CLOSE_REASON_LABELS,
  KIND_LABELS,
  PROBLEM_TYPE_LABELS,
  PROGRAM_LABELS,
  URGENCY_LABELS,
  NOTICE_KIND_LABELS,
  NOTICE_METHOD_LABELS,
  VERIFICATION_OUTCOME_LABELS,
} from './case.enums';
import { caseNosOf, leadNos, ledgerSelect, receiptNotices, timeliness } from './ledger.repository';
import type { ProblemType } from './case.enums';
import { CaseQueryService } from './case-query.service';
import { ListCasesDto } from './dto/list-cases.dto';
import { Case } from './entities/case.entity';
import { reporterFor } from './reporter-view';
import { classifySearch, PERSONAL_SEARCH_KINDS } from './search-query';

/** An export found by a person's data names its first cases in the audit (and counts them all). */
const AUDITED_CASE_NOS = 1000;

/** The ledger's columns (台账), in order, with their Chinese headers. */
export const LEDGER_COLUMNS = [
  ['caseNo', '案件编号', 16],
  ['receivedAt', '接收时间', 17],
  ['channel', '来源渠道', 10],
  ['kind', '诉求类型', 10],
  ['program', '救助项目', 12],
  ['problemTypes', '问题类别', 20],
  ['urgency', '紧急程度', 8],
  ['reporter', '反映人', 14],
  ['phone', '联系电话', 14],
  ['idNumber', '身份证号码', 20],
  ['subject', '被反映人', 10],
  ['subjectUnit', '被反映人单位职务', 20],
  ['township', '所在乡镇', 10],
  ['village', '村（社区）', 12],
  ['content', '诉求内容', 50],
  ['status', '状态', 10],
  ['assignedAt', '交办时间', 17],
  ['dueDate', '办理期限', 11],
  ['onTime', '是否按期', 8],
  ['outcome', '核实结论', 10],
  ['callback', '回访结果', 10],
  ['closedAt', '办结时间', 17],
  ['closeReason', '办结方式', 10],
  ['repeat', '重复件', 8],
  ['referral', '移交纪检', 14],
  ['receiptNotice', '书面告知', 22],
] as const;
type Key = (typeof LEDGER_COLUMNS)[number][0];

/**
 * Rows per query. Small batches die in V8's young generation: at 1M rows, batches of 5,000 made
 * the export spend a fifth of its time collecting garbage, and 10,000 were half as fast as 500.
 */
const BATCH = 500;
/**
 * Stands for the last case id of the previous batch while the query's SQL is built once. A
 * string, because TypeORM writes numbers into the SQL text, and each batch would then prepare
 * (and cache) a statement of its own.
 */
const LAST_ID_MARK = '\u0000ledger-last-id';

const SELECTED = [
  'id', 'caseNo', 'receivedAt', 'channel', 'kind', 'program', 'problemTypes', 'urgency', 'reporterType', 'reporterName', 'reporterPhone',
  'reporterIdNumber', 'subjectName', 'subjectUnit', 'subjectPost', 'townshipId', 'villageId', 'content', 'status', 'assignedAt', 'dueDate',
  'verificationOutcome', 'callbackResult', 'closedAt', 'closeReason', 'repeatOfId', 'receiptNoticeKind', 'receiptNoticeMethod', 'receiptNoticeDate',
  // only for reporterFor, when the exporter is not county staff
  'reporterAddress', 'reporterDisclosedToTownshipId',
] as const;
type Raw = (string | number | boolean | Date | null)[];
/** Column positions in a selected row. */
const I = Object.fromEntries(SELECTED.map((c, i) => [c, i])) as Record<(typeof SELECTED)[number], number>;

/**
 * Columns whose values come from users (names, content, places) and may hold a comma, quote or
 * line break; the others are labels, numbers and dates, which never do (checked by a test).
 */
export const FREE_TEXT_COLUMNS: ReadonlySet<Key> = new Set<Key>(['reporter', 'subject', 'subjectUnit', 'township', 'village', 'content']);
const QUOTE_AT = LEDGER_COLUMNS.map(([key]) => FREE_TEXT_COLUMNS.has(key));

/**
 * A free-text value that a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
 * return before one) gets a leading apostrophe, as OWASP advises against CSV injection: a
 * reporter's words must never run as a formula on the exporter's machine.
 */
export function csvText(v: string): string {
  const c = v.charCodeAt(0);
  // = + - @ \t \r
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? csvField(`'${v}`) : csvField(v);
}

/** One CSV line (CRLF), quoting only what may need it. */
export function csvLine(row: readonly string[]): string {
  let line = QUOTE_AT[0] ? csvText(row[0]) : row[0];
  for (let i = 1; i < row.length; i++) line += ',' + (QUOTE_AT[i] ? csvText(row[i]) : row[i]);
  return line + '\r\n';
}

/** The words of the 书面告知 column besides the labels (none may need CSV quoting: a unit test checks). */
export const NOTICE_CELL_WORDS = { late: '（逾期）', anonymous: '匿名无需告知', answered: '当场解答', untold: '未书面告知', untoldOverdue: '未书面告知（超期）' } as const;

/**
 * The ledger's 书面告知 cell: the notice given (kind, day, way; 逾期 past the 15 days), 未书面告知
 * while the clock runs (超期 past its day), nothing due for an anonymous report or a consultation
 * answered on the spot, and empty for cases from before the rule ran.
 */
function noticeCell(r: Raw, clock: readonly [string, string | null, number | boolean | null] | undefined, today: string): string {
  const kind = r[I.receiptNoticeKind] as keyof typeof NOTICE_KIND_LABELS | null;
  const method = r[I.receiptNoticeMethod] as keyof typeof NOTICE_METHOD_LABELS | null;
  if (kind && method) return `${NOTICE_KIND_LABELS[kind]} ${r[I.receiptNoticeDate]} ${NOTICE_METHOD_LABELS[method]}${clock?.[2] ? NOTICE_CELL_WORDS.late : ''}`;
  if (r[I.reporterType] === 'anonymous') return NOTICE_CELL_WORDS.anonymous;
  if (!clock) return '';
  const [status, dueDate] = clock;
  if (status === 'cancelled') return r[I.closeReason] === 'answered' ? NOTICE_CELL_WORDS.answered : '';
  if (status === 'open') return dueDate && dueDate < today ? NOTICE_CELL_WORDS.untoldOverdue : NOTICE_CELL_WORDS.untold;
  return '';
}

const problemTypeCache = new Map<string, string>();
/** 'a,b' (stored) → '甲；乙', cached: there are few distinct combinations. */
function problemTypeLabels(stored: string): string {
  let v = problemTypeCache.get(stored);
  if (v === undefined) {
    v = stored
      .split(',')
      .map((p) => PROBLEM_TYPE_LABELS[p as ProblemType] ?? p)
      .join('；');
    if (problemTypeCache.size < 10_000) problemTypeCache.set(stored, v);
  }
  return v;
}

/**
 * exceljs's streaming writer never waits: rows go into the zip entry's queue faster than deflate
 * and the client take them, and at a million rows the queue held over a gigabyte. Wait while the
 * queue is over 1 MB, and while the client is behind.
 */
async function zipCaughtUp(ws: unknown, out: Writable): Promise<void> {
  const entry = (ws as { stream?: { pipes?: { _writableState?: { length: number } }[] } }).stream?.pipes?.[0]?._writableState;
  while ((entry && entry.length > 1 << 20) || out.writableNeedDrain) await new Promise((r) => setTimeout(r, 2));
}

/** One CSV field: quoted only when it holds a comma, quote or line break. */
export function csvField(v: string | null | undefined): string {
  const t = v ?? '';
  return t.indexOf(',') < 0 && t.indexOf('"') < 0 && t.indexOf('\n') < 0 && t.indexOf('\r') < 0 ? t : `"${t.replace(/"/g, '""')}"`;
}

const nextDay = new Map<string, string>();
/**
 * 'YYYY-MM-DD HH:MM:SS.sss' (UTC, as stored) → 'YYYY-MM-DD HH:MM' in Shanghai, by string
 * arithmetic: a Date per cell was a sixth of the export's time. PostgreSQL's driver gives Dates:
 * read as the same text first.
 */
export function dbTime(at: string | Date | null): string {
  if (!at) return '';
  const v = typeof at === 'string' ? at : toDbDateTime(at);
  const h = Number(v.slice(11, 13)) + 8;
  if (h < 24) return `${v.slice(0, 10)} ${h < 10 ? '0' : ''}${h}${v.slice(13, 16)}`;
  const d = v.slice(0, 10);
  let next = nextDay.get(d);
  if (!next) nextDay.set(d, (next = formatDateTime(`${d}T16:00:00Z`).slice(0, 10)));
  const hh = h - 24;
  return `${next} 0${hh}${v.slice(13, 16)}`;
}

/**
 * The ledger (台账) of the case list's current filters, as .xlsx (exceljs streaming writer) or CSV
 * (UTF-8 with BOM so Excel reads the Chinese), one row per case, streamed in batches of 500:
 * memory stays flat however many rows. Reporter details are masked as in any list (DOMAIN §7),
 * and for township staff withheld exactly as on their pages (reporterFor).
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: CaseQueryService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /**
   * The ledger's rows, a batch of up to 500 at a time (one await per batch, not per row): the
   * rows as selected, and the function that turns one into the ledger's cells. The cells are made
   * one row at a time as they are written, so they die young and cost the garbage collector little.
   */
  private async *batches(user: AuthUser, f: ListCasesDto, disclosed: string[]): AsyncGenerator<{ raw: Raw[]; cells: (r: Raw) => string[] }> {
    const [townships, villages] = await Promise.all([
      this.dataSource.query('SELECT id, name FROM townships') as Promise<{ id: number; name: string }[]>,
      this.dataSource.query('SELECT id, name FROM villages') as Promise<{ id: number; name: string }[]>,
    ]);
    const tName = new Map(townships.map((t) => [t.id, t.name]));
    const vName = new Map(villages.map((v) => [v.id, v.name]));
    const county = COUNTY_CASE_ROLES.includes(user.role);
    // Each selected value costs a string: county exports leave out what only reporterFor reads.
    const fields = (county ? SELECTED.slice(0, -2) : SELECTED).map((c) => `c.${c} AS ${c}`);
    const sql = sqlOf(this.dataSource.manager);
    // The query is built once (the filters, the viewer's scope, keyset paging on the id) and run
    // on the connection directly, rows as arrays: TypeORM's and even better-sqlite3's per-row
    // objects cost three times the query.
    const [text, params] = this.query
      .filtered(user, { ...f, cursor: undefined, limit: undefined })
      .select(fields)
      .andWhere('c.id > :ledgerLast', { ledgerLast: LAST_ID_MARK })
      .orderBy('c.id', 'ASC')
      .limit(BATCH)
      .getQueryAndParameters();
    const lastAt = params.indexOf(LAST_ID_MARK);
    if (lastAt < 0 || params.lastIndexOf(LAST_ID_MARK) !== lastAt) throw new Error('ledger query: keyset parameter not found');
    params[lastAt] = 0;
    const select = ledgerSelect(this.dataSource.manager, sql, text);
    const today = shanghaiToday(this.clock.now());
    for (;;) {
      const batch = (await select(params)) as Raw[];
      if (!batch.length) return;
      const first = batch[0][I.id] as number;
      const last = batch[batch.length - 1][I.id] as number;
      // Late stages, notices, referrals and repeats for the whole batch, one indexed query each.
      // 是否按期: 超期, 按期 once the township has finished without being late, 在办 while it is
      // still being worked on within its time.
      const onTime = new Map((await timeliness(sql, today, first, last)).map(([caseId, isLate, finished]) => [caseId, isLate ? '超期' : finished ? '按期' : '在办'] as const));
      const notices = new Map((await receiptNotices(sql, first, last)).map(([caseId, ...rest]) => [caseId, rest] as const));
      const leads = new Map(county ? await leadNos(sql, first, last) : []);
      const repeatIds = [...new Set(batch.map((r) => r[I.repeatOfId] as number | null).filter((x): x is number => !!x))];
      // the earlier case's number only where the viewer may see that case too
      const repeatNos = new Map(await caseNosOf(sql, repeatIds, caseScopeSql(user)));
      const cells = (r: Raw): string[] => {
        const id = r[I.id] as number;
        const types = r[I.problemTypes] as string | null;
        // County staff see every reporter (masked numbers); others get exactly what reporterFor
        // gives them. The county path skips building a case object per row.
        let reporter: string;
        let phone: string | null;
        let idNo: string | null;
        let content = r[I.content] as string;
        if (county) {
          const anonymous = r[I.reporterType] === 'anonymous';
          reporter = anonymous ? '匿名' : ((r[I.reporterName] as string | null) ?? '');
          phone = anonymous ? null : (r[I.reporterPhone] as string | null);
          idNo = anonymous ? null : (r[I.reporterIdNumber] as string | null);
        } else {
          const rep = reporterFor(user, {
            kind: r[I.kind], reporterType: r[I.reporterType], reporterName: r[I.reporterName], reporterPhone: r[I.reporterPhone],
            reporterIdNumber: r[I.reporterIdNumber], reporterAddress: r[I.reporterAddress], subjectName: r[I.subjectName], subjectUnit: r[I.subjectUnit],
            subjectPost: r[I.subjectPost], problemTypes: types ? types.split(',') : [], reporterDisclosedToTownshipId: r[I.reporterDisclosedToTownshipId],
          } as unknown as Case);
          reporter = rep.name ? rep.name : rep.displayName;
          phone = rep.phone;
          idNo = rep.idNumber;
          content = contentFor(rep, { content, reporterName: r[I.reporterName] as string | null });
          // a reporter disclosed to the township, exported: audited with the export (csv/xlsx)
          if (rep.disclosed) disclosed.push(r[I.caseNo] as string);
        }
        const subjectUnit = r[I.subjectUnit] as string | null;
        const subjectPost = r[I.subjectPost] as string | null;
        const townshipId = r[I.townshipId] as number | null;
        const villageId = r[I.villageId] as number | null;
        const assignedAt = r[I.assignedAt] as string | Date | null;
        const outcome = r[I.verificationOutcome] as keyof typeof VERIFICATION_OUTCOME_LABELS | null;
        const callback = r[I.callbackResult] as keyof typeof CALLBACK_RESULT_LABELS | null;
        const closeReason = r[I.closeReason] as keyof typeof CLOSE_REASON_LABELS | null;
        const repeatOf = r[I.repeatOfId] as number | null;
        return [
          r[I.caseNo] as string,
          dbTime(r[I.receivedAt] as string | Date),
          CHANNEL_LABELS[r[I.channel] as keyof typeof CHANNEL_LABELS],
          KIND_LABELS[r[I.kind] as keyof typeof KIND_LABELS],
          PROGRAM_LABELS[r[I.program] as keyof typeof PROGRAM_LABELS],
          types ? problemTypeLabels(types) : '',
          URGENCY_LABELS[r[I.urgency] as keyof typeof URGENCY_LABELS],
          reporter,
          // Lists and exports show phone and ID masked, whoever exports (DOMAIN §7).
          phone ? maskPhone(phone) : '',
          idNo ? maskIdNumber(idNo) : '',
          (r[I.subjectName] as string | null) ?? '',
          subjectUnit && subjectPost ? `${subjectUnit} ${subjectPost}` : (subjectUnit ?? subjectPost ?? ''),
          townshipId ? (tName.get(townshipId) ?? '') : '',
          villageId ? (vName.get(villageId) ?? '') : '',
          content,
          CASE_STATUS_LABELS[r[I.status] as keyof typeof CASE_STATUS_LABELS],
          dbTime(assignedAt),
          (r[I.dueDate] as string | null) ?? '',
          onTime.get(id) ?? '',
          outcome ? VERIFICATION_OUTCOME_LABELS[outcome] : '',
          callback ? CALLBACK_RESULT_LABELS[callback] : '',
          dbTime(r[I.closedAt] as string | Date | null),
          closeReason ? CLOSE_REASON_LABELS[closeReason] : '',
          repeatOf ? `重复（${repeatNos.get(repeatOf) ?? ''}）` : '',
          leads.get(id) ?? '',
          noticeCell(r, notices.get(id), today),
        ];
      };
      yield { raw: batch, cells };
      if (batch.length < BATCH) return;
      params[lastAt] = last;
    }
  }

  async csv(user: AuthUser, f: ListCasesDto, out: Writable): Promise<number> {
    // The CSV is written by hand (RFC 4180 quoting) in chunks of rows: a general CSV library's
    // per-row machinery was a third of the export's time.
    let chunk = '\uFEFF' + LEDGER_COLUMNS.map(([, header]) => csvField(header)).join(',') + '\r\n';
    let n = 0;
    const flush = async () => {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    };
    const disclosed: string[] = [];
    const search = classifySearch(f.q);
    const found: string[] = [];
    const keep = search && PERSONAL_SEARCH_KINDS.includes(search.kind) ? AUDITED_CASE_NOS : 0;
    for await (const { raw, cells } of this.batches(user, f, disclosed)) {
      for (const r of raw) chunk += csvLine(cells(r));
      for (const r of raw) if (found.length < keep) found.push(r[I.caseNo] as string);
      n += raw.length;
      await flush();
    }
    await flush();
    await this.auditDisclosed(user, 'csv', n, disclosed);
    await this.query.auditSearch(user, search, found, { export: 'csv', rows: n });
    await new Promise<void>((resolve) => out.end(resolve));
    return n;
  }

  async xlsx(user: AuthUser, f: ListCasesDto, out: Writable): Promise<number> {
    // No cell styles: they halve exceljs's speed. The header row stays visible by freezing it.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = LEDGER_COLUMNS.map(([key, header, width]) => ({ key, header, width }));
    let n = 0;
    const disclosed: string[] = [];
    const search = classifySearch(f.q);
    const found: string[] = [];
    const keep = search && PERSONAL_SEARCH_KINDS.includes(search.kind) ? AUDITED_CASE_NOS : 0;
    for await (const { raw, cells } of this.batches(user, f, disclosed)) {
      for (const r of raw) if (found.length < keep) found.push(r[I.caseNo] as string);
      for (const r of raw) {
        // An empty cell is left out rather than written as an empty string: less XML per row.
        const row: (string | null)[] = cells(r);
        for (let i = 0; i < row.length; i++) if (row[i] === '') row[i] = null;
        ws.addRow(row).commit();
        if (++n % 1000 === 0) await zipCaughtUp(ws, out);
      }
    }
    ws.commit();
    await this.auditDisclosed(user, 'xlsx', n, disclosed);
    await this.query.auditSearch(user, search, found, { export: 'xlsx', rows: n });
    await wb.commit();
    return n;
  }

  /** One audit row per export that held reporters disclosed to the exporting township, naming those cases. */
  private async auditDisclosed(user: AuthUser, format: 'csv' | 'xlsx', rows: number, caseNos: string[]): Promise<void> {
    if (!caseNos.length) return;
    await this.audit.record(user, 'reporter.export', 'export', format, { caseNos, rows });
  }
}
