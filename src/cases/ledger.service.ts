import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { maskIdNumber, maskPhone } from '../common/masking';
import { formatDateTime } from '../common/time';
import { stmt } from '../database/raw';
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
  VERIFICATION_OUTCOME_LABELS,
} from './case.enums';
import type { ProblemType } from './case.enums';
import { CaseQueryService } from './case-query.service';
import { ListCasesDto } from './dto/list-cases.dto';
import { Case } from './entities/case.entity';
import { reporterFor } from './reporter-view';

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
] as const;
type Key = (typeof LEDGER_COLUMNS)[number][0];

const BATCH = 5000;

const SELECTED = [
  'id', 'caseNo', 'receivedAt', 'channel', 'kind', 'program', 'problemTypes', 'urgency', 'reporterType', 'reporterName', 'reporterPhone',
  'reporterIdNumber', 'reporterAddress', 'subjectName', 'subjectUnit', 'subjectPost', 'townshipId', 'villageId', 'content', 'status',
  'assignedAt', 'dueDate', 'dueState', 'verificationOutcome', 'callbackResult', 'closedAt', 'closeReason', 'reporterDisclosedToTownshipId',
  'repeatOfId',
] as const;

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
 * arithmetic: a Date per cell was a sixth of the export's time.
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
 * The ledger (台账) of the case list's current filters, as .xlsx (exceljs streaming writer) or CSV
 * (UTF-8 with BOM so Excel reads the Chinese), one row per case, streamed in batches of 5,000:
 * memory stays flat however many rows. Reporter details are masked as in any list (DOMAIN §7),
 * and for township staff withheld exactly as on their pages (reporterFor).
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: CaseQueryService,
  ) {}

  private raw() {
    return (this.dataSource.driver as unknown as { databaseConnection: import('better-sqlite3').Database }).databaseConnection;
  }

  private async *rows(user: AuthUser, f: ListCasesDto): AsyncGenerator<string[]> {
    const [townships, villages] = await Promise.all([
      this.dataSource.query('SELECT id, name FROM townships') as Promise<{ id: number; name: string }[]>,
      this.dataSource.query('SELECT id, name FROM villages') as Promise<{ id: number; name: string }[]>,
    ]);
    const tName = new Map(townships.map((t) => [t.id, t.name]));
    const vName = new Map(villages.map((v) => [v.id, v.name]));
    const county = COUNTY_CASE_ROLES.includes(user.role);
    const fields = SELECTED.map((c) => `c.${c} AS ${c}`);
    const at = Object.fromEntries(SELECTED.map((c, i) => [c, i])) as Record<(typeof SELECTED)[number], number>;
    const db = this.raw();
    let lastId = 0;
    for (;;) {
      const qb = this.query
        .filtered(user, { ...f, cursor: undefined, limit: undefined })
        .select(fields)
        .andWhere('c.id > :ledgerLast', { ledgerLast: lastId })
        .orderBy('c.id', 'ASC')
        .limit(BATCH);
      // Run by better-sqlite3 directly, rows as arrays: TypeORM's and even better-sqlite3's
      // per-row objects cost three times the query.
      const [sql, params] = qb.getQueryAndParameters();
      const batch = stmt(db, sql).raw(true).all(...params) as unknown[][];
      if (!batch.length) return;
      const first = batch[0][at.id] as number;
      const last = batch[batch.length - 1][at.id] as number;
      // Late stages and referrals for the whole batch, one indexed query each.
      const late = new Set(
        (stmt(db, `SELECT DISTINCT caseId FROM case_deadlines WHERE caseId BETWEEN ? AND ? AND late = 1 AND referralId IS NULL`).raw(true).all(first, last) as number[][]).map((r) => r[0]),
      );
      const leads = new Map(
        county
          ? (stmt(db, `SELECT rc.caseId, GROUP_CONCAT(r.leadNo) FROM referral_cases rc JOIN referrals r ON r.id = rc.referralId WHERE rc.caseId BETWEEN ? AND ? GROUP BY rc.caseId`)
              .raw(true)
              .all(first, last) as [number, string][])
          : [],
      );
      const repeatIds = [...new Set(batch.map((r) => r[at.repeatOfId] as number | null).filter((x): x is number => !!x))];
      const repeatNos = new Map(
        repeatIds.length
          ? (db.prepare(`SELECT id, caseNo FROM cases WHERE id IN (${repeatIds.map(() => '?').join(',')})`).raw(true).all(...repeatIds) as [number, string][])
          : [],
      );
      for (const r of batch) {
        const g = (k: (typeof SELECTED)[number]) => r[at[k]] as never;
        const id = g('id') as number;
        const problemTypes = g('problemTypes') ? (String(g('problemTypes')).split(',') as ProblemType[]) : [];
        // County staff see every reporter (masked numbers); others get exactly what reporterFor
        // gives them. The county path skips building a case object per row.
        let reporter: string;
        let phone: string | null;
        let idNo: string | null;
        if (county) {
          const anonymous = g('reporterType') === 'anonymous';
          reporter = anonymous ? '匿名' : (g('reporterName') ?? '');
          phone = anonymous ? null : g('reporterPhone');
          idNo = anonymous ? null : g('reporterIdNumber');
        } else {
          const rep = reporterFor(user, {
            kind: g('kind'), reporterType: g('reporterType'), reporterName: g('reporterName'), reporterPhone: g('reporterPhone'),
            reporterIdNumber: g('reporterIdNumber'), reporterAddress: g('reporterAddress'), subjectName: g('subjectName'), subjectUnit: g('subjectUnit'),
            subjectPost: g('subjectPost'), problemTypes, reporterDisclosedToTownshipId: g('reporterDisclosedToTownshipId'),
          } as unknown as Case);
          reporter = rep.name ? rep.name : rep.displayName;
          phone = rep.phone;
          idNo = rep.idNumber;
        }
        const subjectUnit = g('subjectUnit') as string | null;
        const subjectPost = g('subjectPost') as string | null;
        const townshipId = g('townshipId') as number | null;
        const villageId = g('villageId') as number | null;
        const outcome = g('verificationOutcome') as keyof typeof VERIFICATION_OUTCOME_LABELS | null;
        const callback = g('callbackResult') as keyof typeof CALLBACK_RESULT_LABELS | null;
        const closeReason = g('closeReason') as keyof typeof CLOSE_REASON_LABELS | null;
        yield [
          g('caseNo'),
          dbTime(g('receivedAt')),
          CHANNEL_LABELS[g('channel') as keyof typeof CHANNEL_LABELS],
          KIND_LABELS[g('kind') as keyof typeof KIND_LABELS],
          PROGRAM_LABELS[g('program') as keyof typeof PROGRAM_LABELS],
          problemTypes.length ? problemTypes.map((p) => PROBLEM_TYPE_LABELS[p] ?? p).join('；') : '',
          URGENCY_LABELS[g('urgency') as keyof typeof URGENCY_LABELS],
          reporter,
          // Lists and exports show phone and ID masked, whoever exports (DOMAIN §7).
          phone ? maskPhone(phone) : '',
          idNo ? maskIdNumber(idNo) : '',
          g('subjectName') ?? '',
          subjectUnit && subjectPost ? `${subjectUnit} ${subjectPost}` : (subjectUnit ?? subjectPost ?? ''),
          townshipId ? (tName.get(townshipId) ?? '') : '',
          villageId ? (vName.get(villageId) ?? '') : '',
          g('content'),
          CASE_STATUS_LABELS[g('status') as keyof typeof CASE_STATUS_LABELS],
          dbTime(g('assignedAt')),
          g('dueDate') ?? '',
          g('assignedAt') ? (late.has(id) || g('dueState') === 'overdue' ? '超期' : '按期') : '',
          outcome ? VERIFICATION_OUTCOME_LABELS[outcome] : '',
          callback ? CALLBACK_RESULT_LABELS[callback] : '',
          dbTime(g('closedAt')),
          closeReason ? CLOSE_REASON_LABELS[closeReason] : '',
          g('repeatOfId') ? `重复（${repeatNos.get(g('repeatOfId')) ?? ''}）` : '',
          leads.get(id) ?? '',
        ];
      }
      if (batch.length < BATCH) return;
      lastId = last;
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
    for await (const row of this.rows(user, f)) {
      chunk += row.map(csvField).join(',') + '\r\n';
      if (++n % 2000 === 0) await flush();
    }
    await flush();
    await new Promise<void>((resolve) => out.end(resolve));
    return n;
  }

  async xlsx(user: AuthUser, f: ListCasesDto, out: Writable): Promise<number> {
    // No cell styles: they halve exceljs's speed. The header row stays visible by freezing it.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = LEDGER_COLUMNS.map(([key, header, width]) => ({ key, header, width }));
    let n = 0;
    for await (const row of this.rows(user, f)) {
      ws.addRow(row).commit();
      if (++n % 1000 === 0) await zipCaughtUp(ws, out);
    }
    ws.commit();
    await wb.commit();
    return n;
  }
}
