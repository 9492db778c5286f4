import type { Writable } from 'stream';
import type { AuthUser } from '../auth/auth-user';
import { maskIdNumber, maskPhone } from '../common/masking';
import { formatDateTime } from '../common/time';
import { XlsxStreamWriter } from '../common/xlsx-stream';
import type { DatabaseTarget } from '../database/engine';
import { ReadConnection, sqlOfConnection } from '../database/sql';
import { contentFor } from '../documents/documents';
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
import type { ProblemType } from './case.enums';
import type { Case } from './entities/case.entity';
import { batchLeadNos, batchNoticeClocks, caseNosWithin, ledgerBatchReader, LedgerRow, placeNames } from './ledger.repository';
import { reporterFor } from './reporter-view';

/**
 * The ledger (台账) made from its plan: rows read and encoded as CSV or .xlsx, a batch at a time.
 * This runs in the export's worker thread (ledger.worker.ts) on a read connection of its own; the
 * plan (the query with the viewer's scope, who the viewer is, today) is made in the main thread by
 * LedgerService, so the scope and masking are decided where they always were.
 */

/**
 * What the main thread decides before an export: the batch query of the case list's own filters
 * and the viewer's scope (keyset on the id, its last-id parameter at `lastAt`), the viewer, the
 * scope of the earlier cases named in 重复件, today, and how many found case numbers to report
 * for the search audit.
 */
export interface LedgerPlan {
  target: DatabaseTarget;
  format: 'csv' | 'xlsx';
  sql: string;
  params: unknown[];
  lastAt: number;
  user: AuthUser;
  county: boolean;
  today: string;
  repeatScope: { sql: string; params: unknown[] };
  keepFound: number;
  /** Cases per .xlsx sheet (XLSX_SHEET_ROWS unless given). */
  sheetRows?: number;
  /** The LIMIT of `sql` (BATCH unless given): a shorter batch is the last. */
  batchRows?: number;
}

/** Sent to the main thread after each batch: what it must audit (cases with a disclosed reporter, case numbers found by a search). */
export interface LedgerNote {
  rows: number;
  disclosed: string[];
  found: string[];
}

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
export const BATCH = 500;
export const SELECTED = [
  'id', 'caseNo', 'receivedAt', 'channel', 'kind', 'program', 'problemTypes', 'urgency', 'reporterType', 'reporterName', 'reporterPhone',
  'reporterIdNumber', 'subjectName', 'subjectUnit', 'subjectPost', 'townshipId', 'villageId', 'content', 'status', 'assignedAt', 'dueDate',
  'verificationOutcome', 'callbackResult', 'closedAt', 'closeReason', 'repeatOfId', 'receiptNoticeKind', 'receiptNoticeMethod', 'receiptNoticeDate',
  // what the clocks say of its timeliness (kept by the database, migration CaseTimeliness)
  'clocksLate', 'clocksMet', 'clocksOpen', 'clocksOpenDue',
  // only for reporterFor, when the exporter is not county staff
  'reporterAddress', 'reporterDisclosedToTownshipId',
] as const;
type Raw = LedgerRow;
/** Column positions in a selected row. */
export const I = Object.fromEntries(SELECTED.map((c, i) => [c, i])) as Record<(typeof SELECTED)[number], number>;

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
function noticeCell(r: Raw, clock: readonly [string, string | null, number] | undefined, today: string): string {
  const kind = r[I.receiptNoticeKind] as keyof typeof NOTICE_KIND_LABELS | null;
  const method = r[I.receiptNoticeMethod] as keyof typeof NOTICE_METHOD_LABELS | null;
  if (kind && method) return `${NOTICE_KIND_LABELS[kind]} ${r[I.receiptNoticeDate]} ${NOTICE_METHOD_LABELS[method]}${clock?.[2] === 1 ? NOTICE_CELL_WORDS.late : ''}`;
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

/** One CSV field: quoted only when it holds a comma, quote or line break. */
export function csvField(v: string | null | undefined): string {
  const t = v ?? '';
  return t.indexOf(',') < 0 && t.indexOf('"') < 0 && t.indexOf('\n') < 0 && t.indexOf('\r') < 0 ? t : `"${t.replace(/"/g, '""')}"`;
}

const nextDay = new Map<string, string>();
/**
 * 'YYYY-MM-DD HH:MM:SS…' (UTC, as the export's read connection gives an instant on either engine:
 * openReadConnection) → 'YYYY-MM-DD HH:MM' in Shanghai, by string arithmetic: a Date per cell was
 * a sixth of the export's time.
 */
export function dbTime(v: string | null): string {
  if (!v) return '';
  const h = Number(v.slice(11, 13)) + 8;
  if (h < 24) return `${v.slice(0, 10)} ${h < 10 ? '0' : ''}${h}${v.slice(13, 16)}`;
  const d = v.slice(0, 10);
  let next = nextDay.get(d);
  if (!next) nextDay.set(d, (next = formatDateTime(`${d}T16:00:00Z`).slice(0, 10)));
  const hh = h - 24;
  return `${next} 0${hh}${v.slice(13, 16)}`;
}

/**
 * 是否按期, as the dashboard counts it (from the case's clock columns): 超期 when a clock was met
 * late or is open past its date today; 按期 once the township has finished (verification or redo
 * met, nothing open) without either; 在办 while one still runs within its time; nothing for a
 * case neither measured nor running (closed by the county before any township work).
 */
function timelinessLabel(r: Raw, today: string): string {
  const openDue = r[I.clocksOpenDue] as string | null;
  if (truthy(r[I.clocksLate]) || (openDue !== null && openDue < today)) return '超期';
  if (truthy(r[I.clocksOpen])) return '在办';
  return truthy(r[I.clocksMet]) ? '按期' : '';
}

/** A boolean column as either engine returns it (1 / 0 from SQLite, true / false from PostgreSQL). */
const truthy = (v: unknown) => v === true || v === 1;

async function* batches(plan: LedgerPlan, c: ReadConnection, disclosed: string[]): AsyncGenerator<{ raw: Raw[]; cells: (r: Raw) => string[] }> {
  const { user, county, today, repeatScope } = plan;
  const sql = sqlOfConnection(c);
  const { townships: tName, villages: vName } = await placeNames(sql);
  const params = [...plan.params];
  const lastAt = plan.lastAt;
  const select = ledgerBatchReader(c, plan.sql);
  // One batch and what its rows need: receipt notices, referrals and earlier cases for the whole
  // batch, one indexed query each.
  const fetch = async (p: readonly unknown[]) => {
    const batch = (await select(p)) as Raw[];
    if (!batch.length) return null;
    const first = batch[0][I.id] as number;
    const last = batch[batch.length - 1][I.id] as number;
    const repeatIds = [...new Set(batch.map((r) => r[I.repeatOfId] as number | null).filter((x): x is number => !!x))];
    const [noticeRows, leadRows, repeatRows] = await Promise.all([
      batchNoticeClocks(sql, first, last),
      county ? batchLeadNos(sql, first, last) : [],
      repeatIds.length ? caseNosWithin(sql, repeatIds, repeatScope) : [],
    ]);
    return { batch, last, noticeRows, leadRows, repeatRows };
  };
  // The next batch is asked for before this one is encoded: on PostgreSQL the server reads it
  // while this thread writes the rows (a batch at a time, they took turns and each waited on the
  // other); SQLite reads synchronously either way.
  let next: Promise<Awaited<ReturnType<typeof fetch>>> | null = fetch(params);
  try {
    while (next) {
      const got = await next;
      if (!got) return;
      const { batch, last, noticeRows, leadRows, repeatRows } = got;
      if (batch.length < (plan.batchRows ?? BATCH)) next = null;
      else {
        params[lastAt] = last;
        next = fetch([...params]);
      }
      // 书面告知 (《信访工作条例》第二十三条): the clock of each case of the batch
      const notices = new Map(noticeRows.map(([caseId, ...rest]) => [caseId, rest] as const));
      const leads = new Map(leadRows);
      const repeatNos = new Map(repeatRows);
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
        const assignedAt = r[I.assignedAt] as string | null;
        const outcome = r[I.verificationOutcome] as keyof typeof VERIFICATION_OUTCOME_LABELS | null;
        const callback = r[I.callbackResult] as keyof typeof CALLBACK_RESULT_LABELS | null;
        const closeReason = r[I.closeReason] as keyof typeof CLOSE_REASON_LABELS | null;
        const repeatOf = r[I.repeatOfId] as number | null;
        return [
          r[I.caseNo] as string,
          dbTime(r[I.receivedAt] as string),
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
          timelinessLabel(r, today),
          outcome ? VERIFICATION_OUTCOME_LABELS[outcome] : '',
          callback ? CALLBACK_RESULT_LABELS[callback] : '',
          dbTime(r[I.closedAt] as string | null),
          closeReason ? CLOSE_REASON_LABELS[closeReason] : '',
          repeatOf ? `重复（${repeatNos.get(repeatOf) ?? ''}）` : '',
          leads.get(id) ?? '',
          noticeCell(r, notices.get(id), today),
        ];
      };
      yield { raw: batch, cells };
    }
  } finally {
    // an export stopped early (the client went away) leaves no read to fail unheard
    next?.catch(() => undefined);
  }
}



/** Writes the ledger of the plan to `out` (ending it); the number of rows. */
export async function encodeLedger(plan: LedgerPlan, c: ReadConnection, out: Writable, note: (n: LedgerNote) => void): Promise<number> {
  return plan.format === 'xlsx' ? xlsx(plan, c, out, note) : csv(plan, c, out, note);
}

/** The audit's share of one batch, sent on as a note. */
function noteBatch(plan: LedgerPlan, raw: Raw[], disclosed: string[], found: { n: number }, note: (n: LedgerNote) => void): void {
  const take = Math.max(0, Math.min(raw.length, plan.keepFound - found.n));
  found.n += take;
  note({ rows: raw.length, disclosed: disclosed.splice(0), found: raw.slice(0, take).map((r) => r[I.caseNo] as string) });
}

async function csv(plan: LedgerPlan, c: ReadConnection, out: Writable, note: (n: LedgerNote) => void): Promise<number> {
  // The CSV is written by hand (RFC 4180 quoting) in chunks of rows: a general CSV library's
  // per-row machinery was a third of the export's time.
  let chunk = '\uFEFF' + LEDGER_COLUMNS.map(([, header]) => csvField(header)).join(',') + '\r\n';
  let n = 0;
  const flush = async () => {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    chunk = '';
  };
  const disclosed: string[] = [];
  const found = { n: 0 };
  for await (const { raw, cells } of batches(plan, c, disclosed)) {
    for (const r of raw) chunk += csvLine(cells(r));
    noteBatch(plan, raw, disclosed, found, note);
    n += raw.length;
    await flush();
  }
  await flush();
  await new Promise<void>((resolve) => out.end(resolve));
  return n;
}

/**
 * Rows of cases on one sheet: a sheet of Excel or LibreOffice holds 1,048,576 rows, the header
 * one of them. A longer ledger goes on over sheets 台账（2）, 台账（3）…, each with its header.
 */
export const XLSX_SHEET_ROWS = 1_048_575;

async function xlsx(plan: LedgerPlan, c: ReadConnection, out: Writable, note: (n: LedgerNote) => void): Promise<number> {
  const wb = new XlsxStreamWriter(out);
  const perSheet = plan.sheetRows ?? XLSX_SHEET_ROWS;
  const columns = LEDGER_COLUMNS.map(([, header, width]) => ({ header, width }));
  let sheets = 0;
  const sheet = () => wb.addSheet(++sheets === 1 ? '台账' : `台账（${sheets}）`, columns);
  await sheet();
  let n = 0;
  const disclosed: string[] = [];
  const found = { n: 0 };
  for await (const { raw, cells } of batches(plan, c, disclosed)) {
    for (const r of raw) {
      if (n > 0 && n % perSheet === 0) await sheet();
      n++;
      const room = wb.addRow(cells(r));
      if (room) await room;
    }
    // after the rows: making their cells is what finds the disclosed reporters among them
    noteBatch(plan, raw, disclosed, found, note);
  }
  await wb.end();
  return n;
}
