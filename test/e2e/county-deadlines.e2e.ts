import { helpRequestBody } from '../factories/case.factory';
import { TEST_TODAY } from '../utils/clock';
import { apiToken, createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';
import { act, tokens } from '../utils/workflow';

/**
 * Each county's own deadline rules and holiday days, in one database with two counties (清源县
 * 141099, the demo county, and 清河县 141098, set up as in counties.e2e.ts). 清源县 shortens the
 * verification limit of 农村低保 and gives its staff a day off; its cases, new and open, follow
 * its rule and calendar, 清河县's keep the shared ones, and 清河县 neither sees nor changes them.
 *
 * Dates: the test clock starts on Friday 2026-11-20 (TEST_TODAY); no national holiday falls
 * between then and the end of 2026, so the national calendar is Monday to Friday there.
 */
describe('deadline rules and holidays of one county', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>> & { operator_b: string; supervisor_b: string };
  let townshipB: number;
  let ruleId: number;
  let sharedSource: string;
  const cases: { a1: string; b1: string; a2?: string; b2?: string } = {} as never;
  const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);

  /** A 农村低保 help request of the county (by its operator), accepted and handed to its township today. */
  async function assigned(operator: string, supervisor: string, townshipId: number): Promise<string> {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operator}`).send(helpRequestBody({ townshipId, villageId: null }));
    if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
    const no = res.body.caseNo as string;
    expect((await act(t, operator, no, 'accept')).status).toBe(200);
    expect((await act(t, supervisor, no, 'assign', { townshipId })).status).toBe(200);
    return no;
  }

  /** The case's open clocks' last days, by stage. */
  async function dues(caseNo: string): Promise<Record<string, string>> {
    const rows: { stage: string; dueDate: string }[] = await q(
      `SELECT d.stage, d.dueDate FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE c.caseNo = ? AND d.status = 'open' AND d.stage IN ('acknowledge', 'verify')`,
      [caseNo],
    );
    return Object.fromEntries(rows.map((r) => [r.stage, r.dueDate]));
  }

  async function recomputeNotes(caseNo: string): Promise<string[]> {
    const rows: { note: string }[] = await q(`SELECT h.note FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo = ? AND h.action = 'recompute' ORDER BY h.id`, [caseNo]);
    return rows.map((r) => r.note);
  }

  const countyRuleForm = (limitValue: string, source = '清源县民政局关于缩短农村低保核查时限的通知') => ({ limitValue, unit: 'workday', maxExtension: '5', source });

  beforeAll(async () => {
    t = await createTestApp();
    await q(`INSERT INTO regions (code, name, level, parentCode, bureauName) VALUES ('141098', '清河县', 'county', '141000', '清河县民政局')`);
    await q(`INSERT INTO townships (code, name, countyCode, sortOrder, active) VALUES ('141098100', '城关镇', '141098', 1, TRUE)`);
    [{ id: townshipB }] = await q(`SELECT id FROM townships WHERE code = '141098100'`);
    for (const [username, displayName, role] of [
      ['operator_b', '吴芳', 'operator'],
      ['supervisor_b', '郑强', 'supervisor'],
      ['admin_b', '清河管理员', 'admin'],
    ] as const) {
      await q(
        `INSERT INTO users (username, displayName, role, townshipId, regionCode, passwordHash, passwordChangedAt, disabled, createdAt, updatedAt)
         SELECT ?, ?, ?, NULL, '141098', passwordHash, passwordChangedAt, FALSE, createdAt, updatedAt FROM users WHERE username = 'supervisor'`,
        [username, displayName, role],
      );
    }
    tk = { ...(await tokens(t)), operator_b: await apiToken(t, 'operator_b'), supervisor_b: await apiToken(t, 'supervisor_b') };
    [{ id: ruleId, source: sharedSource }] = await q(`SELECT id, source FROM deadline_rules WHERE stage = 'verify' AND kind = 'helpRequest' AND program = 'ruralDibao'`);
    cases.a1 = await assigned(tk.operator, tk.supervisor, 1);
    cases.b1 = await assigned(tk.operator_b, tk.supervisor_b, townshipB);
  });
  afterAll(() => t.close());

  it('starts both counties on the shared rule and the national calendar', async () => {
    expect(TEST_TODAY).toBe('2026-11-20');
    // 2 and 25 working days from Friday 2026-11-20
    expect(await dues(cases.a1)).toEqual({ acknowledge: '2026-11-24', verify: '2026-12-25' });
    expect(await dues(cases.b1)).toEqual({ acknowledge: '2026-11-24', verify: '2026-12-25' });
    const page = await (await signIn(t, 'admin')).get('/admin/deadline-rules');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`<tr data-rule="${ruleId}">[\\s\\S]*?按统一规则`));
  });

  it('recomputes 清源县’s open clocks with its own rule, and leaves 清河县’s and the shared rule alone', async () => {
    const admin = await signIn(t, 'admin');
    const res = await admin.post(`/admin/deadline-rules/${ruleId}/county`).type('form').send({ _csrf: await csrfOf(admin, '/admin/deadline-rules'), ...countyRuleForm('10') });
    expect(res.status).toBe(303);
    // 10 working days from Friday 2026-11-20
    expect((await dues(cases.a1)).verify).toBe('2026-12-04');
    expect(await recomputeNotes(cases.a1)).toEqual(['本县时限规则调整：核实反馈期限由 2026-12-25 改为 2026-12-04']);
    expect((await dues(cases.b1)).verify).toBe('2026-12-25');
    expect(await recomputeNotes(cases.b1)).toEqual([]);
    const [shared] = await q(`SELECT limitValue, source FROM deadline_rules WHERE id = ?`, [ruleId]);
    expect(shared).toEqual({ limitValue: 25, source: sharedSource });
    const [audit] = await q(`SELECT actorName, detail FROM audit_events WHERE action = 'deadlineRule.county' ORDER BY id DESC LIMIT 1`);
    expect(audit.actorName).toBe('系统管理员');
    expect(JSON.parse(audit.detail)).toMatchObject({ countyCode: '141099', before: { limitValue: 25, own: false }, after: { limitValue: 10 } });
    const page = (await admin.get('/admin/deadline-rules')).text;
    // only 清源县's open clocks were gone through, not the whole database's
    const [{ n: openA }] = await q(`SELECT COUNT(*) AS n FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE d.status = 'open' AND c.countyCode = '141099'`);
    const [{ n: openAll }] = await q(`SELECT COUNT(*) AS n FROM case_deadlines WHERE status = 'open'`);
    const [{ n: pendingA }] = await q(`SELECT COUNT(*) AS n FROM relative_registrations WHERE registeredAt IS NULL AND endedAt IS NULL AND appointedAt IS NOT NULL AND countyCode = '141099'`);
    expect(Number(openAll)).toBeGreaterThan(Number(openA));
    // the count covers the county's open clocks and its close-relative registrations waiting to be filed
    expect(page).toContain(`已保存本县规则；重新计算进行中的期限 ${Number(openA) + Number(pendingA)} 个，其中 `);
    expect(page).toMatch(new RegExp(`<tr data-rule="${ruleId}">[\\s\\S]*?本县：10 工作日 · 最多延长 5</strong>（统一规则 25 工作日）`));
  });

  it('recomputes 清源县’s open clocks on its own rest day (set by its supervisor), and not 清河县’s', async () => {
    const sup = await signIn(t, 'supervisor');
    const res = await sup.post('/admin/calendar/county-days').type('form').send({ _csrf: await csrfOf(sup, '/admin/calendar'), date: '2026-11-23', type: 'off', name: '县庆' });
    expect(res.status).toBe(303);
    // Monday 2026-11-23 no longer counts in 清源县
    expect(await dues(cases.a1)).toEqual({ acknowledge: '2026-11-25', verify: '2026-12-07' });
    expect(await dues(cases.b1)).toEqual({ acknowledge: '2026-11-24', verify: '2026-12-25' });
    expect(await recomputeNotes(cases.b1)).toEqual([]);
    const page = (await sup.get('/admin/calendar')).text;
    expect(page).toMatch(/<tr data-date="2026-11-23"><td>2026-11-23<\/td><td>休<\/td><td>工作日<\/td><td>县庆<\/td>/);
    const [audit] = await q(`SELECT detail FROM audit_events WHERE action = 'calendar.countyDay' ORDER BY id DESC LIMIT 1`);
    expect(JSON.parse(audit.detail)).toMatchObject({ countyCode: '141099', before: null, after: { date: '2026-11-23', type: 'off' } });
  });

  it('gives a new case of 清源县 its rule and calendar, and a new case of 清河县 the shared ones', async () => {
    cases.a2 = await assigned(tk.operator, tk.supervisor, 1);
    cases.b2 = await assigned(tk.operator_b, tk.supervisor_b, townshipB);
    expect(await dues(cases.a2)).toEqual({ acknowledge: '2026-11-25', verify: '2026-12-07' });
    expect(await dues(cases.b2)).toEqual({ acknowledge: '2026-11-24', verify: '2026-12-25' });
    // the calculator counts on the user's own county's calendar
    const calc = (token: string) => t.http().get('/api/v1/calendar/due-date?from=2026-11-20&days=1&unit=workday').set('Authorization', `Bearer ${token}`);
    expect((await calc(tk.operator)).body).toEqual({ due: '2026-11-24' });
    expect((await calc(tk.operator_b)).body).toEqual({ due: '2026-11-23' });
  });

  it('shows 清河县 none of 清源县’s own rules and days, and lets it change none of them', async () => {
    const adminB = await signIn(t, 'admin_b');
    const rules = await adminB.get('/admin/deadline-rules');
    expect(rules.status).toBe(200);
    expect(rules.text).not.toContain('缩短农村低保核查时限');
    expect(rules.text).toMatch(new RegExp(`<tr data-rule="${ruleId}">[\\s\\S]*?按统一规则`));
    expect((await adminB.get('/admin/deadline-rules?county=141099')).status).toBe(404);
    const calendar = await adminB.get('/admin/calendar');
    expect(calendar.text).not.toContain('县庆');
    expect((await adminB.get('/admin/calendar?county=141099')).status).toBe(404);
    const api = (token: string, query = '') => t.http().get(`/api/v1/deadline-rules${query}`).set('Authorization', `Bearer ${token}`);
    const own = await api(tk.supervisor_b);
    expect(own.body.countyCode).toBe('141098');
    expect(own.body.rules.find((r: { id: number }) => r.id === ruleId)).toMatchObject({ limitValue: 25, shared: null });
    expect((await api(tk.supervisor_b, '?county=141099')).status).toBe(404);
    expect((await api(tk.supervisor)).body.rules.find((r: { id: number }) => r.id === ruleId)).toMatchObject({ limitValue: 10, shared: { limitValue: 25 } });
    // 清河县's own change touches only 清河县 (there is no county in the path to point elsewhere)
    const notesA = await recomputeNotes(cases.a1);
    const res = await adminB.post(`/admin/deadline-rules/${ruleId}/county`).type('form').send({ _csrf: await csrfOf(adminB, '/admin/deadline-rules'), ...countyRuleForm('20', '清河县民政局通知') });
    expect(res.status).toBe(303);
    expect(await q(`SELECT countyCode, limitValue FROM county_deadline_rules WHERE ruleId = ? ORDER BY countyCode`, [ruleId])).toEqual([
      { countyCode: '141098', limitValue: 20 },
      { countyCode: '141099', limitValue: 10 },
    ]);
    expect((await dues(cases.b1)).verify).toBe('2026-12-18');
    expect((await dues(cases.a1)).verify).toBe('2026-12-07');
    expect(await recomputeNotes(cases.a1)).toEqual(notesA);
    const reset = await adminB.post(`/admin/deadline-rules/${ruleId}/county/reset`).type('form').send({ _csrf: await csrfOf(adminB, '/admin/deadline-rules') });
    expect(reset.status).toBe(303);
    expect((await dues(cases.b1)).verify).toBe('2026-12-25');
    expect((await dues(cases.a1)).verify).toBe('2026-12-07');
    expect(await recomputeNotes(cases.a1)).toEqual(notesA);
  });

  it('lets the prefecture read each county’s own rules and change none, and keeps township staff out', async () => {
    const shi = await signIn(t, 'shi');
    const page = await shi.get('/admin/deadline-rules?county=141099');
    expect(page.status).toBe(200);
    expect(page.text).toContain('本县：10 工作日');
    expect(page.text).not.toContain(`/admin/deadline-rules/${ruleId}/county"`);
    const res = await shi.post(`/admin/deadline-rules/${ruleId}/county`).type('form').send({ _csrf: await csrfOf(shi, '/admin/deadline-rules'), ...countyRuleForm('3') });
    expect(res.status).toBe(403);
    expect((await shi.get('/admin/deadline-rules?county=141097')).status).toBe(404);
    expect((await (await signIn(t, 'township1')).get('/admin/deadline-rules')).status).toBe(403);
    expect((await q(`SELECT limitValue FROM county_deadline_rules WHERE ruleId = ? AND countyCode = '141099'`, [ruleId]))[0].limitValue).toBe(10);
  });

  it('answers bad input with the Chinese message beside the field and changes nothing', async () => {
    const admin = await signIn(t, 'admin');
    const bad = await admin.post(`/admin/deadline-rules/${ruleId}/county`).type('form').send({ _csrf: await csrfOf(admin, '/admin/deadline-rules'), ...countyRuleForm('-1') });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<p class="field-error" id="err-limitValue" role="alert">时限应为0至366<\/p>/);
    // the input is kept in the row that was edited
    expect(bad.text).toMatch(new RegExp(`<tr data-rule="${ruleId}">[\\s\\S]*?name="limitValue" value="-1"`));
    const sup = await signIn(t, 'supervisor');
    const csrf = await csrfOf(sup, '/admin/calendar');
    const noYear = await sup.post('/admin/calendar/county-days').type('form').send({ _csrf: csrf, date: '2027-01-04', type: 'off', name: '县庆' });
    expect(noYear.status).toBe(400);
    expect(noYear.text).toMatch(/id="err-date" role="alert">2027 年尚未录入全国节假日安排/);
    const noDay = await sup.post('/admin/calendar/county-days').type('form').send({ _csrf: csrf, date: '2026-02-30', type: 'off' });
    expect(noDay.status).toBe(400);
    expect(noDay.text).toContain('日期不存在');
    const badType = await sup.post('/admin/calendar/county-days').type('form').send({ _csrf: csrf, date: '2026-11-27', type: 'holiday' });
    expect(badType.status).toBe(400);
    expect(badType.text).toMatch(/id="err-type" role="alert">请选择放假、调休上班或恢复常规/);
    expect(await q(`SELECT countyCode, date FROM county_calendar_days ORDER BY date`)).toEqual([{ countyCode: '141099', date: '2026-11-23' }]);
    expect((await q(`SELECT limitValue FROM county_deadline_rules WHERE ruleId = ? AND countyCode = '141099'`, [ruleId]))[0].limitValue).toBe(10);
    expect((await dues(cases.a1)).verify).toBe('2026-12-07');
  });
});
