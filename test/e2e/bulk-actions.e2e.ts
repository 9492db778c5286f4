import { complaintBody, helpRequestBody } from '../factories/case.factory';
import { act, getCase, tokens } from '../utils/workflow';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

/** Several cases at once from the queues (supervisors): each as the single action, one line each. */
describe('bulk accept, assign and urge', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  let sup: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
    sup = await signIn(t, 'supervisor');
  });
  afterAll(() => t.close());

  const create = async (body: object = helpRequestBody({ townshipId: 1, villageId: null })) =>
    (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body)).body.caseNo as string;
  const history = (caseNo: string) =>
    t.dataSource.query(`SELECT h.action FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo = ? AND h.type = 'transition' ORDER BY h.seq`, [caseNo]) as Promise<{ action: string }[]>;

  /** Posts a bulk form of the triage page as the browser would: the token of the page, the ticked boxes. */
  async function bulk(body: Record<string, unknown>, page = '/queues/triage') {
    const csrf = await csrfOf(sup, page);
    return sup.post('/queues/bulk').type('form').send({ _csrf: csrf, ...body });
  }

  it('accepts every ticked case through the workflow and shows one line per case on the queue page', async () => {
    const a = await create();
    const b = await create();
    const res = await bulk({ back: 'triage', form: 'bulk-registered', action: 'accept', caseNos: [a, b] });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/queues/triage');
    const page = await sup.get('/queues/triage');
    expect(page.text).toContain('批量受理：2 件已办理，0 件未办理');
    expect(page.text).toContain(`${a}</a> 已受理</li>`);
    expect(page.text).toContain(`${b}</a> 已受理</li>`);
    // each case got its clock and its own history row, as a single 受理 gives
    for (const no of [a, b]) {
      expect((await getCase(t, tk.supervisor, no)).status).toBe('accepted');
      expect((await history(no)).map((h) => h.action)).toEqual(['accept']);
    }
    const clocks = await t.dataSource.query(`SELECT COUNT(*) AS n FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE c.caseNo IN (?, ?) AND d.stage = 'overall'`, [a, b]);
    expect(clocks[0].n).toBe(2);
    // the lines are shown once
    expect((await sup.get('/queues/triage')).text).not.toContain('批量受理：');
  });

  it('reports a case the action does not fit, in Chinese, and does the others', async () => {
    const fresh = await create();
    const accepted = await create();
    await act(t, tk.operator, accepted, 'accept');
    const res = await bulk({ back: 'triage', form: 'bulk-registered', action: 'accept', caseNos: [fresh, accepted, 'JZ2026-999999'] });
    expect(res.status).toBe(303);
    const text = (await sup.get('/queues/triage')).text;
    expect(text).toContain('批量受理：1 件已办理，2 件未办理');
    expect(text).toContain(`${accepted}</a> <strong>未办理：</strong>案件当前状态为「已受理」，不能执行「受理」`);
    expect(text).toContain('JZ2026-999999</a> <strong>未办理：</strong>未找到该案件');
    expect((await getCase(t, tk.supervisor, fresh)).status).toBe('accepted');
  });

  it('assigns to the chosen township, and reports back a case needing recusal confirmation instead of assigning it', async () => {
    const plain = await create();
    const recusal = await create(complaintBody({ subjectName: '李晓梅', subjectPost: '乡镇民政助理员', townshipId: 1 }));
    for (const no of [plain, recusal]) expect((await act(t, tk.operator, no, 'accept')).status).toBe(200);
    const res = await bulk({ back: 'triage', form: 'bulk-accepted', action: 'assign', townshipId: '1', note: '请按期核实', caseNos: [plain, recusal], confirmRecusal: '1', recusalReason: '批量时不应生效的确认' });
    expect(res.status).toBe(303);
    const text = (await sup.get('/queues/triage')).text;
    expect(text).toContain('批量交办乡镇：1 件已办理，1 件未办理');
    expect(text).toMatch(new RegExp(`${plain}</a> 已交办乡镇（[^）]+）</li>`));
    expect(text).toMatch(new RegExp(`${recusal}</a> <strong>未办理：</strong>被反映人是[^<]*李晓梅本人或其备案近亲属`));
    const assigned = await getCase(t, tk.supervisor, plain);
    expect(assigned).toMatchObject({ status: 'assigned', townshipId: 1 });
    expect(assigned.history.at(-1).note).toBe('请按期核实');
    // the case needing confirmation stays where it was, for the supervisor to confirm on its page
    expect((await getCase(t, tk.supervisor, recusal)).status).toBe('accepted');
  });

  it('urges several open cases with one note, each notified and counted as a single 督办', async () => {
    const [x, y] = [await create(), await create()];
    for (const no of [x, y]) await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, x, 'assign', { townshipId: 1 });
    const res = await bulk({ back: 'triage', form: 'bulk-accepted', action: 'urge', note: '请加快办理进度', caseNos: [x, y] });
    expect(res.status).toBe(303);
    for (const no of [x, y]) {
      const c = await getCase(t, tk.supervisor, no);
      expect(c.urged).toMatchObject({ note: '请加快办理进度', count: 1 });
    }
    const notices = await t.dataSource.query(`SELECT n.message FROM notifications n JOIN cases c ON c.id = n.caseId WHERE c.caseNo = ? AND n.type = 'urged'`, [x]);
    expect(notices.length).toBeGreaterThan(0);
  });

  it('draws the page again with the message when no case is ticked or the note is missing', async () => {
    let res = await bulk({ back: 'triage', form: 'bulk-registered', action: 'accept' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('请勾选要办理的案件');
    const no = await create();
    await act(t, tk.operator, no, 'accept');
    res = await bulk({ back: 'triage', form: 'bulk-accepted', action: 'urge', caseNos: [no] });
    expect(res.status).toBe(400);
    expect(res.text).toContain('请填写督办意见');
    // the ticked case stays ticked
    expect(res.text).toMatch(new RegExp(`value="${no}" form="bulk-accepted" id="[^"]+" aria-label="[^"]+" checked`));
    res = await bulk({ back: 'triage', form: 'bulk-accepted', action: 'assign', caseNos: [no] });
    expect(res.status).toBe(400);
    expect(res.text).toContain('请选择承办乡镇');
    expect((await getCase(t, tk.supervisor, no)).status).toBe('accepted');
  });

  it('needs the CSRF token like every form', async () => {
    const no = await create();
    const res = await sup.post('/queues/bulk').type('form').send({ back: 'triage', action: 'accept', caseNos: [no] });
    expect(res.status).toBe(403);
    expect((await getCase(t, tk.supervisor, no)).status).toBe('registered');
  });

  it('is for supervisors: an operator is refused, and sees no bulk form', async () => {
    const op = await signIn(t, 'operator');
    const page = await op.get('/queues/triage');
    expect(page.text).not.toContain('class="bulk-form"');
    const no = await create();
    const res = await op.post('/queues/bulk').type('form').send({ _csrf: await csrfOf(op, '/queues/triage'), back: 'triage', action: 'accept', caseNos: [no] });
    expect(res.status).toBe(403);
    expect((await getCase(t, tk.supervisor, no)).status).toBe('registered');
  });

  it('does the same through the API, one result per case', async () => {
    const a = await create();
    const accepted = await create();
    await act(t, tk.operator, accepted, 'accept');
    const res = await t.http().post('/api/v1/cases/bulk-actions/accept').set('Authorization', `Bearer ${tk.supervisor}`).send({ caseNos: [a, accepted] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { caseNo: a, done: true, status: 'accepted', message: '已受理' },
      { caseNo: accepted, done: false, status: null, message: '案件当前状态为「已受理」，不能执行「受理」' },
    ]);
    const bad = await t.http().post('/api/v1/cases/bulk-actions/assign').set('Authorization', `Bearer ${tk.supervisor}`).send({ caseNos: [a], confirmRecusal: true });
    expect(bad.status).toBe(400);
    expect((await t.http().post('/api/v1/cases/bulk-actions/accept').set('Authorization', `Bearer ${tk.operator}`).send({ caseNos: [a] })).status).toBe(403);
  });
});

describe('the overdue board', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('shows each overdue case with its days overdue in its clock’s unit, from the deadlines service, and a 督办 button', async () => {
    const sup = await signIn(t, 'supervisor');
    const page = await sup.get('/queues/overdue');
    expect(page.status).toBe(200);
    const rows = await t.dataSource.query(
      `SELECT c.caseNo, c.dueDate, MIN(d.unit) AS unit FROM cases c JOIN case_deadlines d ON d.caseId = c.id AND d.status = 'open' AND d.stage IN ('acknowledge', 'verify', 'redo') AND d.dueDate = c.dueDate
       WHERE c.dueState = 'overdue' GROUP BY c.id, c.caseNo, c.dueDate ORDER BY c.dueDate LIMIT 3`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const { DeadlinesService } = await import('../../src/deadlines/deadlines.service');
    const expected = await t.app.get(DeadlinesService).overdueBy(rows.map((r: { dueDate: string; unit: 'workday' | 'day' }) => ({ dueDate: r.dueDate, unit: r.unit })));
    for (const [i, r] of rows.entries()) {
      const row = new RegExp(`<tr class="overdue" data-case="${r.caseNo}">[\\s\\S]*?</tr>`).exec(page.text)![0];
      expect(expected[i]).toBeGreaterThan(0);
      expect(row).toContain(`超期 ${expected[i]} 个${r.unit === 'workday' ? '工作日' : '自然日'}`);
      expect(row).toContain('<summary>督办</summary>');
      expect(row).toContain(`name="caseNos" value="${r.caseNo}"`);
    }
  });

  it('urges one case from its row and comes back to the board with the line', async () => {
    const sup = await signIn(t, 'supervisor');
    const page = await sup.get('/queues/overdue');
    const caseNo = /data-case="([^"]+)"/.exec(page.text)![1];
    const res = await sup.post('/queues/bulk').type('form').send({ _csrf: (/name="_csrf" value="([^"]+)"/.exec(page.text))![1], action: 'urge', back: 'overdue', caseNos: caseNo, note: '已超期，请三日内反馈' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/queues/overdue');
    const after = await sup.get('/queues/overdue');
    expect(after.text).toContain('批量督办：1 件已办理，0 件未办理');
    const [row] = await t.dataSource.query(`SELECT urgeNote FROM cases WHERE caseNo = ?`, [caseNo]);
    expect(row.urgeNote).toBe('已超期，请三日内反馈');
  });

  it('shows the township its days overdue too, 期限 and 状态 first', async () => {
    const town = await signIn(t, 'township1');
    const inbox = await town.get('/queues/inbox');
    expect(inbox.text).toMatch(/<thead><tr>\s*<th scope="col">期限<\/th><th scope="col">状态<\/th>/);
    expect(inbox.text).toMatch(/超期 \d+ 个工作日/);
    expect(inbox.text).not.toContain('<summary>督办</summary>');
  });
});
