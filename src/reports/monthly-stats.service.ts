import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import type ExcelJS from 'exceljs';
import { excelJs } from '../common/lazy-modules';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import { KIND_LABELS, KINDS, PROGRAM_LABELS, PROGRAMS } from '../cases/case.enums';
import { shanghaiMonthRange, toDbDateTime } from '../common/time';
import { Clock } from '../common/clock';
import { shanghaiToday } from '../calendar/work-calendar';
import { casesVisited, favouritismFound, leadsReferredWithCases, onlineAccepted, receiptNoticesDue, receivedByKindProgram, relativesRegistered } from './reports.repository';

/** A calendar month in Asia/Shanghai as [start, end) instants. */
export const monthRange = shanghaiMonthRange;

export interface StatLine {
  key: string;
  section: string;
  label: string;
  /** null: the system cannot know it; left for the township to fill in. */
  value: number | null;
  /** For a line left to the township: what this system counted that may help fill it in. */
  reference?: string;
}

export interface MonthlyStats {
  month: string;
  townshipId: number | null;
  byKindProgram: { kind: string; kindLabel: string; counts: number[]; total: number }[];
  programLabels: string[];
  newCases: number;
  lines: StatLine[];
  /**
   * 书面告知 (《信访工作条例》第二十三条) of the month, beside the template's table (which has no line
   * for it): written notices due in the month, and those not given by their day (given late, or
   * still not given and past it).
   */
  notices: { due: number; late: number };
}

/**
 * 统计表 in the shape of seed 004 (全县困难群众救助保障政策落实专项治理进展情况统计表): figures for the
 * month only, never cumulative. Lines the system can count are filled from the ledger; the
 * others are left blank for the township to fill in.
 */
@Injectable()
export class MonthlyStatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The month's figures over the cases `viewer` may see (the one scope rule). */
  async compute(viewer: AuthUser, month: string, townshipId: number | null): Promise<MonthlyStats> {
    const range = monthRange(month)!;
    const from = toDbDateTime(range.from);
    const to = toDbDateTime(range.to);
    const days = [month + '-01', nextMonth(month) + '-01'] as const;
    const at = [from, to] as const;
    const scope = caseScopeSql(viewer);
    const db = this.dataSource.manager;

    const grid = await receivedByKindProgram(db, at, scope, townshipId);
    const byKindProgram = KINDS.map((kind) => {
      const counts = PROGRAMS.map((p) => grid.find((g) => g.kind === kind && g.program === p)?.n ?? 0);
      return { kind, kindLabel: KIND_LABELS[kind], counts, total: counts.reduce((a, b) => a + b, 0) };
    });
    const newCases = byKindProgram.reduce((a, r) => a + r.total, 0);

    // 受理 in the month: online help requests accepted this month (a refused one is not 受理)
    const online = await onlineAccepted(db, at, scope, townshipId);
    const relatives = await relativesRegistered(db, days, townshipId);
    // problems dealt with: favouritism or bribery complaints closed this month and found true
    const favouritism = await favouritismFound(db, at, scope, townshipId);
    const referred = await leadsReferredWithCases(db, at, scope, townshipId);
    // Visits are counted by the day they took place (visitDate, YYYY-MM-DD in Shanghai), not by
    // when they were recorded. They count cases, while the template asks for people: shown as a
    // reference beside the blank, not as the figure.
    const homeVisits = await casesVisited(db, 'verify', days, scope, townshipId);
    const countyVisits = await casesVisited(db, 'county-visit', days, scope, townshipId);

    // 未书面告知: notices due this month (by the clock's last day), and those not given by that day
    const notices = await receiptNoticesDue(db, days, shanghaiToday(this.clock.now()), scope, townshipId);

    // Seed 004's 统计表, line by line in its order and words; each blank of the template is a line.
    const S1 = '本乡镇部署推进社会救助保障落实情况';
    const S2 = '精准对照兜底保障职责落实情况';
    const S3 = '精准关注动态监测对象情况';
    const S4 = '精准排查摸清救助对象情况';
    const S5 = '精准聚焦工作作风问题专项治理情况';
    const S6 = '精准排查数据预警情况';
    const blank = (key: string, section: string, label: string, reference?: string): StatLine => ({ key, section, label, value: null, ...(reference ? { reference } : {}) });
    const lines: StatLine[] = [
      blank('meeting', S1, '召开会议进行部署情况：（ 月 日召开）'),
      blank('newUrbanDibao', S2, '本乡镇当月底新纳入城镇低保对象（人）'),
      blank('newRuralDibao', S2, '当月底新纳入农村低保对象（人）'),
      blank('tekunToInstitution', S2, '安排特困老人入住养老机构（人）'),
      blank('tekunVisits', S2, '走访探视分散特困老人（人）'),
      blank('povertyToDibao', S2, '将符合条件的脱贫人口纳入城乡低保（人）'),
      blank('povertyToTekun', S2, '将符合条件的脱贫人口纳入特困供养（人）'),
      blank('povertyTemporary', S2, '将符合条件的脱贫人口实施临时救助（人次）'),
      blank('monitoredToDibao', S2, '将符合条件的防止返贫监测对象纳入城乡低保（人）'),
      blank('monitoredToTekun', S2, '将符合条件的防止返贫监测对象纳入特困供养（人）'),
      blank('monitoredTemporary', S2, '将符合条件的防止返贫监测对象实施临时救助（人次）'),
      blank('lowIncomeMarked', S3, '当月底在社会救助信息管理系统对低收入人口共计进行标记（人）'),
      blank('markedRevitalisation', S3, '其中：乡村振兴防贫监测对象标记（人）'),
      blank('markedMedical', S3, '其中：大额医疗支出对象标记（人）'),
      blank('markedGraduates', S3, '其中：困难毕业生对象标记（人）'),
      blank('markedHousing', S3, '其中：住房救助标记（人）'),
      blank('markedDisabled', S3, '其中：残联重残对象标记（人）'),
      blank('markedRelocated', S3, '其中：易地搬迁对象标记（人）'),
      blank('economicCheck', S3, '对在享低保、特困救助对象进行经济状况核对（人）'),
      blank('countyVisits', S3, '对救助对象开展实地入户核查（人）', `本系统：当月县级入户核查 ${countyVisits} 件`),
      blank('riskVisits', S4, '当月对动态监测风险预警对象开展精准入户排查（人）'),
      blank('homeVisits', S4, '乡镇人民政府对新审核认定对象进行入户调查（人）', `本系统：当月乡镇入户核实诉求 ${homeVisits} 件`),
      { key: 'online', section: S5, label: '当月底受理网上自助申请（件）', value: online },
      { key: 'relatives', section: S5, label: '进行近亲属备案对象（人）', value: relatives },
      { key: 'favouritism', section: S5, label: '整治"人情保""关系保"、优亲厚友、吃拿卡要问题（个）', value: favouritism, reference: '本系统：当月办结且核实属实或部分属实的此类投诉举报' },
      { key: 'referred', section: S5, label: '配合纪检部门移交问题线索（件）', value: referred },
      blank('criticised', S5, '批评教育帮助（人）'),
      blank('typicalCases', S5, '通报典型违纪违法案例（件）'),
      blank('warningEducation', S5, '开展警示教育（次）'),
      blank('dataWarnings', S6, '当月在社会救助信息管理系统对核对数据预警进行标记（人）'),
      blank('warningDibao', S6, '其中：低保标记（人）'),
      blank('warningTekun', S6, '其中：特困标记（人）'),
      blank('warningMarginal', S6, '其中：低保边缘户（人）'),
      blank('warningExpenditure', S6, '其中：支出型困难家庭（人）'),
    ];
    return {
      month,
      townshipId,
      byKindProgram,
      programLabels: PROGRAMS.map((p) => PROGRAM_LABELS[p]),
      newCases,
      lines,
      notices,
    };
  }

  /**
   * The 统计表 as .xlsx after seed 004: the title, 填报单位（盖章） and 填报时间, the project name,
   * one row per blank of the template (section, measure, figure, what this system counted), the
   * signature line and the note. The template's wide one-row table becomes one row per blank so
   * each figure has a cell; the new cases by kind and program go on a second sheet, not the one
   * that is submitted.
   */
  async xlsx(stats: MonthlyStats, unit: string, out: Writable): Promise<void> {
    const wb = new (excelJs().Workbook)();
    const ws = wb.addWorksheet('统计表');
    ws.columns = [{ width: 30 }, { width: 60 }, { width: 12 }, { width: 36 }];
    ws.mergeCells('A1:D1');
    ws.getCell('A1').value = TITLE;
    ws.getCell('A1').font = { bold: true, size: 14 };
    ws.getCell('A1').alignment = { horizontal: 'center' };
    ws.addRow([`填报单位（盖章）：${unit}`, `统计月份：${stats.month}（只填报当月发生的数据，不累计）`, '', '填报时间：    年   月   日']);
    ws.addRow(['项目名称', PROJECT_NAME]).font = { bold: true };
    ws.addRow(['工作措施', '内容', '数量', '本系统统计（供参考）']).font = { bold: true };
    for (const l of stats.lines) ws.addRow([l.section, l.label, l.value ?? '', l.reference ?? '']);
    ws.addRow([]);
    ws.addRow(['单位负责人：', '审核人：', '填表人：', '联系电话：']);
    ws.addRow([NOTE]);
    const cases = wb.addWorksheet('当月新登记诉求');
    cases.addRow([`当月新登记诉求（按类型和救助项目） ${stats.month}`]).font = { bold: true };
    cases.addRow(['诉求类型', ...stats.programLabels, '合计']).font = { bold: true };
    for (const r of stats.byKindProgram) cases.addRow([r.kindLabel, ...r.counts, r.total]);
    cases.addRow(['合计', ...stats.programLabels.map((_, i) => stats.byKindProgram.reduce((a, r) => a + r.counts[i], 0)), stats.newCases]);
    cases.addRow([]);
    cases.addRow([NOTICE_LINE, stats.notices.due, NOTICE_LATE_LINE, stats.notices.late]);
    await wb.xlsx.write(out);
  }
}

/** The statistics' 书面告知 line (page and the workbook's second sheet). */
export const NOTICE_LINE = '当月到期应书面告知（件）';
export const NOTICE_LATE_LINE = '其中未按期书面告知（件）';

export const TITLE = '全县困难群众救助保障政策落实专项治理进展情况统计表';
export const PROJECT_NAME = '整治困难群众救助保障政策落实不到位问题';
export const NOTE = '备注：所统计的数据不累计，只填报当月发生的数据，于每月4日前填报好相关情况上报县民政局社会救助股。';

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
