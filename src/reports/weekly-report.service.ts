import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import { dayNumber, ymdOf } from '../calendar/work-calendar';
import { KIND_LABELS, KINDS } from '../cases/case.enums';
import { parseShanghaiDateTime, toDbDateTime } from '../common/time';

/**
 * 周报 (seed 000: reported every Thursday morning): the seven days before the report's Thursday,
 * Thursday to Wednesday, with the figures the progress summary needs, by township.
 */
@Injectable()
export class WeeklyReportService {
  constructor(private readonly dataSource: DataSource) {}

  /** The Thursday of the report for a given day: that day if Thursday, else the next Thursday. */
  static reportThursday(ymd: string): string {
    const n = dayNumber(ymd)!;
    const weekday = new Date(n * 86400_000).getUTCDay(); // 4 = Thursday
    return ymdOf(n + ((4 - weekday + 7) % 7));
  }

  async compute(thursday: string) {
    const end = dayNumber(thursday)!; // exclusive: the report covers Thu .. Wed before it
    const fromYmd = ymdOf(end - 7);
    const toYmd = ymdOf(end - 1);
    const from = toDbDateTime(parseShanghaiDateTime(fromYmd)!);
    const to = toDbDateTime(parseShanghaiDateTime(thursday)!);
    const q = <T>(sql: string, params: unknown[] = [from, to]) => this.dataSource.query(sql, params) as Promise<T[]>;
    const one = async (sql: string, params?: unknown[]) => Number((await q<{ n: number }>(sql, params))[0].n ?? 0);
    const byKind = await q<{ kind: string; n: number }>(`SELECT kind, COUNT(*) AS n FROM cases WHERE receivedAt >= ? AND receivedAt < ? GROUP BY kind`);
    const townships = await q<{ name: string; received: number; closed: number; overdue: number }>(
      `SELECT t.name,
         (SELECT COUNT(*) FROM cases c WHERE c.townshipId = t.id AND c.receivedAt >= ? AND c.receivedAt < ?) AS received,
         (SELECT COUNT(*) FROM cases c WHERE c.townshipId = t.id AND c.closedAt >= ? AND c.closedAt < ?) AS closed,
         (SELECT COUNT(*) FROM cases c WHERE c.townshipId = t.id AND c.dueDate IS NOT NULL AND c.dueDate < ?) AS overdue
       FROM townships t WHERE t.active = 1 ORDER BY t.sortOrder, t.id`,
      [from, to, from, to, thursday],
    );
    const figures = {
      received: byKind.reduce((a, x) => a + x.n, 0),
      byKind: KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k], n: byKind.find((x) => x.kind === k)?.n ?? 0 })),
      closed: await one(`SELECT COUNT(*) AS n FROM cases WHERE closedAt >= ? AND closedAt < ?`),
      misconduct: await one(
        `SELECT COUNT(*) AS n FROM cases WHERE receivedAt >= ? AND receivedAt < ? AND kind = 'complaint'
           AND id IN (SELECT caseId FROM case_problem_types WHERE problemType IN ('favouritism', 'bribery', 'opaqueHandling', 'embezzlement'))`,
      ),
      referred: await one(`SELECT COUNT(*) AS n FROM referrals WHERE referredAt >= ? AND referredAt < ?`),
      resultsReturned: await one(`SELECT COUNT(*) AS n FROM referrals WHERE resultReturnedAt >= ? AND resultReturnedAt < ?`),
      relatives: await one(`SELECT COUNT(*) AS n FROM relative_registrations WHERE registeredAt >= ? AND registeredAt < ?`, [fromYmd, thursday]),
      homeVisits: await one(`SELECT COUNT(DISTINCT caseId) AS n FROM case_history WHERE action IN ('verify', 'county-visit') AND at >= ? AND at < ?`),
      overdueNow: await one(`SELECT COUNT(*) AS n FROM cases WHERE dueDate IS NOT NULL AND dueDate < ?`, [thursday]),
    };
    const summary =
      `本周（${fromYmd} 至 ${toYmd}）新登记诉求 ${figures.received} 件（${figures.byKind.map((k) => `${k.label} ${k.n} 件`).join('，')}），` +
      `办结 ${figures.closed} 件；收到反映优亲厚友、吃拿卡要等问题的投诉举报 ${figures.misconduct} 件，向纪检监察移交问题线索 ${figures.referred} 件，收到办理结果 ${figures.resultsReturned} 件；` +
      `完成近亲属备案 ${figures.relatives} 人；入户核实 ${figures.homeVisits} 件。截至 ${thursday}，超期未办结 ${figures.overdueNow} 件。`;
    return { thursday, fromYmd, toYmd, figures, townships, summary };
  }

  async xlsx(r: Awaited<ReturnType<WeeklyReportService['compute']>>, out: Writable): Promise<void> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('周报');
    ws.columns = [{ width: 18 }, { width: 14 }, { width: 14 }, { width: 14 }];
    ws.addRow([`重点问题整治工作进展情况周报（${r.fromYmd} 至 ${r.toYmd}，${r.thursday} 报送）`]).font = { bold: true };
    ws.addRow([r.summary]);
    ws.addRow([]);
    ws.addRow(['乡镇', '本周新登记', '本周办结', '当前超期']).font = { bold: true };
    for (const t of r.townships) ws.addRow([t.name, t.received, t.closed, t.overdue]);
    await wb.xlsx.write(out);
  }
}
