import request from 'supertest';
import { FixedClock } from '../../src/common/clock';
import { complaintBody, helpRequestBody } from '../factories/case.factory';
import { TEST_START } from '../utils/clock';
import { countCases } from '../utils/cases';
import { act, tokens } from '../utils/workflow';
import { createTestApp, csrfFrom, csrfOf, DEMO_PASSWORD, signIn, TestApp } from '../utils/test-app';

type Agent = ReturnType<typeof request.agent>;

/** Issue 10 §5: what an operator needs on the call, and what the caller gets. */
describe('on the call', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const apiCreate = async (body: object) => {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body);
    expect(res.status).toBe(201);
    return res.body as { caseNo: string; queryCode: string };
  };
  async function intake(agent: Agent, body: Record<string, unknown>) {
    const csrf = await csrfOf(agent, '/cases/new');
    return agent.post('/cases').type('form').send({ ...body, _csrf: csrf });
  }
  async function lookup(caseNo: string, code: string) {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/lookup');
    return agent.post('/lookup').type('form').send({ _csrf: csrfFrom(form.text), caseNo, code });
  }
  const history = (caseNo: string) =>
    t.dataSource.query(`SELECT h.type, h.action, h.note, h.data, h.toStatus FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo = ? ORDER BY h.seq`, [caseNo]) as Promise<
      { type: string; action: string | null; note: string | null; data: string | null; toStatus: string }[]
    >;
  const caseRow = async (caseNo: string) => (await t.dataSource.query('SELECT * FROM cases WHERE caseNo = ?', [caseNo]))[0];

  describe('the query code (查询码)', () => {
    it('is shown once after intake, with a button that prints it on the acceptance notice with the lookup address', async () => {
      const agent = await signIn(t, 'operator');
      const res = await intake(agent, { ...helpRequestBody({ reporterName: '秦月英' }), problemTypes: undefined });
      expect(res.status).toBe(303);
      const page = await agent.get(res.headers.location);
      const code = /查询码 (\d{6})/.exec(page.text)![1];
      const caseNo = /JZ\d{4}-141099-\d{6}/.exec(res.headers.location)![0];
      expect(page.text).toContain(`action="/cases/${caseNo}/print/acceptance-notice"`);
      expect(page.text).toContain(`name="code" value="${code}"`);
      // the next page shows it no more
      const again = await agent.get(`/cases/${caseNo}`);
      expect(again.text).not.toContain(`查询码 ${code}`);
      expect(again.text).not.toContain('name="code" value="');

      const printed = await agent.post(`/cases/${caseNo}/print/acceptance-notice`).type('form').send({ _csrf: csrfFrom(again.text), code });
      expect(printed.status).toBe(200);
      expect(printed.text).toContain('受理告知书');
      expect(printed.text).toContain(`<strong class="query-code">${code}</strong>`);
      // no PUBLIC_BASE_URL here: the address the staff's browser used
      expect(printed.text).toMatch(/登录 http:\/\/127\.0\.0\.1:\d+\/lookup 查询办理进展/);
    });

    it('prints the notice later without the code, saying how to get a new one', async () => {
      const c = await apiCreate(helpRequestBody());
      const agent = await signIn(t, 'operator');
      const res = await agent.get(`/cases/${c.caseNo}/print/acceptance-notice`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('class="query-code"');
      expect(res.text).toContain('登记时告知的查询码');
      expect(res.text).toContain('/lookup');
      expect(res.text).toContain('申请重新发放');
    });

    it('prints no code that is not the case’s current one, and never for township staff', async () => {
      const c = await apiCreate(helpRequestBody());
      const agent = await signIn(t, 'operator');
      const csrf = await csrfOf(agent, `/cases/${c.caseNo}`);
      const wrong = String((Number(c.queryCode) + 1) % 1_000_000).padStart(6, '0');
      const res = await agent.post(`/cases/${c.caseNo}/print/acceptance-notice`).type('form').send({ _csrf: csrf, code: wrong });
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('class="query-code"');
      await act(t, tk.operator, c.caseNo, 'accept');
      await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
      const township = await signIn(t, 'township1');
      const tcsrf = await csrfOf(township, `/cases/${c.caseNo}`);
      expect((await township.post(`/cases/${c.caseNo}/print/acceptance-notice`).type('form').send({ _csrf: tcsrf, code: c.queryCode })).status).toBe(403);
    });

    it('can be reissued by the county: the old code stops working, audited, with a history entry that holds no code', async () => {
      const c = await apiCreate(helpRequestBody());
      expect((await lookup(c.caseNo, c.queryCode)).status).toBe(200);
      const agent = await signIn(t, 'supervisor');
      const csrf = await csrfOf(agent, `/cases/${c.caseNo}`);
      const res = await agent.post(`/cases/${c.caseNo}/query-code`).type('form').send({ _csrf: csrf });
      expect(res.status).toBe(303);
      const page = await agent.get(res.headers.location);
      const code = /已重新发放查询码 (\d{6})/.exec(page.text)![1];
      expect(page.text).toContain(`name="code" value="${code}"`);

      expect((await lookup(c.caseNo, c.queryCode)).status).toBe(400);
      expect((await lookup(c.caseNo, code)).status).toBe(200);
      const audit = await t.dataSource.query(`SELECT actorName, targetId, detail FROM audit_events WHERE action = 'query-code.reissue' AND targetId = ?`, [c.caseNo]);
      expect(audit).toEqual([{ actorName: '陈建国', targetId: c.caseNo, detail: null }]);
      const entries = (await history(c.caseNo)).filter((h) => h.action === 'reissue-query-code');
      expect(entries).toHaveLength(1);
      expect(entries[0].type).toBe('note');
      expect(JSON.stringify(entries[0])).not.toContain(code);
      expect(JSON.stringify(entries[0])).not.toContain(c.queryCode);
      expect(page.text).toContain('重新发放查询码');
    });

    it('is reissued through the API too, and never by township staff', async () => {
      const c = await apiCreate(helpRequestBody());
      const res = await t.http().post(`/api/v1/cases/${c.caseNo}/query-code`).set('Authorization', `Bearer ${tk.operator}`);
      expect(res.status).toBe(200);
      expect(res.body.queryCode).toMatch(/^\d{6}$/);
      expect((await lookup(c.caseNo, res.body.queryCode)).status).toBe(200);
      await act(t, tk.operator, c.caseNo, 'accept');
      await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
      expect((await t.http().post(`/api/v1/cases/${c.caseNo}/query-code`).set('Authorization', `Bearer ${tk.township1}`)).status).toBe(403);
    });
  });

  describe('the status page', () => {
    it.each([
      ['lower case', (no: string) => no.toLowerCase()],
      ['spaces', (no: string) => ` ${no.slice(0, 2)} ${no.slice(2, 6)} - ${no.slice(7)} `],
      ['no hyphen', (no: string) => no.replace('-', '')],
      ['full-width characters', (no: string) => no.replace(/[A-Z0-9-]/g, (ch) => String.fromCharCode(ch === '-' ? 0xff0d : ch.charCodeAt(0) + 0xfee0))],
    ])('finds the case with the number typed in %s', async (_how, typed) => {
      const c = await apiCreate(helpRequestBody());
      const res = await lookup(typed(c.caseNo), c.queryCode);
      expect(res.status).toBe(200);
      expect(res.text).toContain(c.caseNo);
    });
  });

  describe('one step from the intake form', () => {
    it('saves a consultation answered on the spot and closes it in the same write', async () => {
      const agent = await signIn(t, 'operator');
      const res = await intake(agent, {
        channel: 'hotline', kind: 'consultation', program: 'temporaryAssistance', reporterType: 'realName', reporterName: '范玉兰', reporterPhone: '13934561234',
        content: '来电咨询临时救助需要哪些材料。', step: 'answer', answer: '请携带身份证、户口簿和困难情况说明到乡镇民政办申请。',
      });
      expect(res.status).toBe(303);
      const caseNo = /JZ\d{4}-141099-\d{6}/.exec(res.headers.location)![0];
      const page = await agent.get(res.headers.location);
      expect(page.text).toContain('已登记并当场解答办结');
      const row = await caseRow(caseNo);
      expect(row.status).toBe('closed');
      expect(row.closeReason).toBe('answered');
      expect(row.replyText).toBe('请携带身份证、户口簿和困难情况说明到乡镇民政办申请。');
      expect((await history(caseNo)).map((h) => [h.type, h.action, h.toStatus])).toEqual([
        ['created', null, 'registered'],
        ['transition', 'answer', 'closed'],
      ]);
    });

    it('refuses to answer anything but a consultation on the spot, and stores nothing', async () => {
      const agent = await signIn(t, 'operator');
      const before = await countCases(t.dataSource);
      const res = await intake(agent, { ...helpRequestBody(), problemTypes: undefined, step: 'answer', answer: '已答复。' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('只有政策咨询可以当场解答并办结');
      expect(await countCases(t.dataSource)).toBe(before);
    });

    it('lets a supervisor register, accept and assign a complaint at once, with the clocks, history and notice of the separate steps', async () => {
      const agent = await signIn(t, 'supervisor');
      const res = await intake(agent, { ...complaintBody({ subjectName: '孟德才' }), step: 'accept-assign', assignNote: '请重点核实' });
      expect(res.status).toBe(303);
      const caseNo = /JZ\d{4}-141099-\d{6}/.exec(res.headers.location)![0];
      expect((await agent.get(res.headers.location)).text).toContain('已登记、受理并交办城关镇');
      const steps = await history(caseNo);
      expect(steps.map((h) => [h.type, h.action, h.toStatus])).toEqual([
        ['created', null, 'registered'],
        ['transition', 'accept', 'accepted'],
        ['transition', 'assign', 'assigned'],
      ]);
      expect(steps[2].note).toBe('请重点核实');
      // the same complaint taken step by step through the workflow
      const other = await apiCreate(complaintBody({ subjectName: '孟德才' }));
      await act(t, tk.supervisor, other.caseNo, 'accept');
      await act(t, tk.supervisor, other.caseNo, 'assign', { townshipId: 1 });
      const clocks = (no: string) =>
        t.dataSource.query(`SELECT d.stage, d.startDate, d.dueDate, d.status FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE c.caseNo = ? ORDER BY d.stage`, [no]);
      const mine = await clocks(caseNo);
      expect(mine.map((d: { stage: string }) => d.stage)).toEqual(expect.arrayContaining(['acknowledge', 'verify']));
      expect(mine).toEqual(await clocks(other.caseNo));
      const row = await caseRow(caseNo);
      expect(row.status).toBe('assigned');
      expect(row.townshipId).toBe(1);
      const notices = await t.dataSource.query(`SELECT u.username FROM notifications n JOIN users u ON u.id = n.userId WHERE n.caseId = ? AND n.type = 'assigned'`, [row.id]);
      expect(notices.map((n: { username: string }) => n.username)).toContain('township1');
    });

    it('keeps the accept-and-assign step for supervisors', async () => {
      const agent = await signIn(t, 'operator');
      const before = await countCases(t.dataSource);
      const res = await intake(agent, { ...complaintBody(), step: 'accept-assign' });
      expect(res.status).toBe(403);
      expect(await countCases(t.dataSource)).toBe(before);
      expect((await agent.get('/cases/new')).text).not.toContain('登记、受理并交办');
    });

    it('asks to confirm a recusal before assigning, next to the box, and stores nothing until then', async () => {
      const agent = await signIn(t, 'supervisor');
      const before = await countCases(t.dataSource);
      const body = { ...complaintBody({ subjectName: '李晓梅', subjectPost: '乡镇民政助理员' }), step: 'accept-assign' };
      let res = await intake(agent, body);
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="err-confirmRecusal"');
      expect(res.text).toContain('李晓梅本人或其备案近亲属');
      expect(res.text).toContain('href="#confirmRecusal"');
      expect(await countCases(t.dataSource)).toBe(before);
      res = await intake(agent, { ...body, confirmRecusal: 'on', recusalReason: '由该镇其他工作人员办理，李晓梅回避' });
      expect(res.status).toBe(303);
      const caseNo = /JZ\d{4}-141099-\d{6}/.exec(res.headers.location)![0];
      expect((await caseRow(caseNo)).status).toBe('assigned');
      expect((await history(caseNo))[2].note).toContain('李晓梅回避');
    });
  });

  describe('a chase call (催办)', () => {
    it('is logged on the open case with channel and note, counted on its page, and supervisors and the township are told', async () => {
      const c = await apiCreate(helpRequestBody({ reporterName: '段桂芝' }));
      await act(t, tk.operator, c.caseNo, 'accept');
      await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
      const agent = await signIn(t, 'operator');
      for (const [i, note] of ['问什么时候有人来核实', '再次来电催问'].entries()) {
        const csrf = await csrfOf(agent, `/cases/${c.caseNo}`);
        const res = await agent.post(`/cases/${c.caseNo}/chase`).type('form').send({ _csrf: csrf, channel: 'hotline', note });
        expect(res.status).toBe(303);
        const page = await agent.get(res.headers.location);
        expect(page.text).toContain(`已记录反映人催办（本案第 ${i + 1} 次）`);
        expect(page.text).toContain(`催办 ${i + 1} 次`);
      }
      const chases = (await history(c.caseNo)).filter((h) => h.action === 'chase');
      expect(chases.map((h) => [h.type, h.note, JSON.parse(h.data!)])).toEqual([
        ['note', '问什么时候有人来核实', { channel: 'hotline', count: 1 }],
        ['note', '再次来电催问', { channel: 'hotline', count: 2 }],
      ]);
      const township = await signIn(t, 'township1');
      const seen = await township.get(`/cases/${c.caseNo}`);
      expect(seen.text).toContain('催办 2 次');
      expect(seen.text).toContain('反映人催办（热线电话，第 2 次）');
      const id = (await caseRow(c.caseNo)).id;
      const told = await t.dataSource.query(`SELECT u.username, n.message FROM notifications n JOIN users u ON u.id = n.userId WHERE n.caseId = ? AND n.type = 'chased' ORDER BY n.id`, [id]);
      expect(told.map((n: { username: string }) => n.username)).toEqual(expect.arrayContaining(['supervisor', 'township1']));
      // notices name the case, never the caller
      for (const n of told) expect(n.message).not.toContain('段桂芝');
    });

    it('tells only supervisors while the case is still with the county', async () => {
      const c = await apiCreate(helpRequestBody());
      const res = await t.http().post(`/api/v1/cases/${c.caseNo}/chase`).set('Authorization', `Bearer ${tk.operator}`).send({ channel: 'letter' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ caseNo: c.caseNo, chaseCount: 1 });
      const id = (await caseRow(c.caseNo)).id;
      const told = await t.dataSource.query(`SELECT DISTINCT u.role FROM notifications n JOIN users u ON u.id = n.userId WHERE n.caseId = ? AND n.type = 'chased'`, [id]);
      expect(told).toEqual([{ role: 'supervisor' }]);
    });

    it('is refused on a closed case and for township staff', async () => {
      const c = await apiCreate({ ...helpRequestBody(), kind: 'consultation' });
      await act(t, tk.operator, c.caseNo, 'answer', { answer: '已当场答复。' });
      const agent = await signIn(t, 'operator');
      const csrf = await csrfOf(agent, `/cases/${c.caseNo}`);
      const res = await agent.post(`/cases/${c.caseNo}/chase`).type('form').send({ _csrf: csrf, channel: 'hotline' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('该案件已办结，不能催办');
      expect((await history(c.caseNo)).some((h) => h.action === 'chase')).toBe(false);
      expect((await t.http().post(`/api/v1/cases/${c.caseNo}/chase`).set('Authorization', `Bearer ${tk.township1}`).send({})).status).toBe(403);
    });

    it('is offered in the likely-repeat panel, which shows village and subject of each suggestion', async () => {
      const c = await apiCreate(complaintBody({ subjectName: '雷振山', subjectPost: '村会计', villageId: 1 }));
      const agent = await signIn(t, 'operator');
      const res = await agent.get('/repeats/likely').query({ subjectName: '雷振山', villageId: 1 });
      expect(res.status).toBe(200);
      const item = res.body.items.find((i: { caseNo: string }) => i.caseNo === c.caseNo);
      const [village] = await t.dataSource.query('SELECT name FROM villages WHERE id = 1');
      expect(item).toMatchObject({ villageName: village.name, subject: '雷振山（村会计）', open: true });
    });
  });

  describe('ID numbers', () => {
    it('refuses one whose first two digits are no province code, with its own message', async () => {
      const agent = await signIn(t, 'operator');
      const res = await intake(agent, { ...helpRequestBody({ reporterIdNumber: '990105194912310023' }), problemTypes: undefined });
      expect(res.status).toBe(400);
      expect(res.text).toContain('身份证号码前两位不是有效的省级行政区划代码');
    });
  });

  describe('the error summary', () => {
    it('lists each error with a link to its field, and the form does not take the focus back to its first field', async () => {
      const agent = await signIn(t, 'operator');
      const res = await intake(agent, { ...helpRequestBody({ reporterPhone: '1381234', content: '' }), problemTypes: undefined });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<a href="#reporterPhone" data-field="reporterPhone">请输入有效的手机号/);
      expect(res.text).toMatch(/<a href="#content" data-field="content">[^<]+<\/a>/);
      expect(res.text).not.toMatch(/<select id="channel"[^>]*autofocus/);
    });
  });
});

describe('keeping the session while the intake form is open', () => {
  let t: TestApp;
  const clock = new FixedClock(TEST_START);
  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(() => t.close());

  async function openForm() {
    const agent = await signIn(t, 'operator');
    const form = await agent.get('/cases/new');
    return { agent, csrf: csrfFrom(form.text) };
  }
  const ping = (agent: Agent, csrf: string) => agent.post('/session/keep-alive').set('X-CSRF-Token', csrf);

  it('moves the idle expiry on at each keep-alive ping', async () => {
    const { agent, csrf } = await openForm();
    clock.advance(20 * 60_000);
    expect((await ping(agent, csrf)).status).toBe(204);
    clock.advance(20 * 60_000);
    expect((await ping(agent, csrf)).status).toBe(204);
    clock.advance(25 * 60_000);
    // 65 minutes after sign-in, 25 after the last ping
    expect((await agent.get('/cases/new')).status).toBe(200);
  });

  it('does not keep a session past 12 hours after sign-in', async () => {
    const { agent, csrf } = await openForm();
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      clock.advance(20 * 60_000);
      expect((await ping(agent, csrf)).status).toBe(204);
    }
    clock.advance(20 * 60_000);
    expect((await ping(agent, csrf)).status).not.toBe(204);
  });

  it('sends a submission after the session ended to the sign-in page, and back to the form after it', async () => {
    const { agent, csrf } = await openForm();
    clock.advance(31 * 60_000);
    const before = await countCases(t.dataSource);
    const res = await agent.post('/cases').type('form').send({ ...helpRequestBody(), problemTypes: undefined, _csrf: csrf, _next: '/cases/new' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?expired=1&next=%2Fcases%2Fnew');
    expect(await countCases(t.dataSource)).toBe(before);
    const login = await agent.get(res.headers.location);
    expect(login.text).toContain('登录已超时');
    const back = await agent.post('/login').type('form').send({ username: 'operator', password: DEMO_PASSWORD, next: '/cases/new', _csrf: csrfFrom(login.text) });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/cases/new');
  });

  it('never redirects to another site', async () => {
    const { agent, csrf } = await openForm();
    clock.advance(31 * 60_000);
    const res = await agent.post('/cases').type('form').send({ _csrf: csrf, _next: '//evil.example/' });
    expect(res.status).toBe(403);
  });
});

describe('a configured public address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_BASE_URL: 'https://jiuzhu.example.gov.cn/' } });
  });
  afterAll(async () => {
    delete process.env.PUBLIC_BASE_URL;
    await t.close();
  });

  it('is the lookup address printed on the acceptance notice', async () => {
    const agent = await signIn(t, 'operator');
    const csrf = await csrfOf(agent, '/cases/new');
    const res = await agent.post('/cases').type('form').send({ ...helpRequestBody(), problemTypes: undefined, _csrf: csrf });
    const page = await agent.get(res.headers.location);
    const code = /查询码 (\d{6})/.exec(page.text)![1];
    const caseNo = /JZ\d{4}-141099-\d{6}/.exec(res.headers.location)![0];
    const printed = await agent.post(`/cases/${caseNo}/print/acceptance-notice`).type('form').send({ _csrf: csrfFrom(page.text), code });
    expect(printed.text).toContain(`和查询码 <strong class="query-code">${code}</strong> 登录 https://jiuzhu.example.gov.cn/lookup 查询办理进展`);
  });
});
