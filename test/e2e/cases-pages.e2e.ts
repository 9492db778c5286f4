import { helpRequestBody, uniqueMobile, validIdNumber } from '../factories/case.factory';
import { countCases, markAssigned } from '../utils/cases';
import { apiToken, createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

describe('case pages', () => {
  let t: TestApp;
  let operatorToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    operatorToken = await apiToken(t, 'operator');
  });
  afterAll(() => t.close());

  const apiCreate = async (body: object) => (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operatorToken}`).send(body)).body;

  it('logs a call from the intake form and shows the new case', async () => {
    const agent = await signIn(t, 'operator');
    const form = await agent.get('/cases/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('登记来电来信');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const body = { ...helpRequestBody({ reporterName: '郭长林', content: '来电人反映家中房屋漏雨，老人无人照料，申请临时救助。' }), problemTypes: undefined, _csrf: csrf };
    const res = await agent.post('/cases').type('form').send(body);
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/已登记，案件编号 JZ\d{4}-141099-\d{6}/);
    expect(page.text).toContain('郭长林');
    expect(page.text).toContain('老人无人照料');
    expect(page.text).toContain('登记'); // timeline's first row
    expect(page.text).toContain('王丽（接线员）');
  });

  it('shows errors in Chinese next to the fields, keeps the input and stores nothing', async () => {
    const agent = await signIn(t, 'operator');
    const csrf = await csrfOf(agent, '/cases/new');
    const before = await countCases(t.dataSource);
    const res = await agent
      .post('/cases')
      .type('form')
      .send({ ...helpRequestBody({ reporterName: '孙满仓', reporterPhone: '1381234', reporterIdNumber: '110105194912310021', content: '家里困难请求帮助一下' }), _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('提交的内容有误');
    expect(res.text).toMatch(/<input id="reporterPhone"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('id="err-reporterPhone"');
    expect(res.text).toContain('请输入有效的手机号');
    expect(res.text).toContain('id="err-reporterIdNumber"');
    expect(res.text).toContain('身份证号码校验位不正确');
    // the operator's typing is still there
    expect(res.text).toContain('value="孙满仓"');
    expect(res.text).toContain('value="1381234"');
    expect(res.text).toContain('家里困难请求帮助一下');
    expect(await countCases(t.dataSource)).toBe(before);
  });

  it('asks for the problem type of a complaint', async () => {
    const agent = await signIn(t, 'operator');
    const csrf = await csrfOf(agent, '/cases/new');
    const res = await agent
      .post('/cases')
      .type('form')
      .send({ channel: 'hotline', kind: 'complaint', program: 'ruralDibao', reporterType: 'anonymous', townshipId: '1', content: '反映村干部办事不公', _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('投诉举报须至少选择一个问题类别');
  });

  it('shows <script> in case content as text', async () => {
    const created = await apiCreate(helpRequestBody({ content: '测试内容<script>alert("x")</script><img src=x onerror=alert(1)>' }));
    const agent = await signIn(t, 'operator');
    const page = await agent.get(`/cases/${created.caseNo}`);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const list = await agent.get(`/cases?q=${encodeURIComponent('测试内容')}`);
    expect(list.text).toContain('&lt;script&gt;');
    expect(list.text).not.toContain('<script>alert');
  });

  it('finds a case in the list by a Chinese word of its content', async () => {
    const created = await apiCreate(helpRequestBody({ content: '来电人反映家里的羊圈被大风吹倒，请求临时救助。' }));
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get(`/cases?q=${encodeURIComponent('羊圈')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(created.caseNo);
    expect(res.text).toContain('共 1 件');
  });

  it('counts the cases matching the filters', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get('/cases?kind=consultation');
    const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE kind = 'consultation'`);
    expect(res.text).toContain(`共 ${row.n} 件`);
  });

  it('counts the matches of a text search with other filters', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get(`/cases?q=${encodeURIComponent('低保')}&kind=complaint`);
    const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE kind = 'complaint' AND content LIKE '%低保%'`);
    expect(row.n).toBeGreaterThan(0);
    expect(res.text).toContain(`共 ${row.n} 件`);
  });

  it('refuses a bad filter next to its field, keeps the input and lists nothing it was not asked for', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get('/cases?receivedFrom=someday&q=低保');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="err-receivedFrom"[^>]*>日期格式应为 YYYY-MM-DD/);
    expect(res.text).toContain('value="someday"');
    expect(res.text).toContain('value="低保"');
    expect(res.text).not.toContain('href="/cases/JZ');
  });

  it('gives a township user 404 for another township case page, as for a missing one', async () => {
    const other = await apiCreate(helpRequestBody({ townshipId: 2, villageId: null }));
    await markAssigned(t.dataSource, other.caseNo, 2);
    const agent = await signIn(t, 'township1');
    const denied = await agent.get(`/cases/${other.caseNo}`);
    const missing = await agent.get('/cases/JZ2099-000001');
    expect(denied.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(denied.text).toBe(missing.text);
    const own = await apiCreate(helpRequestBody({ townshipId: 1, villageId: null }));
    await markAssigned(t.dataSource, own.caseNo, 1);
    expect((await agent.get(`/cases/${own.caseNo}`)).status).toBe(200);
  });

  it('lists only their own township for a township user', async () => {
    const agent = await signIn(t, 'township1');
    const res = await agent.get('/cases');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('河口镇');
    expect(res.text).toContain('城关镇');
    expect(res.text).not.toContain('id="f-township"');
  });

  it('lists earlier cases of the same phone or ID number beside the form', async () => {
    const phone = uniqueMobile();
    const id = validIdNumber('19660606', 77);
    const first = await apiCreate(helpRequestBody({ reporterPhone: phone, reporterIdNumber: id }));
    const agent = await signIn(t, 'operator');
    const byPhone = await agent.get(`/cases/person-matches?phone=${phone}`);
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([first.caseNo]);
    const byId = await agent.get(`/cases/person-matches?idNumber=${id}`);
    expect(byId.body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([first.caseNo]);
    const second = await apiCreate(helpRequestBody({ reporterPhone: phone }));
    const page = await agent.get(`/cases/${second.caseNo}`);
    expect(page.text).toContain('此人的其他诉求');
    expect(page.text).toContain(first.caseNo);
  });

  it('keeps the person lookup from township staff', async () => {
    const agent = await signIn(t, 'township1');
    expect((await agent.get('/cases/person-matches?phone=13800000000')).status).toBe(403);
    expect((await agent.get('/cases/new')).status).toBe(403);
  });
});
