import { shanghaiMonth } from '../../src/common/time';
import { TEST_TODAY } from '../utils/clock';
import ExcelJS from 'exceljs';
import { complaintBody } from '../factories/case.factory';
import { act, tokens } from '../utils/workflow';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

/** Shanghai month of an instant stored as 'YYYY-MM-DD HH:MM:SS.SSS' (UTC). */
const monthOf = (db: string) => shanghaiMonth(db);

describe('the monthly 统计表 (seed 004)', () => {
  let t: TestApp;
  let month: string;
  beforeAll(async () => {
    t = await createTestApp();
    const tk = await tokens(t);
    // something to count this month: an online help request, a closed favouritism complaint, a referral
    month = TEST_TODAY.slice(0, 7);
    const online = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send({
      channel: 'online', kind: 'helpRequest', program: 'ruralDibao', reporterType: 'realName', reporterName: '网上申请人', reporterPhone: '13700112233', townshipId: 1, content: '网上申请农村低保。',
    });
    await act(t, tk.operator, online.body.caseNo, 'accept');
    const c = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(complaintBody({ townshipId: 1 }))).body.caseNo;
    await act(t, tk.operator, c, 'accept');
    const [liaison] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
    await t.http().post(`/api/v1/cases/${c}/referral`).set('Authorization', `Bearer ${tk.supervisor}`).send({ source: '热线', mainProblem: '优亲厚友问题线索', handlerId: liaison.id });
  });
  afterAll(() => t.close());

  async function page(m: string, townshipId?: number) {
    const agent = await signIn(t, 'supervisor');
    return (await agent.get(`/reports/monthly?month=${m}${townshipId ? `&townshipId=${townshipId}` : ''}`)).text;
  }
  const line = (html: string, key: string) => Number(new RegExp(`data-line="${key}">(\\d+)<`).exec(html)?.[1]);
  const kindTotal = (html: string, kind: string) => Number(new RegExp(`data-kind="${kind}"><strong>(\\d+)<`).exec(html)?.[1]);

  it('counts the month only, as an independent count over every case does', async () => {
    const all: { receivedAt: string; closedAt: string | null; kind: string; channel: string; townshipId: number; id: number; verificationOutcome: string | null }[] = await t.dataSource.query(
      'SELECT id, receivedAt, closedAt, kind, channel, townshipId, verificationOutcome FROM cases',
    );
    const accepted: { caseId: number; at: string }[] = await t.dataSource.query(`SELECT caseId, at FROM case_history WHERE action = 'accept'`);
    const types: { caseId: number; problemType: string }[] = await t.dataSource.query('SELECT caseId, problemType FROM case_problem_types');
    const favouritismIds = new Set(types.filter((x) => x.problemType === 'favouritism' || x.problemType === 'bribery').map((x) => x.caseId));
    // a past month of the demo data, and this month
    const months = [...new Set(all.map((c) => monthOf(c.receivedAt)))].sort();
    for (const m of [months[months.length - 3], month]) {
      const html = await page(m);
      const inMonth = all.filter((c) => monthOf(c.receivedAt) === m);
      for (const kind of ['helpRequest', 'complaint', 'consultation', 'suggestion']) {
        expect({ m, kind, n: kindTotal(html, kind) }).toEqual({ m, kind, n: inMonth.filter((c) => c.kind === kind).length });
      }
      // 受理网上自助申请: online help requests accepted in the month
      const onlineIds = new Set(all.filter((c) => c.channel === 'online' && c.kind === 'helpRequest').map((c) => c.id));
      expect(line(html, 'online')).toBe(new Set(accepted.filter((a) => onlineIds.has(a.caseId) && monthOf(a.at) === m).map((a) => a.caseId)).size);
      // problems dealt with: closed in the month and found (partly) true
      const closedFav = all.filter(
        (c) => c.closedAt && monthOf(c.closedAt) === m && c.kind === 'complaint' && favouritismIds.has(c.id) && ['true', 'partlyTrue'].includes(c.verificationOutcome ?? ''),
      ).length;
      expect(line(html, 'favouritism')).toBe(closedFav);
      // nothing from another month leaks in: not cumulative
      expect(html).toContain(`统计月份：<strong>${m}</strong>`);
    }
    expect(line(await page(month), 'referred')).toBeGreaterThanOrEqual(1);
    expect(line(await page(month), 'online')).toBeGreaterThanOrEqual(1);
  });

  it('counts one township', async () => {
    const all: { receivedAt: string; townshipId: number }[] = await t.dataSource.query('SELECT receivedAt, townshipId FROM cases');
    const html = await page(month, 1);
    const total = ['helpRequest', 'complaint', 'consultation', 'suggestion'].reduce((a, k) => a + kindTotal(html, k), 0);
    expect(total).toBe(all.filter((c) => monthOf(c.receivedAt) === month && c.townshipId === 1).length);
  });

  it('leaves the lines the system cannot know blank for the township, and exports the layout as .xlsx', async () => {
    const html = await page(month);
    expect(html).toContain('（乡镇填报）');
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get(`/reports/monthly.xlsx?month=${month}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.getWorksheet('统计表')!;
    expect(ws.getCell('A1').value).toBe('全县困难群众救助保障政策落实专项治理进展情况统计表');
    expect(String(ws.getCell('A2').value)).toContain('填报单位（盖章）：全县');
    expect(String(ws.getCell('D2').value)).toContain('填报时间');
    expect(ws.getCell('B3').value).toBe('整治困难群众救助保障政策落实不到位问题');
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    const referred = rows.find((r) => String(r[2] ?? '').startsWith('配合纪检部门移交问题线索'))!;
    expect(Number(referred[3])).toBe(line(html, 'referred'));
    const meeting = rows.find((r) => String(r[2] ?? '').startsWith('召开会议进行部署'))!;
    expect(meeting[3] ?? '').toBe('');
    // every blank of the template, in its order: 34 lines, units 人 and 人次, the signature line and the note
    const lines = rows.filter((r) => /（(人|人次|件|个|次)）$|日召开）$/.test(String(r[2] ?? '')));
    expect(lines).toHaveLength(34);
    expect(lines.filter((r) => String(r[2]).endsWith('（人次）'))).toHaveLength(2);
    expect(lines.filter((r) => String(r[2]).startsWith('其中：'))).toHaveLength(10);
    expect(rows.some((r) => String(r[1]).startsWith('单位负责人'))).toBe(true);
    expect(rows.some((r) => String(r[1]).includes('于每月4日前'))).toBe(true);
    // the township's own count of visits is a reference beside the blank, not the figure
    const visits = rows.find((r) => String(r[2]).startsWith('乡镇人民政府对新审核认定对象进行入户调查'))!;
    expect(visits[3] ?? '').toBe('');
    expect(String(visits[4])).toMatch(/^本系统：当月乡镇入户核实诉求 \d+ 件$/);
    // the new cases by kind and program are on their own sheet, not on the one submitted
    expect(wb.getWorksheet('当月新登记诉求')!.getCell('A2').value).toBe('诉求类型');
  });

  it('counts a case received late on the last evening of a month in that month (Shanghai time)', async () => {
    const tk = await tokens(t);
    const before = kindTotal(await page('2026-10'), 'suggestion');
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send({
      channel: 'letter', kind: 'suggestion', program: 'other', reporterType: 'anonymous', content: '建议延长乡镇民政窗口的办公时间。', receivedAt: '2026-10-31 23:30',
    });
    expect(res.status).toBe(201);
    expect(kindTotal(await page('2026-10'), 'suggestion')).toBe(before + 1);
    const novBefore = kindTotal(await page('2026-11'), 'suggestion');
    await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send({
      channel: 'letter', kind: 'suggestion', program: 'other', reporterType: 'anonymous', content: '建议在村部张贴低保政策。', receivedAt: '2026-11-01 00:10',
    });
    expect(kindTotal(await page('2026-11'), 'suggestion')).toBe(novBefore + 1);
    expect(kindTotal(await page('2026-10'), 'suggestion')).toBe(before + 1);
  });

  it('refuses a township that does not exist instead of reporting the whole county', async () => {
    expect(await page(month, 9999)).toContain('所选乡镇不存在');
  });

  it('refuses a bad month with a message', async () => {
    expect(await page('2026-13')).toContain('月份格式应为 YYYY-MM');
  });

  it('is for county staff only', async () => {
    expect((await (await signIn(t, 'township1')).get('/reports/monthly')).status).toBe(403);
  });
});

describe('the reminder before the 4th', () => {
  it('tells each supervisor once on the 1st to 3rd, and not later in the month', async () => {
    const { FixedClock } = await import('../../src/common/clock');
    const { HousekeepingService } = await import('../../src/jobs/housekeeping.service');
    const clock = new FixedClock(new Date('2026-12-02T01:00:00Z'));
    const t = await createTestApp({ clock });
    try {
      const hk = t.app.get(HousekeepingService);
      expect(await hk.monthlyReminder()).toBe(1);
      expect(await hk.monthlyReminder()).toBe(0);
      const [n] = await t.dataSource.query(`SELECT message FROM notifications WHERE eventKey LIKE 'monthly-stats:2026-11:%'`);
      expect(n.message).toContain('2026-11');
      clock.set(new Date('2026-12-10T01:00:00Z'));
      expect(await hk.monthlyReminder()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
