import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { referralScopeSql } from '../referrals/referral-access';
import type ExcelJS from 'exceljs';
import { excelJs } from '../common/lazy-modules';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import { dayNumber, shanghaiToday, ymdOf } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { KIND_LABELS, KINDS } from '../cases/case.enums';
import type { ProblemType } from '../cases/case.enums';
import { parseShanghaiDateTime, toDbDateTime } from '../common/time';
import { casesClosed, focusComplaints, homeVisitsMade, leadsIn, misconductReceived, overdueAsOf, receivedByKind, relativesRegistered, townshipWeek } from './reports.repository';

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
    const at = [from, to] as const;
    const db = this.dataSource.manager;
    // 超期未办结 as it stood at the report's Thursday (or today, for a week still running)
    const today = shanghaiToday(this.clock.now());
    const asOf = thursday < today ? thursday : today;
    const asOfDay = { day: asOf, at: toDbDateTime(parseShanghaiDateTime(asOf)!) };
    const byKind = await receivedByKind(db, at, scope);
    const townships = await townshipWeek(db, at, asOfDay, scope);
    const figures = {
      received: byKind.reduce((a, x) => a + x.n, 0),
      byKind: KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k], n: byKind.find((x) => x.kind === k)?.n ?? 0 })),
      closed: await casesClosed(db, at, scope),
      misconduct: await misconductReceived(db, at, scope),
      referred: await leadsIn(db, 'referredAt', at, leads),
      resultsReturned: await leadsIn(db, 'resultReturnedAt', at, leads),
      relatives: await relativesRegistered(db, [fromYmd, thursday], null),
      // home visits made in the week (by the visit's date): township verification by 入户调查, county visits
      homeVisits: await homeVisitsMade(db, [fromYmd, thursday], scope),
      overdueNow: await overdueAsOf(db, asOfDay, scope),
    };
    // 逐条: for each 整治重点, complaints received in the week, complaints closed in the week and,
    // of those, found true or partly true
    const focus = [];
    for (const item of FOCUS_ITEMS) focus.push({ ...item, ...(await focusComplaints(db, item.types, at, scope)) });
    const summary =
      `本周（${fromYmd} 至 ${toYmd}）新登记诉求 ${figures.received} 件（${figures.byKind.map((k) => `${k.label} ${k.n} 件`).join('，')}），` +
      `办结 ${figures.closed} 件；收到反映优亲厚友、吃拿卡要等问题的投诉举报 ${figures.misconduct} 件，向纪检监察移交问题线索 ${figures.referred} 件，收到办理结果 ${figures.resultsReturned} 件；` +
      `完成近亲属备案 ${figures.relatives} 人；入户核实 ${figures.homeVisits} 件。截至 ${asOf}，超期未办结 ${figures.overdueNow} 件。`;
    return { thursday, fromYmd, toYmd, asOf, figures, townships, focus, summary };
  }

  async xlsx(r: Awaited<ReturnType<WeeklyReportService['compute']>>, out: Writable): Promise<void> {
    const wb = new (excelJs().Workbook)();
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
