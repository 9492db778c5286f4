import ExcelJS from 'exceljs';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { complaintBody } from '../factories/case.factory';
import { act, tokens } from '../utils/workflow';
import { apiToken, createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

describe('referral of a lead to the discipline-inspection liaison', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  let liaisonId: number;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
    [{ id: liaisonId }] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
  });
  afterAll(() => t.close());

  const create = async (body: object) => (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body)).body;
  const refer = (caseNo: string, body: object, token = tk.supervisor) => t.http().post(`/api/v1/cases/${caseNo}/referral`).set('Authorization', `Bearer ${token}`).send(body);
  const leadAct = (leadNo: string, action: string, body: object = {}, token = tk.liaison) =>
    t.http().post(`/api/v1/referrals/${leadNo}/actions/${action}`).set('Authorization', `Bearer ${token}`).send(body);

  it('goes referred → signed for → disposed → result returned, with the reporter told and the supervisor seeing the result', async () => {
    const c = await create(complaintBody({ reporterType: 'realName', reporterName: '线索举报人', reporterPhone: '13822223333', townshipId: 1, subjectName: '钱某', subjectUnit: '城关镇东关社区', subjectPost: '社区主任' }));
    const other = await create(complaintBody({ townshipId: 1, subjectName: '钱某' }));
    await act(t, tk.operator, c.caseNo, 'accept');
    const bad = await refer(c.caseNo, { source: '', handlerId: 999 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(expect.arrayContaining(['mainProblem', 'source']));
    expect((await refer(c.caseNo, { source: '热线举报', mainProblem: '社区主任索要低保辛苦费', handlerId: 1 })).body.errors[0].field).toBe('handlerId');

    const res = await refer(c.caseNo, {
      source: '12349热线实名举报', mainProblem: '社区主任钱某在办理低保时索要辛苦费500元', verificationSoFar: '已电话联系举报人核实基本情况',
      attachments: '举报电话记录\n低保申请材料复印件', handlerId: liaisonId, otherCaseNos: [other.caseNo],
    });
    expect(res.status).toBe(201);
    expect(res.body.leadNo).toMatch(/^XS\d{4}-141099-\d{4}$/);
    expect(res.body).toMatchObject({ status: 'referred', reporter: { type: 'realName', name: '线索举报人' }, subject: { name: '钱某' }, caseNos: [c.caseNo, other.caseNo] });
    const leadNo = res.body.leadNo;

    // the liaison sees this lead and its cases, nothing else
    const list = await t.http().get('/api/v1/referrals').set('Authorization', `Bearer ${tk.liaison}`);
    expect(list.body.items.map((i: { leadNo: string }) => i.leadNo)).toContain(leadNo);
    expect((await t.http().get(`/api/v1/cases/${c.caseNo}`).set('Authorization', `Bearer ${tk.liaison}`)).status).toBe(200);
    const [unrelated] = await t.dataSource.query(`SELECT caseNo FROM cases WHERE id NOT IN (SELECT caseId FROM referral_cases) LIMIT 1`);
    expect((await t.http().get(`/api/v1/cases/${unrelated.caseNo}`).set('Authorization', `Bearer ${tk.liaison}`)).status).toBe(404);

    // order and roles
    expect((await leadAct(leadNo, 'dispose', { disposal: 'talk' })).status).toBe(409);
    expect((await leadAct(leadNo, 'acknowledge', {}, tk.supervisor)).status).toBe(403);
    expect((await leadAct(leadNo, 'acknowledge', {}, tk.township1)).status).toBe(404);
    expect((await leadAct(leadNo, 'acknowledge')).body.status).toBe('acknowledged');
    expect((await leadAct(leadNo, 'notify-reporter', { date: '2026-11-20' })).body.reporterNoticeDate).toBe('2026-11-20');
    expect((await leadAct(leadNo, 'dispose', { disposal: 'sideways' })).status).toBe(400);
    expect((await leadAct(leadNo, 'dispose', { disposal: 'preliminary', note: '成立核查组' })).body.status).toBe('disposed');
    const done = await leadAct(leadNo, 'return-result', { resultDate: '2026-11-20', summary: '经初步核实，钱某索要辛苦费问题属实，已给予党内警告处分。' });
    expect(done.body.status).toBe('resultReturned');
    // the result goes back to the county's supervisors as a notice
    const told = await t.dataSource.query(`SELECT u.username, n.message FROM notifications n JOIN users u ON u.id = n.userId WHERE n.type = 'leadResult' AND n.eventKey LIKE 'lead-result:' || (SELECT id FROM referrals WHERE leadNo = ?) || ':%'`, [leadNo]);
    expect(told.map((n: { username: string }) => n.username)).toContain('supervisor');
    expect(told.every((n: { username: string; message: string }) => n.message === `线索 ${leadNo} 的办理结果已反馈，请在期限内向实名举报人反馈`)).toBe(true);
    expect(told.some((n: { username: string }) => n.username.startsWith('township') || n.username === 'operator')).toBe(false);
    expect((await leadAct(leadNo, 'feedback-reporter', { date: '2026-11-20' })).body.reporterFeedbackDate).toBe('2026-11-20');

    // the supervisor sees the result on the case
    const page = await (await signIn(t, 'supervisor')).get(`/cases/${c.caseNo}`);
    expect(page.text).toContain(leadNo);
    expect(page.text).toContain('已给予党内警告处分');
    // the clocks of the referral ran on the deadline engine
    const clocks = await t.dataSource.query(`SELECT d.stage, d.status FROM case_deadlines d JOIN referrals r ON r.id = d.referralId WHERE r.leadNo = ? ORDER BY d.id`, [leadNo]);
    expect(clocks).toEqual([
      { stage: 'liaisonAcknowledge', status: 'met' },
      { stage: 'realNameAcceptance', status: 'met' },
      { stage: 'realNameResult', status: 'met' },
    ]);
  });

  it('gives a liaison 404 for leads handed to someone else', async () => {
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/users/new');
    await admin.post('/admin/users').type('form').send({ _csrf: csrf, username: 'liaison2', displayName: '孙纪检', role: 'liaison', password: 'Liaison-second-2026' });
    const other = await apiToken(t, 'liaison2', 'Liaison-second-2026');
    const c = await create(complaintBody({ townshipId: 1 }));
    const r = await refer(c.caseNo, { source: '热线', mainProblem: '村干部优亲厚友问题线索', handlerId: liaisonId });
    expect((await t.http().get('/api/v1/referrals').set('Authorization', `Bearer ${other}`)).body.items).toEqual([]);
    expect((await leadAct(r.body.leadNo, 'acknowledge', {}, other)).status).toBe(404);
    expect((await t.http().get(`/api/v1/cases/${c.caseNo}`).set('Authorization', `Bearer ${other}`)).status).toBe(404);
  });

  it('tells the lead’s own liaison, and the supervisors, when its sign-for deadline has passed', async () => {
    const c = await create(complaintBody({ townshipId: 2 }));
    const r = await refer(c.caseNo, { source: '来信', mainProblem: '村干部虚报冒领临时救助金问题线索', handlerId: liaisonId });
    expect(r.status).toBe(201);
    await t.dataSource.query(
      `UPDATE case_deadlines SET dueDate = '2026-01-05' WHERE stage = 'liaisonAcknowledge' AND referralId = (SELECT id FROM referrals WHERE leadNo = ?)`,
      [r.body.leadNo],
    );
    await t.app.get(DeadlineScanService).run();
    const notices = await t.dataSource.query(
      `SELECT u.username, n.message FROM notifications n JOIN users u ON u.id = n.userId JOIN cases c ON c.id = n.caseId WHERE c.caseNo = ? AND n.type = 'overdue' ORDER BY u.username`,
      [c.caseNo],
    );
    const who = notices.map((n: { username: string }) => n.username);
    expect(who).toContain('liaison');
    expect(who).toContain('supervisor');
    expect(who).not.toContain('liaison2');
    expect(who.some((u: string) => u.startsWith('township'))).toBe(false);
    expect(notices.find((n: { username: string }) => n.username === 'liaison').message).toBe(`案件 ${c.caseNo} 纪检联络员签收线索已超期（期限 2026-01-05）`);
    const page = await (await signIn(t, 'liaison')).get('/notifications');
    expect(page.text).toContain(`案件 ${c.caseNo} 纪检联络员签收线索已超期`);
  });

  it('exports the referral register as .xlsx with Chinese intact', async () => {
    const sup = await signIn(t, 'supervisor');
    const res = await sup.get('/referrals/export.xlsx').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (x: Buffer) => chunks.push(x));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('问题线索移交登记');
    expect(ws.getRow(1).getCell(1).value).toBe('线索编号');
    expect(JSON.stringify(ws.getColumn(7).values)).toContain('社区主任钱某在办理低保时索要辛苦费500元');
  });

  it('prints the 问题线索移交登记表 as HTML and as a PDF with Chinese text', async () => {
    const [r] = await t.dataSource.query(`SELECT leadNo FROM referrals ORDER BY id LIMIT 1`);
    const liaison = await signIn(t, 'liaison');
    const html = await liaison.get(`/referrals/${r.leadNo}/print`);
    expect(html.text).toContain('问题线索移交登记表');
    const pdf = await liaison.get(`/referrals/${r.leadNo}/print.pdf`).buffer(true).parse((x, cb) => {
      const chunks: Buffer[] = [];
      x.on('data', (b: Buffer) => chunks.push(b));
      x.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const body = pdf.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    // the CJK font is embedded (glyphs, not empty boxes)
    expect(body.toString('latin1')).toContain('NotoSansCJK');
  });
});
