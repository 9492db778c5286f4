import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import { KIND_LABELS, KINDS, PROGRAM_LABELS, PROGRAMS } from '../cases/case.enums';
import { toDbDateTime } from '../common/time';

/** A calendar month in Asia/Shanghai as [start, end) instants. */
export function monthRange(month: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || +m[2] < 1 || +m[2] > 12) return null;
  const from = new Date(Date.UTC(+m[1], +m[2] - 1, 1) - 8 * 3600_000);
  const to = new Date(Date.UTC(+m[1], +m[2], 1) - 8 * 3600_000);
  return { from, to };
}

export interface StatLine {
  key: string;
  section: string;
  label: string;
  /** null: the system cannot know it; left for the township to fill in. */
  value: number | null;
}

export interface MonthlyStats {
  month: string;
  townshipId: number | null;
  byKindProgram: { kind: string; kindLabel: string; counts: number[]; total: number }[];
  programLabels: string[];
  newCases: number;
  lines: StatLine[];
}

/**
 * 统计表 in the shape of seed 004 (全县困难群众救助保障政策落实专项治理进展情况统计表): figures for the
 * month only, never cumulative. Lines the system can count are filled from the ledger; the
 * others are left blank for the township to fill in.
 */
@Injectable()
export class MonthlyStatsService {
  constructor(private readonly dataSource: DataSource) {}

  async compute(month: string, townshipId: number | null): Promise<MonthlyStats> {
    const range = monthRange(month)!;
    const from = toDbDateTime(range.from);
    const to = toDbDateTime(range.to);
    const tw = townshipId ? ' AND c.townshipId = ?' : '';
    const twp = townshipId ? [townshipId] : [];
    const one = async (sql: string, params: unknown[]) => Number((await this.dataSource.query(sql, params))[0].n ?? 0);

    const grid = (await this.dataSource.query(
      `SELECT c.kind, c.program, COUNT(*) AS n FROM cases c WHERE c.receivedAt >= ? AND c.receivedAt < ?${tw} GROUP BY c.kind, c.program`,
      [from, to, ...twp],
    )) as { kind: string; program: string; n: number }[];
    const byKindProgram = KINDS.map((kind) => {
      const counts = PROGRAMS.map((p) => grid.find((g) => g.kind === kind && g.program === p)?.n ?? 0);
      return { kind, kindLabel: KIND_LABELS[kind], counts, total: counts.reduce((a, b) => a + b, 0) };
    });
    const newCases = byKindProgram.reduce((a, r) => a + r.total, 0);

    const online = await one(`SELECT COUNT(*) AS n FROM cases c WHERE c.channel = 'online' AND c.kind = 'helpRequest' AND c.receivedAt >= ? AND c.receivedAt < ?${tw}`, [from, to, ...twp]);
    const relatives = await one(
      `SELECT COUNT(*) AS n FROM relative_registrations r WHERE r.registeredAt >= ? AND r.registeredAt < ?${townshipId ? ' AND r.townshipId = ?' : ''}`,
      [month + '-01', nextMonth(month) + '-01', ...twp],
    );
    const favouritism = await one(
      `SELECT COUNT(*) AS n FROM cases c WHERE c.closedAt >= ? AND c.closedAt < ? AND c.kind = 'complaint'${tw}
         AND c.id IN (SELECT caseId FROM case_problem_types WHERE problemType IN ('favouritism', 'bribery'))`,
      [from, to, ...twp],
    );
    const referred = await one(
      `SELECT COUNT(DISTINCT r.id) AS n FROM referrals r JOIN referral_cases rc ON rc.referralId = r.id JOIN cases c ON c.id = rc.caseId WHERE r.referredAt >= ? AND r.referredAt < ?${tw}`,
      [from, to, ...twp],
    );
    const homeVisits = await one(
      `SELECT COUNT(DISTINCT h.caseId) AS n FROM case_history h JOIN cases c ON c.id = h.caseId
       WHERE h.action = 'verify' AND h.at >= ? AND h.at < ? AND h.data LIKE '%"homeVisit"%'${tw}`,
      [from, to, ...twp],
    );
    const countyVisits = await one(
      `SELECT COUNT(DISTINCT h.caseId) AS n FROM case_history h JOIN cases c ON c.id = h.caseId WHERE h.action = 'county-visit' AND h.at >= ? AND h.at < ?${tw}`,
      [from, to, ...twp],
    );
    const S1 = '部署推进情况';
    const S2 = '精准对照兜底保障职责落实情况';
    const S3 = '精准关注动态监测对象情况';
    const S4 = '精准排查摸清救助对象情况';
    const S5 = '精准聚焦工作作风问题专项治理情况';
    const S6 = '精准排查数据预警情况';
    const lines: StatLine[] = [
      { key: 'meeting', section: S1, label: '召开会议进行部署（日期）', value: null },
      { key: 'newUrbanDibao', section: S2, label: '当月新纳入城镇低保对象（人）', value: null },
      { key: 'newRuralDibao', section: S2, label: '当月新纳入农村低保对象（人）', value: null },
      { key: 'tekunToInstitution', section: S2, label: '安排特困老人入住养老机构（人）', value: null },
      { key: 'tekunVisits', section: S2, label: '走访探视分散特困老人（人）', value: null },
      { key: 'povertyToDibao', section: S2, label: '将符合条件的脱贫人口纳入城乡低保（人）', value: null },
      { key: 'lowIncomeMarked', section: S3, label: '在社会救助信息管理系统对低收入人口进行标记（人）', value: null },
      { key: 'economicCheck', section: S3, label: '对在享低保、特困救助对象进行经济状况核对（人）', value: null },
      { key: 'countyVisits', section: S3, label: '对救助对象开展实地入户核查（人）——本系统：县级入户核查的案件数', value: countyVisits },
      { key: 'riskVisits', section: S4, label: '对动态监测风险预警对象开展精准入户排查（人）', value: null },
      { key: 'homeVisits', section: S4, label: '乡镇人民政府对新审核认定对象进行入户调查（人）——本系统：乡镇入户核实的案件数', value: homeVisits },
      { key: 'online', section: S5, label: '受理网上自助申请（件）', value: online },
      { key: 'relatives', section: S5, label: '进行近亲属备案对象（人）', value: relatives },
      { key: 'favouritism', section: S5, label: '整治"人情保""关系保"、优亲厚友、吃拿卡要问题（个）——本系统：当月办结的此类投诉举报', value: favouritism },
      { key: 'referred', section: S5, label: '配合纪检部门移交问题线索（件）', value: referred },
      { key: 'criticised', section: S5, label: '批评教育帮助（人）', value: null },
      { key: 'typicalCases', section: S5, label: '通报典型违纪违法案例（件）', value: null },
      { key: 'warningEducation', section: S5, label: '开展警示教育（次）', value: null },
      { key: 'dataWarnings', section: S6, label: '对核对数据预警进行标记（人）', value: null },
    ];
    return { month, townshipId, byKindProgram, programLabels: PROGRAMS.map((p) => PROGRAM_LABELS[p]), newCases, lines };
  }

  /** The 统计表 as .xlsx in the template's layout: section, line, figure; blanks to fill in. */
  async xlsx(stats: MonthlyStats, unit: string, out: Writable): Promise<void> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('统计表');
    ws.columns = [{ width: 26 }, { width: 70 }, { width: 14 }];
    ws.mergeCells('A1:C1');
    ws.getCell('A1').value = '困难群众救助保障政策落实专项治理进展情况统计表';
    ws.getCell('A1').font = { bold: true, size: 14 };
    ws.getCell('A1').alignment = { horizontal: 'center' };
    ws.addRow([`填报单位：${unit}`, `统计月份：${stats.month}（当月数据，不累计）`, '']);
    ws.addRow(['项目', '工作措施', '数量']).font = { bold: true };
    for (const l of stats.lines) ws.addRow([l.section, l.label, l.value ?? '']);
    ws.addRow([]);
    ws.addRow(['当月新登记诉求（按类型和救助项目）']).font = { bold: true };
    ws.addRow(['诉求类型', ...stats.programLabels, '合计']).font = { bold: true };
    for (const r of stats.byKindProgram) ws.addRow([r.kindLabel, ...r.counts, r.total]);
    ws.addRow(['合计', ...stats.programLabels.map((_, i) => stats.byKindProgram.reduce((a, r) => a + r.counts[i], 0)), stats.newCases]);
    await wb.xlsx.write(out);
  }
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
