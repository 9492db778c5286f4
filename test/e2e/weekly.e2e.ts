import { shanghaiDate } from '../../src/common/time';
import ExcelJS from 'exceljs';
import { WeeklyReportService } from '../../src/reports/weekly-report.service';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

const day = (db: string) => shanghaiDate(db);

describe('the weekly progress report (周报, Thursday morning)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('picks the Thursday of the week', () => {
    expect(WeeklyReportService.reportThursday('2026-11-19')).toBe('2026-11-19'); // a Thursday
    expect(WeeklyReportService.reportThursday('2026-11-20')).toBe('2026-11-26');
    expect(WeeklyReportService.reportThursday('2026-11-16')).toBe('2026-11-19');
  });

  it('goes through the five 整治重点 one by one, each problem type under exactly one of them, with independent counts', async () => {
    const { FOCUS_ITEMS } = await import('../../src/reports/weekly-report.service');
    const { PROBLEM_TYPES } = await import('../../src/cases/case.enums');
    expect(FOCUS_ITEMS.flatMap((f) => f.types).sort()).toEqual([...PROBLEM_TYPES].sort());
    const html = (await (await signIn(t, 'supervisor')).get('/reports/weekly?date=2026-11-19')).text;
    const cases: { id: number; kind: string; receivedAt: string; closedAt: string | null; verificationOutcome: string | null }[] = await t.dataSource.query(
      'SELECT id, kind, receivedAt, closedAt, verificationOutcome FROM cases',
    );
    const types: { caseId: number; problemType: string }[] = await t.dataSource.query('SELECT caseId, problemType FROM case_problem_types');
    const inWeek = (v: string | null) => !!v && day(v) >= '2026-11-12' && day(v) <= '2026-11-18';
    let seen = 0;
    for (const item of FOCUS_ITEMS) {
      const ids = new Set(types.filter((x) => (item.types as string[]).includes(x.problemType)).map((x) => x.caseId));
      const mine = cases.filter((c) => c.kind === 'complaint' && ids.has(c.id));
      const received = mine.filter((c) => inWeek(c.receivedAt)).length;
      const confirmed = mine.filter((c) => inWeek(c.closedAt) && ['true', 'partlyTrue'].includes(c.verificationOutcome ?? '')).length;
      expect(html).toContain(`data-focus="${item.no}-received">${received}<`);
      expect(html).toContain(`data-focus="${item.no}-confirmed">${confirmed}<`);
      seen += received;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('counts Thursday to Wednesday before the report, as an independent count does, and exports .xlsx', async () => {
    const agent = await signIn(t, 'supervisor');
    const html = (await agent.get('/reports/weekly?date=2026-11-19')).text;
    expect(html).toContain('统计期间：2026-11-12（周四）至 2026-11-18（周三）');
    const cases: { receivedAt: string; closedAt: string | null }[] = await t.dataSource.query('SELECT receivedAt, closedAt FROM cases');
    const received = cases.filter((c) => day(c.receivedAt) >= '2026-11-12' && day(c.receivedAt) <= '2026-11-18').length;
    const closed = cases.filter((c) => c.closedAt && day(c.closedAt) >= '2026-11-12' && day(c.closedAt) <= '2026-11-18').length;
    expect(html).toContain(`新登记诉求 ${received} 件`);
    expect(html).toContain(`办结 ${closed} 件`);
    // overdue as it stood on that Thursday, from the township clocks: past their date by then and
    // not met by then
    const clocks: { caseId: number; dueDate: string | null; status: string; startDate: string; closedAt: string | null }[] = await t.dataSource.query(
      `SELECT caseId, dueDate, status, startDate, closedAt FROM case_deadlines WHERE stage IN ('acknowledge', 'verify', 'redo') AND referralId IS NULL`,
    );
    const cut = '2026-11-18 16:00:00'; // Thursday 2026-11-19 00:00 in Shanghai
    const overdue = new Set(
      clocks.filter((d) => d.dueDate && d.dueDate < '2026-11-19' && d.startDate < '2026-11-19' && (d.status === 'open' || (d.closedAt && d.closedAt >= cut))).map((d) => d.caseId),
    ).size;
    expect(overdue).toBeGreaterThan(0);
    expect(html).toContain(`截至 2026-11-19，超期未办结 ${overdue} 件`);
    const res = await agent.get('/reports/weekly.xlsx?date=2026-11-19').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.getWorksheet('周报')!;
    expect(String(ws.getCell('A2').value)).toContain(`新登记诉求 ${received} 件`);
    expect(ws.getCell('A4').value).toBe('整治重点');
    expect(String(ws.getCell('A5').value)).toMatch(/^1\. 吃拿卡要/);
    expect(ws.getCell('A11').value).toBe('乡镇');
    const sum = (ws.getSheetValues().slice(12) as unknown[][]).filter(Boolean).reduce((a, r) => a + Number(r[2] ?? 0), 0);
    expect(sum).toBeLessThanOrEqual(received);
  });
});
