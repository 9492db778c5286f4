import ExcelJS from 'exceljs';
import { FixedClock } from '../../src/common/clock';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { RelativesService } from '../../src/protection/relatives.service';
import { toAuthUser } from '../../src/auth/auth.service';
import { User } from '../../src/users/entities/user.entity';
import { complaintBody, helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, getCase, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

const binary = (res: { on: (e: string, f: (x?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * The rules that used to be shown and govern nothing: 书面告知 (15 days from receipt), 复查/复核 (30 +
 * 30 days, with their request windows), the death re-check (3 months), the relative registration's
 * due date from the editable rule, and the county's own acceptance and assignment clocks. Each
 * starts, stops, goes overdue in the scan with the fixed clock moved on, and shows on the board.
 */
describe('rules that are shown run', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  let townshipId: number;
  const clock = new FixedClock(new Date('2026-11-02T02:00:00Z')); // Monday 2026-11-02, 10:00 Shanghai
  const at = async (iso: string) => {
    clock.set(new Date(iso));
    tk = await tokens(t);
  };
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
    // a township of its own, so the figures filtered by it count only this file's cases
    await t.dataSource.query(`INSERT INTO townships (code, name, countyCode, sortOrder, active) VALUES ('999999', '测试规则镇', '141099', 99, TRUE)`);
    [{ id: townshipId }] = await t.dataSource.query(`SELECT id FROM townships WHERE code = '999999'`);
  });
  afterAll(() => t.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId, villageId: null, ...body }));
    expect(res.status).toBe(201);
    return res.body.caseNo as string;
  };
  const clocks = (no: string) =>
    t.dataSource.query(`SELECT d.stage, d.startDate, d.dueDate, d.status, CASE WHEN d.late THEN 1 WHEN NOT d.late THEN 0 END AS late, d.dueState FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE c.caseNo = ? ORDER BY d.id`, [no]) as Promise<
      { stage: string; startDate: string; dueDate: string | null; status: string; late: number | null; dueState: string }[]
    >;
  const clockOf = async (no: string, stage: string) => (await clocks(no)).filter((d) => d.stage === stage).pop();
  const due = async (from: string, days: number, unit: 'day' | 'workday') =>
    (await t.http().get(`/api/v1/calendar/due-date?from=${from}&days=${days}&unit=${unit}`).set('Authorization', `Bearer ${tk.operator}`)).body.due as string;
  const lastEntry = async (no: string) => (await getCase(t, tk.supervisor, no)).history.slice(-1)[0] as { action: string; title: string; note: string; data: Record<string, unknown> };
  const scan = () => t.app.get(DeadlineScanService).run();
  const board = async () => (await (await signIn(t, 'supervisor')).get('/queues/overdue')).text;
  /** The rows of the board's table of county and other clocks gone overdue: "caseNo 环节". */
  const boardRows = (html: string) => {
    const table = html.slice(html.indexOf('id="stage-overdue"'));
    return [...table.matchAll(/<tr data-stage="[^"]+"><td><a href="\/cases\/([^"]+)">[^<]+<\/a><\/td><td>([^<]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
  };
  const closedCase = async () => {
    const no = await create({ townshipId: 1 });
    for (const [token, action, body] of [
      [tk.operator, 'accept', {}],
      [tk.operator, 'assign', { townshipId: 1 }],
      [tk.township1, 'acknowledge', {}],
      [tk.township1, 'verify', VERIFY_BODY],
      [tk.township1, 'feedback', FEEDBACK_BODY],
      [tk.township1, 'submit', SUBMIT_BODY],
      [tk.supervisor, 'approve', {}],
      [tk.operator, 'callback', { result: 'satisfied' }],
    ] as [string, string, object][]) {
      const res = await act(t, token, no, action, body);
      expect([action, res.status]).toEqual([action, 200]);
    }
    return no;
  };

  describe('书面告知 (written notice of receipt, 15 days)', () => {
    it('starts a 15-day clock from the receipt for a named reporter, and none for an anonymous one', async () => {
      await at('2026-11-02T02:00:00Z');
      const named = await create({ receivedAt: '2026-10-30T09:00' });
      expect(await clockOf(named, 'receiptNotice')).toMatchObject({ startDate: '2026-10-30', dueDate: await due('2026-10-30', 15, 'day'), status: 'open' });
      const anon = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(complaintBody({ townshipId }))).body.caseNo;
      expect(await clockOf(anon, 'receiptNotice')).toBeUndefined();
      await act(t, tk.operator, anon, 'accept');
      const refused = await act(t, tk.operator, anon, 'record-notice', { method: 'mail', date: '2026-11-02' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('匿名反映无需书面告知');
    });

    it('records the notice of acceptance, how and when, and stops the clock on that day', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await create();
      expect((await act(t, tk.operator, no, 'record-notice', { method: 'mail', date: '2026-11-02' })).status).toBe(409); // not decided yet
      await act(t, tk.operator, no, 'accept');
      const future = await act(t, tk.operator, no, 'record-notice', { method: 'mail', date: '2026-11-03' });
      expect(future.status).toBe(400);
      expect(future.body.errors).toEqual([{ field: 'date', message: '告知日期不能晚于今天' }]);
      const badMethod = await act(t, tk.operator, no, 'record-notice', { method: 'pigeon', date: '2026-11-02' });
      expect(badMethod.body.errors).toEqual([{ field: 'method', message: '请选择告知方式' }]);
      expect((await act(t, tk.supervisor, no, 'record-notice', { method: 'posted', date: '2026-11-02' })).status).toBe(200);
      expect(await clockOf(no, 'receiptNotice')).toMatchObject({ status: 'met', late: 0 });
      expect(await lastEntry(no)).toMatchObject({ action: 'record-notice', title: '书面告知：受理告知（张贴）', data: { kind: 'acceptance', method: 'posted', date: '2026-11-02', late: false } });
      const again = await act(t, tk.operator, no, 'record-notice', { method: 'sms', date: '2026-11-02' });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe('已于 2026-11-02 书面告知');
      expect((await act(t, tk.township1, no, 'record-notice', { method: 'sms', date: '2026-11-02' })).status).toBe(404); // not handed to a township
    });

    it('records a notice of non-acceptance only with its reason', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await create();
      await act(t, tk.operator, no, 'not-accept', { reason: '不属于民政部门职责，已告知向人社部门反映' });
      const noReason = await act(t, tk.operator, no, 'record-notice', { method: 'inPerson', date: '2026-11-02' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual([{ field: 'reason', message: '不予受理告知须写明不予受理的理由' }]);
      expect((await act(t, tk.operator, no, 'record-notice', { method: 'inPerson', date: '2026-11-02', reason: '不属于民政部门职责' })).status).toBe(200);
      expect(await lastEntry(no)).toMatchObject({ title: '书面告知：不予受理告知（当面送达/打印交付）', data: { kind: 'nonAcceptance', reason: '不属于民政部门职责' } });
      const page = await (await signIn(t, 'operator')).get(`/cases/${no}`);
      expect(page.text).toContain('不予受理告知已于 2026-11-02 当面送达/打印交付');
    });

    it('needs no notice for a consultation answered on the spot', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await create({ kind: 'consultation' });
      expect((await act(t, tk.operator, no, 'answer', { answer: '已告知农村低保申请条件和所需材料。' })).status).toBe(200);
      expect(await clockOf(no, 'receiptNotice')).toMatchObject({ status: 'cancelled' });
      expect((await act(t, tk.operator, no, 'record-notice', { method: 'mail', date: '2026-11-02' })).body.message).toContain('无需书面告知');
    });

    it('puts a case with no notice after 15 days on the board, the ledger and the statistics', async () => {
      await at('2026-11-02T02:00:00Z');
      const untold = await create({ content: '书面告知台账测试：本人家庭困难申请农村低保，甲户。' });
      const told = await create({ content: '书面告知台账测试：本人家庭困难申请农村低保，乙户。' });
      for (const no of [untold, told]) await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, told, 'record-notice', { method: 'mail', date: '2026-11-02' });
      const lastDay = await due('2026-11-02', 15, 'day');
      await at(`${lastDay}T02:00:00Z`);
      await scan();
      expect(await clockOf(untold, 'receiptNotice')).toMatchObject({ dueState: 'dueSoon' });
      await at('2026-11-18T02:00:00Z');
      await scan();
      expect(await clockOf(untold, 'receiptNotice')).toMatchObject({ dueState: 'overdue', status: 'open' });
      const html = await board();
      expect(boardRows(html)).toContain(`${untold} 书面告知受理`);
      expect(boardRows(html)).not.toContain(`${told} 书面告知受理`);
      expect((await getCase(t, tk.supervisor, untold)).history.some((h: { type: string; title: string }) => h.type === 'deadline' && h.title === '超期（书面告知受理）')).toBe(true);

      // the ledger's 书面告知 column, in both formats
      const agent = await signIn(t, 'supervisor');
      const csv = (await agent.get(`/cases/export.csv?townshipId=${townshipId}`).buffer(true).parse(binary)).body.toString('utf8').replace(/^\uFEFF/, '');
      const [header, ...rows] = csv.trim().split('\r\n').map((l: string) => l.split(','));
      const col = header.indexOf('书面告知');
      expect(col).toBe(header.length - 1);
      const cell = (no: string) => rows.find((r: string[]) => r[0] === no)![col];
      expect(cell(untold)).toBe('未书面告知（超期）');
      expect(cell(told)).toBe('受理告知 2026-11-02 邮寄');
      const xlsx = (await agent.get(`/cases/export.xlsx?townshipId=${townshipId}`).buffer(true).parse(binary)).body;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx);
      const ws = wb.worksheets[0];
      const xCol = (ws.getRow(1).values as string[]).indexOf('书面告知');
      expect(xCol).toBeGreaterThan(0);
      const xCell = (no: string) => {
        for (let i = 2; i <= ws.rowCount; i++) if (ws.getRow(i).getCell(1).value === no) return ws.getRow(i).getCell(xCol).value;
        return undefined;
      };
      expect(xCell(untold)).toBe('未书面告知（超期）');
      expect(xCell(told)).toBe('受理告知 2026-11-02 邮寄');

      // the monthly statistics: due this month, and not given by the day
      const stats = async () => (await agent.get(`/reports/monthly?month=2026-11&townshipId=${townshipId}`)).text;
      const figure = (html: string, k: string) => Number(new RegExp(`data-notices="${k}">(\\d+)<`).exec(html)?.[1]);
      let s = await stats();
      expect(s).toContain('其中未按期书面告知');
      const dueCount = figure(s, 'due');
      const lateCount = figure(s, 'late');
      expect(lateCount).toBeGreaterThanOrEqual(1);
      expect(dueCount).toBeGreaterThanOrEqual(lateCount + 1);
      // the workbook has the same line on its second sheet; the submitted sheet keeps the template's shape
      const statsXlsx = new ExcelJS.Workbook();
      await statsXlsx.xlsx.load((await agent.get(`/reports/monthly.xlsx?month=2026-11&townshipId=${townshipId}`).buffer(true).parse(binary)).body);
      const noticeRow = (statsXlsx.getWorksheet('当月新登记诉求')!.getSheetValues().filter(Boolean) as unknown[][]).find((r) => r[1] === '当月到期应书面告知（件）')!;
      expect(noticeRow.slice(1, 5)).toEqual(['当月到期应书面告知（件）', dueCount, '其中未按期书面告知（件）', lateCount]);
      expect((statsXlsx.getWorksheet('统计表')!.getSheetValues().filter(Boolean) as unknown[][]).some((r) => String(r[2] ?? '').includes('书面告知'))).toBe(false);
      // a notice given late is still not given in time; the ledger says so
      await act(t, tk.operator, untold, 'record-notice', { method: 'sms', date: '2026-11-18' });
      expect(await clockOf(untold, 'receiptNotice')).toMatchObject({ status: 'met', late: 1 });
      s = await stats();
      expect([figure(s, 'due'), figure(s, 'late')]).toEqual([dueCount, lateCount]);
      const csv2 = (await agent.get(`/cases/export.csv?townshipId=${townshipId}`).buffer(true).parse(binary)).body.toString('utf8');
      expect(csv2).toContain(`${untold},`);
      expect(csv2).toContain('受理告知 2026-11-18 短信（逾期）');
      expect(boardRows(await board())).not.toContain(`${untold} 书面告知受理`);
    });
  });

  describe('复查 and 复核 of a closed case', () => {
    it('records the request and decision of a review, then of a re-review, each with its 30-day clock', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await closedCase();
      expect((await act(t, tk.township1, no, 'request-review', { requestDate: '2026-11-02', reason: '对处理意见不服，请求复查' })).status).toBe(403);
      const early = await act(t, tk.supervisor, no, 'decide-review', { decision: 'uphold', text: '维持原处理意见。', date: '2026-11-02' });
      expect(early.status).toBe(409);
      expect(early.body.message).toBe('本案没有待作出意见的复查申请');
      expect((await act(t, tk.operator, no, 'request-rereview', { requestDate: '2026-11-02', reason: '请求复核原处理意见' })).body.message).toBe('复查意见作出后才能申请复核');

      expect((await act(t, tk.operator, no, 'request-review', { requestDate: '2026-11-02', reason: '对处理意见不服，请求复查' })).status).toBe(200);
      expect(await clockOf(no, 'review')).toMatchObject({ startDate: '2026-11-02', dueDate: await due('2026-11-02', 30, 'day'), status: 'open' });
      expect(await lastEntry(no)).toMatchObject({ action: 'request-review', title: '申请复查' });
      expect((await getCase(t, tk.supervisor, no)).status).toBe('closed');
      expect((await (await signIn(t, 'operator')).get(`/cases/${no}`)).text).toContain(`复查中（意见应于 ${await due('2026-11-02', 30, 'day')} 前作出）`);
      expect((await act(t, tk.operator, no, 'decide-review', { decision: 'uphold', text: '维持原处理意见。', date: '2026-11-02' })).status).toBe(403);
      const bad = await act(t, tk.supervisor, no, 'decide-review', { decision: 'maybe', text: '维持', date: '2026-11-02' });
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['decision', 'text']);
      expect((await act(t, tk.supervisor, no, 'decide-review', { decision: 'revoke', text: '原处理意见认定收入有误，予以撤销，由乡镇重新核定。', date: '2026-11-02' })).status).toBe(200);
      expect(await clockOf(no, 'review')).toMatchObject({ status: 'met', late: 0 });
      expect(await lastEntry(no)).toMatchObject({ title: '复查意见：撤销', data: { decision: 'revoke', date: '2026-11-02' } });

      expect((await act(t, tk.supervisor, no, 'request-rereview', { requestDate: '2026-11-02', reason: '对复查意见不服，请求复核' })).status).toBe(200);
      expect(await clockOf(no, 'rereview')).toMatchObject({ status: 'open', dueDate: await due('2026-11-02', 30, 'day') });
      expect((await act(t, tk.supervisor, no, 'decide-rereview', { decision: 'alter', text: '变更复查意见，按实际收入重新核定保障金额。', date: '2026-11-02' })).status).toBe(200);
      expect(await clockOf(no, 'rereview')).toMatchObject({ status: 'met' });
      const page = await (await signIn(t, 'supervisor')).get(`/cases/${no}`);
      expect(page.text).toContain('复核意见：变更');
      expect(page.text).toContain('已复核');
      const final = await act(t, tk.operator, no, 'request-rereview', { requestDate: '2026-11-02', reason: '再次请求复核' });
      expect(final.status).toBe(409);
      expect(final.body.message).toContain('复核意见为最终意见');
    });

    it('keeps the closing time of the case while reviews are recorded on it', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await closedCase();
      const [before] = await t.dataSource.query('SELECT closedAt, closeReason FROM cases WHERE caseNo = ?', [no]);
      await at('2026-11-04T02:00:00Z');
      await act(t, tk.operator, no, 'request-review', { requestDate: '2026-11-04', reason: '对处理意见不服，请求复查' });
      expect(await t.dataSource.query('SELECT closedAt, closeReason FROM cases WHERE caseNo = ?', [no])).toEqual([before]);
    });

    it('refuses a review asked for after the 30 days, and a re-review after 30 days from the review decision', async () => {
      await at('2026-11-02T02:00:00Z');
      const late = await closedCase();
      const decided = await closedCase();
      await act(t, tk.operator, decided, 'request-review', { requestDate: '2026-11-02', reason: '对处理意见不服，请求复查' });
      await act(t, tk.supervisor, decided, 'decide-review', { decision: 'uphold', text: '维持原处理意见。', date: '2026-11-02' });
      const before = await act(t, tk.operator, late, 'request-review', { requestDate: '2026-11-01', reason: '对处理意见不服，请求复查' });
      expect(before.body.errors).toEqual([{ field: 'requestDate', message: '收到申请的日期不能早于办结之日 2026-11-02' }]);
      const windowEnd = await due('2026-11-02', 30, 'day');
      await at('2026-12-10T02:00:00Z');
      const refused = await act(t, tk.operator, late, 'request-review', { requestDate: '2026-12-10', reason: '对处理意见不服，请求复查' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toBe(`已超过申请复查的期限：应自收到处理意见之日起30日内提出（《信访工作条例》第三十五条），本案 2026-11-02 办结，期限至 ${windowEnd}`);
      // a request that came in on time and is recorded later is accepted
      expect((await act(t, tk.operator, late, 'request-review', { requestDate: windowEnd, reason: '对处理意见不服，请求复查' })).status).toBe(200);
      const rere = await act(t, tk.operator, decided, 'request-rereview', { requestDate: '2026-12-10', reason: '对复查意见不服，请求复核' });
      expect(rere.status).toBe(409);
      expect(rere.body.message).toContain('已超过申请复核的期限');
      expect(rere.body.message).toContain('第三十六条');
      // the case page's form says the same, in the page
      const operator = await signIn(t, 'operator');
      const page = await operator.post(`/cases/${decided}/actions/request-rereview`).type('form').send({ _csrf: await csrfOf(operator, `/cases/${decided}`), requestDate: '2026-12-10', reason: '对复查意见不服' });
      expect(page.status).toBe(409);
      expect(page.text).toContain('已超过申请复核的期限');
    });

    it('puts a review past its 30 days on the board', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await closedCase();
      await act(t, tk.operator, no, 'request-review', { requestDate: '2026-11-02', reason: '对处理意见不服，请求复查' });
      const lastDay = await due('2026-11-02', 30, 'day');
      await at(`${lastDay}T02:00:00Z`);
      await scan();
      expect(boardRows(await board())).not.toContain(`${no} 复查`);
      const next = new Date(Date.parse(`${lastDay}T02:00:00Z`) + 86400_000).toISOString();
      await at(next);
      await scan();
      expect(boardRows(await board())).toContain(`${no} 复查`);
      await act(t, tk.supervisor, no, 'decide-review', { decision: 'uphold', text: '维持原处理意见。', date: next.slice(0, 10) });
      expect(await clockOf(no, 'review')).toMatchObject({ status: 'met', late: 1 });
      expect(boardRows(await board())).not.toContain(`${no} 复查`);
    });
  });

  describe('低保对象死亡后家庭复核 (3 months from the death)', () => {
    it('records a death, runs the re-check from that day, shows it overdue and stops it with the result', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await create({ townshipId: 1 });
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 1 });
      expect((await act(t, tk.township1, no, 'record-recheck', { result: 'stopped', text: '单人户，已停发低保金。', date: '2026-11-02' })).body.message).toBe('请先记录低保对象死亡日期');
      const future = await act(t, tk.township1, no, 'record-death', { deathDate: '2026-11-03' });
      expect(future.body.errors).toEqual([{ field: 'deathDate', message: '死亡日期不能晚于今天' }]);
      expect((await act(t, tk.township1, no, 'record-death', { deathDate: '2026-07-01', recipientName: '张桂芳' })).status).toBe(200);
      const recheckDue = await due('2026-07-01', 90, 'day');
      expect(await clockOf(no, 'deathRecheck')).toMatchObject({ startDate: '2026-07-01', dueDate: recheckDue, status: 'open' });
      expect(await lastEntry(no)).toMatchObject({ action: 'record-death', title: '低保对象死亡', data: { deathDate: '2026-07-01', recheckDue } });
      expect((await act(t, tk.operator, no, 'record-death', { deathDate: '2026-07-02' })).body.message).toBe('已记录低保对象死亡日期 2026-07-01');
      await scan();
      expect(boardRows(await board())).toContain(`${no} 低保对象死亡后家庭复核`);
      const early = await act(t, tk.township1, no, 'record-recheck', { result: 'stopped', text: '单人户，已停发低保金。', date: '2026-06-30' });
      expect(early.body.errors).toEqual([{ field: 'date', message: '复核日期不能早于死亡日期 2026-07-01' }]);
      expect((await act(t, tk.township1, no, 'record-recheck', { result: 'stopped', text: '单人户，已停发低保金。', date: '2026-11-02' })).status).toBe(200);
      expect(await clockOf(no, 'deathRecheck')).toMatchObject({ status: 'met', late: 1 });
      expect(await lastEntry(no)).toMatchObject({ title: '死亡后家庭复核：停保', data: { result: 'stopped', late: true } });
      expect(boardRows(await board())).not.toContain(`${no} 低保对象死亡后家庭复核`);
      const page = await (await signIn(t, 'township1')).get(`/cases/${no}`);
      expect(page.text).toContain('2026-07-01 死亡；家庭复核：停保');
    });

    it('is only for 低保 recipients', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await create({ program: 'temporaryAssistance' });
      await act(t, tk.operator, no, 'accept');
      const res = await act(t, tk.operator, no, 'record-death', { deathDate: '2026-10-01' });
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('只有城乡低保对象死亡后需要复核家庭情况');
    });
  });

  describe("the county's own steps", () => {
    it('makes a case left registered due for acceptance, then for assignment, on the board and in the dashboard', async () => {
      await at('2026-11-02T02:00:00Z'); // Monday
      const no = await create({ content: '县级时限测试：本人家庭困难，申请农村低保。' });
      expect(await clockOf(no, 'countyAccept')).toMatchObject({ startDate: '2026-11-02', dueDate: '2026-11-03', status: 'open' });
      await at('2026-11-04T02:00:00Z');
      await scan();
      expect(boardRows(await board())).toContain(`${no} 县级受理`);
      const dash = (await (await signIn(t, 'supervisor')).get(`/reports/dashboard?from=2026-11-02&to=2026-11-02&townshipId=${townshipId}`)).text;
      expect(/在办超期 (\d+)/.exec(dash)![1]).not.toBe('0');
      expect((await act(t, tk.operator, no, 'accept')).status).toBe(200);
      expect(await clockOf(no, 'countyAccept')).toMatchObject({ status: 'met', late: 1 });
      expect(await clockOf(no, 'countyAssign')).toMatchObject({ startDate: '2026-11-04', dueDate: '2026-11-06', status: 'open' });
      expect(boardRows(await board())).not.toContain(`${no} 县级受理`);
      await at('2026-11-09T02:00:00Z');
      await scan();
      expect(boardRows(await board())).toContain(`${no} 县级交办`);
      expect((await act(t, tk.operator, no, 'assign', { townshipId: 1 })).status).toBe(200);
      expect(await clockOf(no, 'countyAssign')).toMatchObject({ status: 'met', late: 1 });
      expect(boardRows(await board())).not.toContain(`${no} 县级交办`);
    });

    it('counts a case accepted and assigned in time as on time for the county', async () => {
      await at('2026-11-02T02:00:00Z');
      const no = await create();
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 1 });
      expect((await clocks(no)).filter((d) => d.stage.startsWith('county'))).toEqual([
        expect.objectContaining({ stage: 'countyAccept', status: 'met', late: 0 }),
        expect.objectContaining({ stage: 'countyAssign', status: 'met', late: 0 }),
      ]);
    });

    it('lets the administrator edit the new rules, with their sources', async () => {
      await at('2026-11-02T02:00:00Z');
      const page = (await (await signIn(t, 'admin')).get('/admin/deadline-rules')).text;
      for (const label of ['县级受理', '县级交办', '复查', '复核', '申请复查、复核', '书面告知受理', '低保对象死亡后家庭复核', '近亲属备案']) expect([label, page.includes(label)]).toEqual([label, true]);
      expect(page).toContain('县局默认：登记后1个工作日内受理');
      expect(page).toContain('《信访工作条例》第二十二条、第二十三条：自收到信访事项之日起15日内书面告知信访人');
    });
  });

  describe('近亲属备案 due date', () => {
    it('follows the editable rule, and moves when the administrator changes it', async () => {
      await at('2026-11-02T02:00:00Z');
      const supervisor = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor' }), 'session');
      const r = await t.app.get(RelativesService).save(supervisor, { staffName: '规则测试员', staffPost: '村委会委员', staffUnit: '测试村村委会', appointedAt: '2026-11-02', relativeName: '规则测试亲属', relationship: '子女' } as never);
      expect(r.dueDate).toBe(await due('2026-11-02', 30, 'day'));
      const [rule] = await t.dataSource.query(`SELECT id, source FROM deadline_rules WHERE stage = 'relativeRegistration' AND kind IS NULL AND program IS NULL`);
      const admin = await signIn(t, 'admin');
      const csrf = await csrfOf(admin, '/admin/deadline-rules');
      const save = (limitValue: number) => admin.post(`/admin/deadline-rules/${rule.id}`).type('form').send({ _csrf: csrf, limitValue: String(limitValue), unit: 'day', maxExtension: '0', source: rule.source });
      expect((await save(10)).status).toBe(303);
      const ten = await due('2026-11-02', 10, 'day');
      const [row] = await t.dataSource.query('SELECT dueDate FROM relative_registrations WHERE id = ?', [r.id]);
      expect(row.dueDate).toBe(ten);
      const list = (await (await signIn(t, 'supervisor')).get('/relatives?status=pending')).text;
      expect(list).toContain(`待备案（${ten}前）`);
      expect((await save(30)).status).toBe(303);
      expect((await t.dataSource.query('SELECT dueDate FROM relative_registrations WHERE id = ?', [r.id]))[0].dueDate).toBe(await due('2026-11-02', 30, 'day'));
    });
  });
});
