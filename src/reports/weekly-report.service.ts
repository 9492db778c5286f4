import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { referralScopeSql } from '../referrals/referral-access';
import ExcelJS from 'exceljs';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import { dayNumber, shanghaiToday, ymdOf } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { KIND_LABELS, KINDS } from '../cases/case.enums';
import type { ProblemType } from '../cases/case.enums';
import { parseShanghaiDateTime, toDbDateTime } from '../common/time';

/**
 * 周报 (seed 000: reported every Thursday morning): the seven days before the report's Thursday,
 * Thursday to Wednesday, with the figures the progress summary needs, by township.
 */
/**
 * Seed 000's five 整治重点, each with the problem types (DOMAIN §4) that report it. The weekly
 * report is to go through them one by one, with figures (逐条…要有具体数据支撑).
 */
export const FOCUS_ITEMS: { no: number; label: string; types: ProblemType[] }[] = [
  { no: 1, label: '吃拿卡要、暗箱操作、优亲厚友，"关系保""人情保"', types: ['favouritism', 'bribery', 'opaqueHandling'] },
  { no: 2, label: '低保、特困供养等社会救助资金未及时足额发放', types: ['latePayment'] },
  { no: 3, label: '为服刑和死亡人员超期发放救助补助资金', types: ['paidAfterDeathOrPrison'] },
  { no: 4, label: '救助申请不按规定受理、超时限办理、未书面告知', types: ['overdueHandling', 'excluded'] },
  { no: 5, label: '低保救助资金发放中的其他违纪违法问题', types: ['embezzlement', 'wronglyIncluded', 'singlePersonEnrolment', 'duplicateEnrolment', 'privacyLeak', 'attitude', 'other'] },
];

@Injectable()
export class WeeklyReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The Thursday of the report for a given day: that day if Thursday, else the next Thursday. */
  static reportThursday(ymd: string): string {
    const n = dayNumber(ymd)!;
    const weekday = new Date(n * 86400_000).getUTCDay(); // 4 = Thursday
    return ymdOf(n + ((4 - weekday + 7) % 7));
  }

  /** The week's report over the cases `viewer` may see (the one scope rule). */
  async compute(viewer: AuthUser, thursday: string) {
    const scope = caseScopeSql(viewer);
    const leads = referralScopeSql(viewer);
    const end = dayNumber(thursday)!; // exclusive: the report covers Thu .. Wed before it
    const fromYmd = ymdOf(end - 7);
    const toYmd = ymdOf(end - 1);
    const from = toDbDateTime(parseShanghaiDateTime(fromYmd)!);
    const to = toDbDateTime(parseShanghaiDateTime(thursday)!);
    const q = <T>(sql: string, params: unknown[] = [from, to]) => this.dataSource.query(sql, params) as Promise<T[]>;
    const one = async (sql: string, params?: unknown[]) => Number((await q<{ n: number }>(sql, params))[0].n ?? 0);
    // 超期未办结 as it stood at the report's Thursday (or today, for a week still running): a
    // township clock past its date then, and not yet met by then; rebuilt from the clocks, so a
    // past week's report does not change as cases are closed later.
    const today = shanghaiToday(this.clock.now());
    const asOf = thursday < today ? thursday : today;
    const asOfAt = toDbDateTime(parseShanghaiDateTime(asOf)!);
    const overdueAt = `EXISTS (SELECT 1 FROM case_deadlines d WHERE d.caseId = c.id AND d.stage IN ('acknowledge', 'verify', 'redo') AND d.referralId IS NULL
         AND d.dueDate < ? AND d.startDate < ? AND (d.status = 'open' OR d.closedAt >= ?))`;
    const byKind = await q<{ kind: string; n: number }>(`SELECT c.kind, COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ? AND ${scope.sql} GROUP BY c.kind`, [from, to, ...scope.params]);
    const townships = await q<{ name: string; received: number; closed: number; overdue: number }>(
      `SELECT t.name,
         (SELECT COUNT(*) FROM cases c WHERE c.townshipId = t.id AND c.receivedAt >= ? AND c.receivedAt < ? AND ${scope.sql}) AS received,
         (SELECT COUNT(*) FROM cases c WHERE c.townshipId = t.id AND c.closedAt >= ? AND c.closedAt < ? AND ${scope.sql}) AS closed,
         (SELECT COUNT(*) FROM cases c WHERE c.townshipId = t.id AND ${overdueAt} AND ${scope.sql}) AS overdue
       FROM townships t WHERE t.active = TRUE ORDER BY t.sortOrder, t.id`,
      [from, to, ...scope.params, from, to, ...scope.params, asOf, asOf, asOfAt, ...scope.params],
    );
    const figures = {
      received: byKind.reduce((a, x) => a + x.n, 0),
      byKind: KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k], n: byKind.find((x) => x.kind === k)?.n ?? 0 })),
      closed: await one(`SELECT COUNT(*) AS n FROM cases c WHERE c.closedAt >= ? AND c.closedAt < ? AND ${scope.sql}`, [from, to, ...scope.params]),
      misconduct: await one(
        `SELECT COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ? AND c.kind = 'complaint'
           AND c.id IN (SELECT caseId FROM case_problem_types WHERE problemType IN ('favouritism', 'bribery', 'opaqueHandling', 'embezzlement')) AND ${scope.sql}`,
        [from, to, ...scope.params],
      ),
      referred: await one(`SELECT COUNT(*) AS n FROM referrals r WHERE r.referredAt >= ? AND r.referredAt < ? AND ${leads.sql}`, [from, to, ...leads.params]),
      resultsReturned: await one(`SELECT COUNT(*) AS n FROM referrals r WHERE r.resultReturnedAt >= ? AND r.resultReturnedAt < ? AND ${leads.sql}`, [from, to, ...leads.params]),
      relatives: await one(`SELECT COUNT(*) AS n FROM relative_registrations WHERE registeredAt >= ? AND registeredAt < ?`, [fromYmd, thursday]),
      // home visits made in the week (by the visit's date): township verification by 入户调查, county visits
      homeVisits: await one(
        `SELECT COUNT(DISTINCT h.caseId) AS n FROM case_history h JOIN cases c ON c.id = h.caseId
         WHERE ((h.action = 'verify' AND h.data LIKE '%"homeVisit"%') OR h.action = 'county-visit') AND json_extract(h.data, '$.visitDate') >= ? AND json_extract(h.data, '$.visitDate') < ? AND ${scope.sql}`,
        [fromYmd, thursday, ...scope.params],
      ),
      overdueNow: await one(`SELECT COUNT(*) AS n FROM cases c WHERE ${overdueAt} AND ${scope.sql}`, [asOf, asOf, asOfAt, ...scope.params]),
    };
    // 逐条: for each 整治重点, complaints received in the week, complaints closed in the week and,
    // of those, found true or partly true
    const focus = [];
    for (const item of FOCUS_ITEMS) {
      const [row] = await q<{ received: number; closed: number; confirmed: number }>(
        `SELECT COALESCE(SUM(c.receivedAt >= ? AND c.receivedAt < ?), 0) AS received,
                COALESCE(SUM(c.closedAt >= ? AND c.closedAt < ?), 0) AS closed,
                COALESCE(SUM(c.closedAt >= ? AND c.closedAt < ? AND c.verificationOutcome IN ('true', 'partlyTrue')), 0) AS confirmed
         FROM cases c WHERE c.kind = 'complaint' AND c.id IN (SELECT caseId FROM case_problem_types WHERE problemType IN (${item.types.map((x) => `'${x}'`).join(', ')})) AND ${scope.sql}`,
        [from, to, from, to, from, to, ...scope.params],
      );
      focus.push({ ...item, received: Number(row.received), closed: Number(row.closed), confirmed: Number(row.confirmed) });
    }
    const summary =
      `本周（${fromYmd} 至 ${toYmd}）新登记诉求 ${figures.received} 件（${figures.byKind.map((k) => `${k.label} ${k.n} 件`).join('，')}），` +
      `办结 ${figures.closed} 件；收到反映优亲厚友、吃拿卡要等问题的投诉举报 ${figures.misconduct} 件，向纪检监察移交问题线索 ${figures.referred} 件，收到办理结果 ${figures.resultsReturned} 件；` +
      `完成近亲属备案 ${figures.relatives} 人；入户核实 ${figures.homeVisits} 件。截至 ${asOf}，超期未办结 ${figures.overdueNow} 件。`;
    return { thursday, fromYmd, toYmd, asOf, figures, townships, focus, summary };
  }

  async xlsx(r: Awaited<ReturnType<WeeklyReportService['compute']>>, out: Writable): Promise<void> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('周报');
    ws.columns = [{ width: 48 }, { width: 16 }, { width: 14 }, { width: 24 }];
    ws.addRow([`重点问题整治工作进展情况周报（${r.fromYmd} 至 ${r.toYmd}，${r.thursday} 报送）`]).font = { bold: true };
    ws.addRow([r.summary]);
    ws.addRow([]);
    ws.addRow(['整治重点', '本周收到投诉举报', '本周办结', '其中查实（属实、部分属实）']).font = { bold: true };
    for (const f of r.focus) ws.addRow([`${f.no}. ${f.label}`, f.received, f.closed, f.confirmed]);
    ws.addRow([]);
    ws.addRow(['乡镇', '本周新登记', '本周办结', `超期未办结（截至 ${r.asOf}）`]).font = { bold: true };
    for (const t of r.townships) ws.addRow([t.name, t.received, t.closed, t.overdue]);
    await wb.xlsx.write(out);
  }
}
