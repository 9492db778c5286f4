import { FixedClock } from '../../src/common/clock';
import { helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, getCase, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, TestApp } from '../utils/test-app';

// Thursday 2026-09-24, 10:00 in Shanghai: the Mid-Autumn holiday (9/25-9/27) starts tomorrow.
const START = new Date('2026-09-24T02:00:00Z');
const DAY = 86400_000;

describe('a case from intake to closing, through the API', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const clock = new FixedClock(START);
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  /** Moves the clock; API tokens idle out after 30 minutes, so everyone signs in again. */
  const at = async (d: Date) => {
    clock.set(d);
    tk = await tokens(t);
  };

  const newCase = async (body: object = {}) =>
    (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null, ...body }))).body.caseNo as string;

  it('goes accept → assign → acknowledge → verify → submit → send back → approve → callbacks → closed', async () => {
    await at(START);
    const no = await newCase();
    let res = await act(t, tk.operator, no, 'accept');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');

    res = await act(t, tk.operator, no, 'assign', { townshipId: 1, note: '请核实家庭收入' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('assigned');
    // 2 working days to sign for it: Fri-Sun is Mid-Autumn, so Mon 9/28 and Tue 9/29
    expect(res.body.deadline).toBe('2026-09-29');

    res = await act(t, tk.township1, no, 'acknowledge');
    expect(res.body.status).toBe('verifying');
    // 25 working days for 农村低保 from 9/24, across Mid-Autumn and National Day
    const due = (await t.http().get('/api/v1/calendar/due-date?from=2026-09-24&days=25&unit=workday').set('Authorization', `Bearer ${tk.operator}`)).body.due;
    expect(res.body.deadline).toBe(due);

    res = await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'transition_not_allowed', from: 'verifying', action: 'submit' });
    expect(res.body.message).toContain('须先记录核实情况');

    res = await act(t, tk.township1, no, 'verify', { ...VERIFY_BODY, investigators: ['李晓梅'] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'investigators', message: '入户核实须至少两名工作人员，请填写两人以上姓名' });

    expect((await act(t, tk.township1, no, 'verify', VERIFY_BODY)).status).toBe(200);
    expect((await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY)).status).toBe(200);
    res = await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    expect(res.body.status).toBe('inReview');
    expect(res.body.deadline).toBeNull(); // time with the county does not count against the township

    await at(new Date(START.getTime() + 5 * DAY)); // Tue 9/29
    res = await act(t, tk.supervisor, no, 'send-back', { reason: '请补充家庭成员收入证明' });
    expect(res.body.status).toBe('verifying');
    // a fresh 10 working days from 9/29: 9/30, 10/8, 10/9, 10/10 (Sat, make-up), 10/12 … 10/16, 10/19
    expect(res.body.deadline).toBe('2026-10-19');

    // the old verification does not go back unchanged: a supplement (or a new verification) first
    res = await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('须重新记录核实情况或补充核实情况');
    expect((await act(t, tk.township1, no, 'supplement', { findings: '已补充家庭成员收入证明三份，核实结论不变。' })).status).toBe(200);
    expect((await act(t, tk.township1, no, 'submit', SUBMIT_BODY)).body.status).toBe('inReview');
    expect((await act(t, tk.supervisor, no, 'approve', { note: '同意' })).body.status).toBe('approved');

    expect((await act(t, tk.operator, no, 'callback', { result: 'unreachable' })).body.status).toBe('approved');
    expect((await act(t, tk.operator, no, 'callback', { result: 'unreachable' })).body.status).toBe('approved');
    res = await act(t, tk.operator, no, 'callback', { result: 'unreachable', note: '三次无人接听' });
    expect(res.body.status).toBe('closed');
    expect(res.body.closeReason).toBe('unreachable');

    const c = await getCase(t, tk.supervisor, no);
    const actions = c.history.filter((h: { type: string }) => h.type === 'transition').map((h: { action: string }) => h.action);
    expect(actions).toEqual(['accept', 'assign', 'acknowledge', 'verify', 'feedback', 'submit', 'send-back', 'supplement', 'submit', 'approve', 'callback', 'callback', 'callback']);
    expect(c.history[1]).toMatchObject({ actorName: '王丽', fromStatus: 'registered', toStatus: 'accepted' });
  });

  it('sends a dissatisfied callback back to verifying with a fresh deadline', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    await act(t, tk.township1, no, 'acknowledge');
    await act(t, tk.township1, no, 'verify', VERIFY_BODY);
    await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY);
    await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    await act(t, tk.supervisor, no, 'approve');
    const res = await act(t, tk.operator, no, 'callback', { result: 'dissatisfied', note: '认为核实不全面' });
    expect(res.body.status).toBe('verifying');
    expect(res.body.deadline).toBe('2026-10-15'); // 10 working days from Thu 9/24: 9/28 … 10/9, 10/10 (Sat), 10/12 … 10/15
    // new verification and feedback are needed before resubmitting
    expect((await act(t, tk.township1, no, 'submit', SUBMIT_BODY)).status).toBe(409);
  });

  it('answers a consultation on the spot, and only a consultation', async () => {
    const consult = await newCase({ kind: 'consultation', program: 'ruralDibao', reporterType: 'anonymous' });
    const res = await act(t, tk.operator, consult, 'answer', { answer: '已告知申请条件和所需材料。' });
    expect(res.body).toMatchObject({ status: 'closed', closeReason: 'answered' });
    const help = await newCase();
    const refused = await act(t, tk.operator, help, 'answer', { answer: '已告知。' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('只有政策咨询可以当场解答');
  });

  it('refuses an action to a role that may not take it, and hides the case from other townships', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    expect((await act(t, tk.operator, no, 'acknowledge')).status).toBe(403);
    expect((await act(t, tk.township2, no, 'acknowledge')).status).toBe(404);
    expect((await act(t, tk.liaison, no, 'acknowledge')).status).toBe(404);
    expect((await act(t, tk.township1, no, 'fly-away')).status).toBe(404);
    expect((await act(t, tk.township1, no, 'acknowledge', { colour: 'red' })).status).toBe(400);
  });

  it('extends a deadline within the rule and not beyond it', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    const before = (await act(t, tk.township1, no, 'acknowledge')).body.deadline;
    let res = await act(t, tk.township1, no, 'request-extension', { days: 20, reason: '需调取银行流水' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'days', message: '最多还可延长 10 个工作日' });
    res = await act(t, tk.township1, no, 'request-extension', { days: 5, reason: '需调取银行流水' });
    expect(res.body.pendingExtension).toEqual({ days: 5, reason: '需调取银行流水' });
    expect((await act(t, tk.township1, no, 'request-extension', { days: 2, reason: '再延' })).status).toBe(409);
    res = await act(t, tk.supervisor, no, 'decide-extension', { decision: 'approve' });
    expect(res.status).toBe(200);
    const after = res.body.deadline;
    const expected = (await t.http().get(`/api/v1/calendar/due-date?from=2026-09-24&days=30&unit=workday`).set('Authorization', `Bearer ${tk.operator}`)).body.due;
    expect(before).not.toBe(after);
    expect(after).toBe(expected);
    const c = await getCase(t, tk.supervisor, no);
    const decided = c.history.find((h: { action: string }) => h.action === 'decide-extension');
    expect(decided.actorName).toBe('陈建国');
    expect(decided.note).toContain(`由 ${before} 改为 ${after}`);
  });

  it('refuses an extension asked for after the deadline', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    await act(t, tk.township1, no, 'acknowledge');
    await at(new Date(START.getTime() + 60 * DAY));
    const res = await act(t, tk.township1, no, 'request-extension', { days: 5, reason: '来不及' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('已过');
  });

  it('gives back the days left when the county rejects an objection, and moves the case when it agrees', async () => {
    await at(START); // Thu 9/24
    const kept = await newCase();
    await act(t, tk.operator, kept, 'accept');
    await act(t, tk.operator, kept, 'assign', { townshipId: 1 });
    const due = (await act(t, tk.township1, kept, 'acknowledge')).body.deadline;
    await at(new Date(START.getTime() + 4 * DAY)); // Mon 9/28
    expect((await act(t, tk.township1, kept, 'object', { reasons: '反映人户籍不在本镇' })).body.status).toBe('objecting');
    await at(new Date(START.getTime() + 6 * DAY)); // Wed 9/30
    const res = await act(t, tk.supervisor, kept, 'decide-objection', { decision: 'keep', reason: '经查户籍在本镇' });
    expect(res.body.status).toBe('verifying');
    // Of 25 working days from 9/24 the township had used one (Mon 9/28) when it objected; the 24
    // left count again from the decision on Wed 9/30 (Tue 9/29 was the county's time).
    expect(due).toBe((await t.http().get('/api/v1/calendar/due-date?from=2026-09-24&days=25&unit=workday').set('Authorization', `Bearer ${tk.operator}`)).body.due);
    const expected = (await t.http().get('/api/v1/calendar/due-date?from=2026-09-30&days=24&unit=workday').set('Authorization', `Bearer ${tk.operator}`)).body.due;
    expect(res.body.deadline).toBe(expected);

    const moved = await newCase();
    await at(START);
    await act(t, tk.operator, moved, 'accept');
    await act(t, tk.operator, moved, 'assign', { townshipId: 1 });
    await act(t, tk.township1, moved, 'object', { reasons: '该村已划归河口镇' });
    const re = await act(t, tk.supervisor, moved, 'decide-objection', { decision: 'reassign', townshipId: 2, reason: '改派河口镇' });
    expect(re.body).toMatchObject({ status: 'assigned', townshipId: 2, deadline: '2026-09-29' });
    expect((await act(t, tk.township1, moved, 'acknowledge')).status).toBe(404);
    expect((await act(t, tk.township2, moved, 'acknowledge')).body.status).toBe('verifying');
  });

  it('refuses an objection after 5 working days', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    await at(new Date(START.getTime() + 16 * DAY)); // 10/10, the 6th working day after 9/24
    const res = await act(t, tk.township1, no, 'object', { reasons: '不属于本镇' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('已超过提出异议的期限');
  });

  it('shows an urging to the township and notifies its staff', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    const res = await act(t, tk.supervisor, no, 'urge', { note: '群众反映强烈，请于本周内答复' });
    expect(res.body.urged).toMatchObject({ note: '群众反映强烈，请于本周内答复', count: 1 });
    const [u] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'township1'`);
    const notes = await t.dataSource.query(`SELECT message FROM notifications WHERE userId = ? AND type = 'urged'`, [u.id]);
    expect(notes.map((n: { message: string }) => n.message)).toContainEqual(expect.stringContaining(no));
  });

  it('reopens a closed case for the supervisor only', async () => {
    const consult = await newCase({ kind: 'consultation', reporterType: 'anonymous' });
    await act(t, tk.operator, consult, 'answer', { answer: '已解答。' });
    expect((await act(t, tk.operator, consult, 'reopen', { reason: '解答有误' })).status).toBe(403);
    const res = await act(t, tk.supervisor, consult, 'reopen', { reason: '解答有误，重新办理' });
    expect(res.body).toMatchObject({ status: 'accepted', closedAt: null });
  });
});
