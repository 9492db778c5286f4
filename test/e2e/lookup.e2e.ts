import request from 'supertest';
import { helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, csrfFrom, TestApp } from '../utils/test-app';

describe('the reporter’s status lookup (件件有回应)', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const create = async (body: object) => (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body)).body;
  async function lookup(caseNo: string, code: string) {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/lookup');
    expect(form.status).toBe(200);
    return agent.post('/lookup').type('form').send({ _csrf: csrfFrom(form.text), caseNo, code });
  }
  const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]*"/, '');

  it('gives a 6-digit query code at intake and keeps only its keyed hash', async () => {
    const c = await create(helpRequestBody({ townshipId: 1, villageId: null }));
    expect(c.queryCode).toMatch(/^\d{6}$/);
    const [row] = await t.dataSource.query('SELECT queryCodeHash FROM cases WHERE caseNo = ?', [c.caseNo]);
    expect(row.queryCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.queryCodeHash).not.toContain(c.queryCode);
    // the case API never returns it again
    const again = await t.http().get(`/api/v1/cases/${c.caseNo}`).set('Authorization', `Bearer ${tk.operator}`);
    expect(again.body.queryCode).toBeUndefined();
  });

  it('shows status and deadline, and only the reply the county approved, masked, with no personal data', async () => {
    const c = await create(helpRequestBody({ reporterName: '查询测试人', reporterPhone: '13955556666', townshipId: 1, villageId: null, content: '家中困难申请低保（查询测试内容）。' }));
    await act(t, tk.operator, c.caseNo, 'accept');
    await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
    let res = await lookup(c.caseNo, c.queryCode);
    expect(res.status).toBe(200);
    expect(res.text).toContain('已交办');
    expect(res.text).toMatch(/办理期限<\/dt><dd>\d{4}-\d{2}-\d{2}/);
    for (const secret of ['查询测试人', '13955556666', '查询测试内容', '城关镇']) expect(res.text).not.toContain(secret);
    await act(t, tk.township1, c.caseNo, 'acknowledge');
    await act(t, tk.township1, c.caseNo, 'verify', { ...VERIFY_BODY, visitDate: '2026-11-20' });
    await act(t, tk.township1, c.caseNo, 'feedback', { ...FEEDBACK_BODY, date: '2026-11-20', content: '内部记录：电话联系其子，身份证141099201503071234，电话13911112222。' });
    await act(t, tk.township1, c.caseNo, 'submit', { replyDraft: '经核实符合条件，已按程序纳入低保，下月起发放。' });
    // not yet approved: nothing of the draft reaches the public
    expect((await lookup(c.caseNo, c.queryCode)).text).not.toContain('已按程序纳入低保');
    await act(t, tk.supervisor, c.caseNo, 'approve', { replyText: '查询测试人您好：经核实符合条件，已按程序纳入低保，下月起发放。如有疑问请联系13800001111，户主身份证141099198001011237。' });
    res = await lookup(c.caseNo.toLowerCase(), c.queryCode);
    expect(res.text).toContain('已反馈待回访');
    expect(res.text).toContain('属实');
    expect(res.text).toContain('已按程序纳入低保，下月起发放');
    // the approved text with numbers masked and the reporter not named; none of the township's notes
    expect(res.text).toContain('138****1111');
    expect(res.text).toContain('1410**********1237');
    for (const secret of ['查询测试人', '13800001111', '141099198001011237', '内部记录', '13911112222', '141099201503071234']) expect(res.text).not.toContain(secret);
  });

  it('never names a minor, nor anyone of the case, in the reply it shows', async () => {
    const c = await create(helpRequestBody({ reporterName: '卫小宝', reporterMinor: true, subjectName: '卫小妹', subjectMinor: true, townshipId: 1, villageId: null, content: '兄妹二人申请救助。' }));
    await act(t, tk.operator, c.caseNo, 'accept');
    await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
    await act(t, tk.township1, c.caseNo, 'acknowledge');
    await act(t, tk.township1, c.caseNo, 'verify', { ...VERIFY_BODY, visitDate: '2026-11-20' });
    await act(t, tk.township1, c.caseNo, 'feedback', { ...FEEDBACK_BODY, date: '2026-11-20' });
    await act(t, tk.township1, c.caseNo, 'submit', { replyDraft: '卫小宝、卫小妹：经核实，你们已纳入事实无人抚养儿童保障。' });
    await act(t, tk.supervisor, c.caseNo, 'approve');
    const res = await lookup(c.caseNo, c.queryCode);
    expect(res.text).toContain('卫**、卫**：经核实');
    expect(res.text).not.toMatch(/卫小[宝妹]/);
  });

  it('answers a wrong code exactly as an unknown case', async () => {
    const c = await create(helpRequestBody({ townshipId: 1, villageId: null }));
    const wrong = await lookup(c.caseNo, c.queryCode === '000000' ? '000001' : '000000');
    const unknown = await lookup('JZ2099-999999', '123456');
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(withoutToken(wrong.text).replace(c.caseNo, 'X')).toBe(withoutToken(unknown.text).replace('JZ2099-999999', 'X'));
    expect(wrong.text).toContain('案件编号或查询码不正确');
  });

  it('stops guessing: after five wrong codes for a case even the right one waits', async () => {
    const c = await create(helpRequestBody({ townshipId: 1, villageId: null }));
    for (let i = 0; i < 5; i++) {
      const guess = String((Number(c.queryCode) + 1 + i) % 1_000_000).padStart(6, '0');
      expect((await lookup(c.caseNo, guess)).status).toBe(400);
    }
    const res = await lookup(c.caseNo, c.queryCode);
    expect(res.status).toBe(429);
    expect(res.text).toContain('查询次数过多');
  });

  it('asks for both fields', async () => {
    const res = await lookup('', '');
    expect(res.status).toBe(400);
    expect(res.text).toContain('请填写案件编号和查询码');
  });
});
