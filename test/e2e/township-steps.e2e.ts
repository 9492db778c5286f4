import { FixedClock } from '../../src/common/clock';
import { toDbDateTime } from '../../src/common/time';
import { HousekeepingService } from '../../src/jobs/housekeeping.service';
import { complaintBody, helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, getCase, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

// Monday 2026-11-23, 10:00 in Shanghai. 2027's holiday calendar is not entered in the demo:
// 30 working days from here fall into January 2027.
const START = new Date('2026-11-23T02:00:00Z');
const DAY = 86400_000;

describe('who answers the reporter, send-backs, hand-over notices and calendar gaps', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const clock = new FixedClock(START);
  const at = async (d: Date) => {
    clock.set(d);
    tk = await tokens(t);
  };
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const create = async (body: object) => {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body);
    expect(res.status).toBe(201);
    return res.body.caseNo as string;
  };
  /** A case with township 1, signed for. */
  const withTownship = async (body: object) => {
    const no = await create(body);
    expect((await act(t, tk.operator, no, 'accept')).status).toBe(200);
    expect((await act(t, tk.operator, no, 'assign', { townshipId: 1 })).status).toBe(200);
    expect((await act(t, tk.township1, no, 'acknowledge')).status).toBe(200);
    return no;
  };
  const noticesOf = async (username: string, caseNo: string | null, like: string): Promise<string[]> =>
    (
      await t.dataSource.query(
        `SELECT n.message FROM notifications n JOIN users u ON u.id = n.userId WHERE u.username = ? AND n.eventKey LIKE ?${caseNo === null ? '' : ' AND n.caseId = (SELECT id FROM cases WHERE caseNo = ?)'} ORDER BY n.id`,
        caseNo === null ? [username, like] : [username, like, caseNo],
      )
    ).map((r: { message: string }) => r.message);

  it('nobody answers an anonymous reporter: no answer is asked for or taken, and the case still goes to review', async () => {
    await at(START);
    const no = await withTownship(complaintBody({ reporterType: 'anonymous' }));
    expect((await act(t, tk.township1, no, 'verify', VERIFY_BODY)).status).toBe(200);
    const fb = await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY);
    expect(fb.status).toBe(409);
    expect(fb.body.message).toBe('匿名反映，不答复反映人');
    expect((await act(t, tk.township1, no, 'submit', {})).body.status).toBe('inReview');
    expect((await act(t, tk.supervisor, no, 'approve')).body.status).toBe('approved');
    expect((await act(t, tk.operator, no, 'county-reply', { method: 'phone', date: '2026-11-23' })).status).toBe(409);
    expect((await act(t, tk.operator, no, 'close', { reason: '匿名无法回访' })).body.status).toBe('closed');
  });

  it('the county answers a complainant withheld from the township, before calling back or closing', async () => {
    await at(START);
    const no = await withTownship(complaintBody({ reporterType: 'realName', reporterName: '周保密', reporterPhone: '13911112222' }));
    const agent = await signIn(t, 'township1');
    const page = await agent.get(`/cases/${no}`);
    expect(page.text).not.toContain('act-feedback');
    expect((await act(t, tk.township1, no, 'verify', VERIFY_BODY)).status).toBe(200);
    const fb = await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY);
    expect(fb.status).toBe(409);
    expect(fb.body.message).toBe('反映人信息对乡镇保密，由县级答复反映人');
    // the township drafts the reply all the same; it goes to review without an answer recorded
    expect((await act(t, tk.township1, no, 'submit', {})).status).toBe(400);
    expect((await act(t, tk.township1, no, 'submit', SUBMIT_BODY)).body.status).toBe('inReview');
    expect((await act(t, tk.supervisor, no, 'approve')).body.status).toBe('approved');

    for (const action of ['callback', 'close']) {
      const res = await act(t, tk.operator, no, action, action === 'callback' ? { result: 'satisfied' } : { reason: '已答复' });
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('本案反映人信息对乡镇保密，须先记录县级答复反映人的情况');
    }
    expect((await act(t, tk.township1, no, 'county-reply', { method: 'phone', date: '2026-11-23' })).status).toBe(403);
    const future = await act(t, tk.operator, no, 'county-reply', { method: 'phone', date: '2026-11-30' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toContainEqual({ field: 'date', message: '答复日期不能晚于今天' });
    const operatorPage = await (await signIn(t, 'operator')).get(`/cases/${no}`);
    expect(operatorPage.text).toContain('act-county-reply');
    expect(operatorPage.text).toContain(SUBMIT_BODY.replyDraft);
    const reply = await act(t, tk.operator, no, 'county-reply', { method: 'phone', date: '2026-11-23' });
    expect(reply.status).toBe(200);
    expect((await getCase(t, tk.operator, no)).history.at(-1)).toMatchObject({ type: 'transition', action: 'county-reply', title: '县级答复反映人（电话）', actorName: expect.any(String) });
    expect((await act(t, tk.operator, no, 'county-reply', { method: 'phone', date: '2026-11-23' })).status).toBe(409);
    expect((await act(t, tk.operator, no, 'callback', { result: 'satisfied' })).body.status).toBe('closed');
  });

  it('the township answers a reporter it can see, before review', async () => {
    await at(START);
    const no = await withTownship(helpRequestBody({ villageId: null }));
    await act(t, tk.township1, no, 'verify', VERIFY_BODY);
    const res = await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('提交审核前须先记录答复反映人的情况');
    expect((await act(t, tk.operator, no, 'county-reply', { method: 'phone', date: '2026-11-23' })).status).toBe(409);
  });

  it('a send-back needs a new verification or a supplement, its reason heads the page, and every hand-over notifies the next desk', async () => {
    await at(START);
    const no = await withTownship(helpRequestBody({ villageId: null }));
    await act(t, tk.township1, no, 'verify', VERIFY_BODY);
    await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY);
    // nothing to supplement before a send-back: the form is not offered
    expect((await (await signIn(t, 'township1')).get(`/cases/${no}`)).text).not.toContain('act-supplement');
    expect((await act(t, tk.township1, no, 'submit', SUBMIT_BODY)).body.status).toBe('inReview');
    expect(await noticesOf('supervisor', no, 'submit:%')).toEqual([`案件 ${no} 已由乡镇提交审核`]);

    await act(t, tk.supervisor, no, 'urge', { note: '请尽快审核后反馈' });
    await at(new Date(START.getTime() + DAY));
    expect((await act(t, tk.supervisor, no, 'send-back', { reason: '请补充家庭成员收入证明' })).body.status).toBe('verifying');
    const [sentBack] = await noticesOf('township1', no, 'send-back:%');
    expect(sentBack).toMatch(new RegExp(`^案件 ${no} 被退回重办，请于 \\d{4}-\\d{2}-\\d{2} 前重新办理。退回理由：请补充家庭成员收入证明$`));

    const agent = await signIn(t, 'township1');
    const html = (await agent.get(`/cases/${no}`)).text;
    const back = html.indexOf('请补充家庭成员收入证明');
    expect(back).toBeGreaterThan(0);
    expect(html).toContain('须重新记录核实情况或补充核实情况后，才能再次提交审核');
    expect(back).toBeLessThan(html.indexOf('请尽快审核后反馈'));
    expect(html).toContain('act-supplement');

    const again = await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('案件退回后须重新记录核实情况或补充核实情况，才能再次提交审核');
    expect((await act(t, tk.township1, no, 'supplement', { findings: '短' })).status).toBe(400);
    const sup = await act(t, tk.township1, no, 'supplement', { findings: '补充收集了家庭成员收入证明三份，结论改为部分属实。', outcome: 'partlyTrue' });
    expect(sup.status).toBe(200);
    expect((await getCase(t, tk.township1, no)).history.at(-1)).toMatchObject({ action: 'supplement', title: '补充核实：部分属实' });
    expect((await act(t, tk.township1, no, 'submit', SUBMIT_BODY)).body.status).toBe('inReview');
    expect((await agent.get(`/cases/${no}`)).text).not.toContain('退回重办（');

    // a dissatisfied callback goes back with the caller's words
    await act(t, tk.supervisor, no, 'approve');
    await act(t, tk.operator, no, 'callback', { result: 'dissatisfied', note: '认为收入核算有误' });
    expect(await noticesOf('township1', no, 'dissatisfied:%')).toEqual([expect.stringContaining('回访不满意，退回重新核实') as unknown as string]);
    expect((await noticesOf('township1', no, 'dissatisfied:%'))[0]).toContain('认为收入核算有误');
    // other townships hear nothing of it
    expect(await noticesOf('township2', no, '%')).toEqual([]);
  });

  it('notifies objections and their decision, extension requests and their decision', async () => {
    await at(START);
    const no = await withTownship(helpRequestBody({ villageId: null }));
    await act(t, tk.township1, no, 'request-extension', { days: 3, reason: '需调取银行流水' });
    expect((await noticesOf('supervisor', no, 'extension-asked:%'))[0]).toBe(`案件 ${no} 的承办乡镇申请延期 3 个工作日，请审批`);
    await act(t, tk.supervisor, no, 'decide-extension', { decision: 'refuse', note: '材料可在期限内取得' });
    expect((await noticesOf('township1', no, 'extension-decided:%'))[0]).toBe(`案件 ${no} 的延期申请未获同意，请按原期限办理。材料可在期限内取得`);

    await act(t, tk.township1, no, 'object', { reasons: '申请人户籍在城南镇' });
    expect((await noticesOf('supervisor', no, 'object:%'))[0]).toBe(`案件 ${no} 的承办乡镇提出异议，请处理`);
    const [{ id: town2 }] = await t.dataSource.query(`SELECT townshipId AS id FROM users WHERE username = 'township2'`);
    await act(t, tk.supervisor, no, 'decide-objection', { decision: 'reassign', townshipId: town2, reason: '户籍核实在城南镇' });
    expect(await noticesOf('township1', null, 'objection-accepted:%')).toContainEqual(expect.stringContaining(`案件 ${no} 的异议已采纳，已改派`));
    expect((await noticesOf('township2', no, 'assigned:%')).length).toBe(1);
  });

  it('after an objection is kept while next year has no calendar, the township gets back the working days it had left', async () => {
    await at(START);
    const no = await withTownship(helpRequestBody({ villageId: null, program: 'temporaryAssistance' }));
    const [verify] = await t.dataSource.query(`SELECT limitValue, dueDate, missingYear FROM case_deadlines WHERE caseId = (SELECT id FROM cases WHERE caseNo = ?) AND stage = 'verify'`, [no]);
    // 20 working days from Monday 11/23 end in December: computable
    expect(verify.dueDate).not.toBeNull();
    const long = await withTownship(helpRequestBody({ villageId: null, program: 'tekunDispersed' }));
    const [clock30] = await t.dataSource.query(`SELECT limitValue, dueDate, missingYear FROM case_deadlines WHERE caseId = (SELECT id FROM cases WHERE caseNo = ?) AND stage = 'verify'`, [long]);
    expect(clock30).toMatchObject({ limitValue: 30, dueDate: null, missingYear: 2027 });

    // objects on Wednesday 11/25 (two working days used), kept on Friday 11/27
    await at(new Date(START.getTime() + 2 * DAY));
    expect((await act(t, tk.township1, long, 'object', { reasons: '不属于本镇' })).status).toBe(200);
    await at(new Date(START.getTime() + 4 * DAY));
    expect((await act(t, tk.supervisor, long, 'decide-objection', { decision: 'keep', reason: '属于本镇' })).status).toBe(200);
    const [resumed] = await t.dataSource.query(
      `SELECT limitValue, startDate, dueDate, missingYear FROM case_deadlines WHERE caseId = (SELECT id FROM cases WHERE caseNo = ?) AND stage = 'verify' AND status = 'open'`,
      [long],
    );
    expect(resumed).toMatchObject({ limitValue: 28, startDate: '2026-11-27', dueDate: null, missingYear: 2027 });
    const [kept] = await noticesOf('township1', long, 'objection-kept:%');
    expect(kept).toBe(`案件 ${long} 的异议未被采纳，维持交办，请于 （2027年节假日安排尚未录入，录入后确定） 前办理。理由：属于本镇`);

    // the 交办单 says why the date is not known instead of leaving it blank
    const sheet = (await (await signIn(t, 'operator')).get(`/cases/${long}/print/assignment-sheet`)).text;
    expect(sheet).toContain('（2027年节假日安排尚未录入，录入后确定）');
  });

  it('a clock that ended during the calendar gap gets its due date and on-time flag once the year is entered', async () => {
    await at(START);
    const no = await withTownship(helpRequestBody({ villageId: null, program: 'tekunDispersed' }));
    await act(t, tk.township1, no, 'verify', VERIFY_BODY);
    await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY);
    await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    const q = `SELECT status, dueDate, missingYear, CASE WHEN late THEN 1 WHEN NOT late THEN 0 END AS late FROM case_deadlines WHERE caseId = (SELECT id FROM cases WHERE caseNo = ?) AND stage = 'verify'`;
    expect((await t.dataSource.query(q, [no]))[0]).toMatchObject({ status: 'met', dueDate: null, missingYear: 2027, late: null });

    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/calendar');
    const res = await admin
      .post('/admin/calendar/years')
      .type('form')
      .send({ _csrf: csrf, year: '2027', source: '国务院办公厅关于2027年部分节假日安排的通知（测试）', days: '2027-01-01 休 元旦\n2027-02-06~2027-02-13 休 春节\n2027-02-14 班 春节' });
    expect(res.status).toBe(303);
    const [settled] = await t.dataSource.query(q, [no]);
    expect(settled).toMatchObject({ status: 'met', missingYear: null, late: 0 });
    expect(settled.dueDate).toMatch(/^2027-01-\d\d$/);
    const [entry] = await t.dataSource.query(
      `SELECT note FROM case_history WHERE caseId = (SELECT id FROM cases WHERE caseNo = ?) AND type = 'deadline' AND action = 'recompute' ORDER BY seq DESC LIMIT 1`,
      [no],
    );
    expect(entry.note).toBe(`录入 2027 年节假日安排：核实反馈期限补算为 ${settled.dueDate}，按期完成`);
  });
});

describe('the reminder that next year has no holiday calendar', () => {
  it('tells administrators and supervisors once a day from 1 November, and stops once the year is entered', async () => {
    const clock = new FixedClock(new Date('2026-10-31T02:00:00Z'));
    const t = await createTestApp({ clock });
    try {
      const hk = t.app.get(HousekeepingService);
      expect(await hk.calendarReminder()).toBe(0);
      clock.set(new Date('2026-11-01T01:00:00Z'));
      // every county's administrators and supervisors (not the prefecture's, who take no county's steps)
      const [{ n: told }] = await t.dataSource.query(
        `SELECT COUNT(*) AS n FROM users WHERE role IN ('admin', 'supervisor') AND disabled = FALSE AND regionCode IN (SELECT code FROM regions WHERE level = 'county')`,
      );
      expect(Number(told)).toBeGreaterThanOrEqual(2);
      expect(await hk.calendarReminder()).toBe(told);
      expect(await hk.calendarReminder()).toBe(0);
      const [n] = await t.dataSource.query(`SELECT message FROM notifications WHERE eventKey LIKE 'calendar-missing:2027:2026-11-01:%' LIMIT 1`);
      expect(n.message).toContain('2027年节假日安排尚未录入');
      const [{ n: township }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.userId WHERE u.role = 'township' AND n.type = 'calendarMissing'`);
      expect(township).toBe(0);
      clock.set(new Date('2026-11-02T01:00:00Z'));
      expect(await hk.calendarReminder()).toBe(told);
      await t.dataSource.query(`INSERT INTO calendar_years (year, source, updatedAt, updatedBy) VALUES (2027, '测试', ?, '测试')`, [toDbDateTime(new Date())]);
      clock.set(new Date('2026-11-03T01:00:00Z'));
      expect(await hk.calendarReminder()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
