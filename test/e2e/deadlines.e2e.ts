import { FixedClock } from '../../src/common/clock';
import { toDbDateTime } from '../../src/common/time';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { SCAN_STATEMENTS_FOR_PLANS } from '../../src/jobs/deadline-scan.repository';
import { queryPlan } from '../utils/plan';
import { helpRequestBody } from '../factories/case.factory';
import { act, getCase, tokens } from '../utils/workflow';
import { onPostgres } from '../utils/engine';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

const DAY = 86400_000;

describe('deadline engine, calendar administration and the calculator', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z')); // Monday 2026-03-02
  const at = async (d: Date) => {
    clock.set(d);
    tk = await tokens(t);
  };
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const assigned = async () => {
    const no = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null }))).body.caseNo;
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    return no as string;
  };
  const calc = (q: string) => t.http().get(`/api/v1/calendar/due-date?${q}`).set('Authorization', `Bearer ${tk.operator}`);

  it("finds a scan batch's notices from the batch, without reading the county's cases again", async () => {
    // SQLite's planner had put the users outside and walked the county's index of cases for each
    // of them: every batch cost as much as the county's cases, a scan of a large county their square.
    if (onPostgres) {
      const plan = await queryPlan(t.dataSource, SCAN_STATEMENTS_FOR_PLANS.postgres.batch, ['2026-03-02', '2026-03-02', '2026-03-02', new Date()]);
      // the cases are read for the batch by their key (and updated for their flags); the notices
      // join the batch to the users
      expect(plan).toMatch(/Index Scan using "?PK_\w+"? on cases c cond/);
      expect(plan).toMatch(/ModifyTable on notifications/);
      expect(plan).not.toMatch(/ on cases bc\b/);
    } else {
      await t.dataSource.query(SCAN_STATEMENTS_FOR_PLANS.sqlite.create);
      await t.dataSource.query(SCAN_STATEMENTS_FOR_PLANS.sqlite.index);
      await t.dataSource.query('ANALYZE');
      const plan = await queryPlan(t.dataSource, SCAN_STATEMENTS_FOR_PLANS.sqlite.notify, [new Date().toISOString()]);
      expect(plan).toMatch(/SCAN b\b|SEARCH b\b/);
      expect(plan).not.toMatch(/\b(cases|bc)\b/);
    }
  });

  it('answers the calculator API', async () => {
    expect((await calc('from=2026-09-24&days=2&unit=workday')).body).toEqual({ due: '2026-09-29' });
    expect((await calc('from=2026-01-16&days=15&unit=day')).body).toEqual({ due: '2026-02-02' });
  });

  it('answers 422 calendar_missing for a range into an unpublished year', async () => {
    const res = await calc('from=2026-12-20&days=10&unit=workday');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'calendar_missing', year: 2027 });
  });

  it('answers 400 for bad calculator input', async () => {
    const res = await calc('from=2026-02-30&days=x&unit=week');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['days', 'unit']);
    expect((await calc('from=2026-02-30&days=3&unit=day')).status).toBe(400);
  });

  it('shows the calculator page with a Chinese result and message', async () => {
    const agent = await signIn(t, 'township1');
    expect((await agent.get('/calendar/calculator?from=2026-09-24&days=2&unit=workday')).text).toContain('期限为 <strong>2026-09-29</strong>');
    expect((await agent.get('/calendar/calculator?from=2026-12-20&days=10&unit=workday')).text).toContain('2027 年的节假日日历尚未录入');
    expect((await agent.get('/calendar/calculator?from=abc&days=2&unit=workday')).text).toContain('起算日期格式应为 YYYY-MM-DD');
  });

  it('recomputes open deadlines when the admin adds a make-up working day, and records it', async () => {
    await at(new Date('2026-03-02T02:00:00Z'));
    const no = await assigned();
    const before = (await getCase(t, tk.supervisor, no)).deadline; // acknowledge: Wed 2026-03-04
    expect(before).toBe('2026-03-04');
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/calendar');
    const res = await admin.post('/admin/calendar/days').type('form').send({ _csrf: csrf, date: '2026-03-03', type: 'off', name: '临时调整' });
    expect(res.status).toBe(303);
    const flashPage = await admin.get('/admin/calendar');
    expect(flashPage.text).toMatch(/重新计算进行中的期限 \d+ 个，其中 \d+ 个改变/);
    const after = await getCase(t, tk.supervisor, no);
    expect(after.deadline).toBe('2026-03-05');
    const note = after.history.find((h: { type: string; action: string }) => h.type === 'deadline' && h.action === 'recompute');
    expect(note.note).toContain('由 2026-03-04 改为 2026-03-05');
    const [audit] = await t.dataSource.query(`SELECT action FROM audit_events WHERE action = 'calendar.day'`);
    expect(audit).toBeDefined();
    // back to normal
    await admin.post('/admin/calendar/days').type('form').send({ _csrf: csrf, date: '2026-03-03', type: 'normal' });
    expect((await getCase(t, tk.supervisor, no)).deadline).toBe('2026-03-04');
  });

  it('flags a deadline reaching into a year with no calendar until the admin adds it', async () => {
    await at(new Date('2026-12-15T02:00:00Z'));
    const no = await assigned();
    let c = await getCase(t, tk.supervisor, no);
    expect(c.calendarMissingYear).toBe(2027);
    const page = await (await signIn(t, 'supervisor')).get(`/cases/${no}`);
    expect(page.text).toContain('期限涉及 2027 年，该年节假日日历尚未录入');
    const admin = await signIn(t, 'admin');
    const adminPage = await admin.get('/admin/calendar');
    expect(adminPage.text).toMatch(/有 \d+ 件案件的期限涉及 2027 年/);
    const csrf = await csrfOf(admin, '/admin/calendar');
    const bad = await admin.post('/admin/calendar/years').type('form').send({ _csrf: csrf, year: '2027', source: '国务院办公厅关于2027年部分节假日安排的通知', days: '2027-01-01 休 元旦\n2027-13-01 休 错' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('第 2 行日期不存在');
    const res = await admin
      .post('/admin/calendar/years')
      .type('form')
      .send({ _csrf: csrf, year: '2027', source: '国务院办公厅关于2027年部分节假日安排的通知（测试）', days: '2027-01-01 休 元旦\n2027-02-06~2027-02-13 休 春节\n2027-02-14 班 春节' });
    expect(res.status).toBe(303);
    c = await getCase(t, tk.supervisor, no);
    expect(c.calendarMissingYear).toBeNull();
    // acknowledge is still due in 2026; verify (25 working days for 农村低保) counts into January 2027
    expect(c.deadline).toBe('2026-12-17');
    const [clock25] = await t.dataSource.query(`SELECT d.dueDate FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE c.caseNo = ? AND d.stage = 'verify'`, [no]);
    expect(clock25.dueDate).toBe('2027-01-20');
  });

  it('recomputes when the admin changes a rule', async () => {
    await at(new Date('2026-03-02T02:00:00Z'));
    const no = await assigned();
    await act(t, tk.township1, no, 'acknowledge');
    expect((await getCase(t, tk.supervisor, no)).deadline).toBe((await calc('from=2026-03-02&days=25&unit=workday')).body.due);
    const [rule] = await t.dataSource.query(`SELECT id, source FROM deadline_rules WHERE stage = 'verify' AND kind = 'helpRequest' AND program = 'ruralDibao'`);
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/deadline-rules');
    const bad = await admin.post(`/admin/deadline-rules/${rule.id}`).type('form').send({ _csrf: csrf, limitValue: '-1', unit: 'workday', maxExtension: '10', source: rule.source });
    expect(bad.status).toBe(400);
    const res = await admin.post(`/admin/deadline-rules/${rule.id}`).type('form').send({ _csrf: csrf, limitValue: '20', unit: 'workday', maxExtension: '10', source: rule.source });
    expect(res.status).toBe(303);
    expect((await getCase(t, tk.supervisor, no)).deadline).toBe((await calc('from=2026-03-02&days=20&unit=workday')).body.due);
    await admin.post(`/admin/deadline-rules/${rule.id}`).type('form').send({ _csrf: csrf, limitValue: '25', unit: 'workday', maxExtension: '10', source: rule.source });
  });

  describe('the scheduled scan', () => {
    it('marks due-soon and overdue once, with one notification per event and one history row per overdue stage', async () => {
      await at(new Date('2026-03-02T02:00:00Z'));
      const no = await assigned(); // acknowledge due Wed 3/4
      const scan = t.app.get(DeadlineScanService);
      await at(new Date('2026-03-04T02:00:00Z'));
      const first = await scan.run();
      expect(first!.dueSoon).toBeGreaterThanOrEqual(1);
      expect((await getCase(t, tk.supervisor, no)).dueState).toBe('dueSoon');
      await at(new Date('2026-03-05T02:00:00Z'));
      await scan.run();
      await scan.run();
      const c = await getCase(t, tk.supervisor, no);
      expect(c.dueState).toBe('overdue');
      const overdueRows = c.history.filter((h: { type: string; action: string }) => h.type === 'deadline' && h.action === 'overdue');
      expect(overdueRows).toHaveLength(1);
      const notes = await t.dataSource.query(
        `SELECT n.type, u.username FROM notifications n JOIN users u ON u.id = n.userId JOIN cases c ON c.id = n.caseId WHERE c.caseNo = ? AND n.type IN ('dueSoon', 'overdue') ORDER BY n.type, u.username`,
        [no],
      );
      expect(notes).toEqual([
        { type: 'dueSoon', username: 'supervisor' },
        { type: 'dueSoon', username: 'township1' },
        { type: 'overdue', username: 'supervisor' },
        { type: 'overdue', username: 'township1' },
      ]);
      // the township sees it flagged in its inbox and counted in the navigation
      const page = await (await signIn(t, 'township1')).get('/queues/inbox');
      expect(page.text).toContain(no);
      expect(page.text).toMatch(/超期 \d+/);
    });

    it('takes the lease: a second run while one holds it does nothing', async () => {
      const scan = t.app.get(DeadlineScanService);
      expect(await scan.acquire()).toBe(true);
      const [lease] = await t.dataSource.query(`SELECT holder FROM job_leases WHERE name = 'deadline-scan'`);
      await t.dataSource.query(`UPDATE job_leases SET holder = 'other-instance' WHERE name = 'deadline-scan'`);
      expect(await scan.run()).toBeNull();
      await t.dataSource.query(`UPDATE job_leases SET holder = ?, expiresAt = ? WHERE name = 'deadline-scan'`, [lease.holder, toDbDateTime(new Date('2000-01-01T00:00:00Z'))]);
      expect(await scan.run()).not.toBeNull();
    });
  });

  it('counts 5 working days for the objection window from the assignment day', async () => {
    await at(new Date('2026-03-02T02:00:00Z'));
    const no = await assigned();
    await at(new Date(new Date('2026-03-02T02:00:00Z').getTime() + 7 * DAY)); // Mon 3/9 = 5th working day
    expect((await act(t, tk.township1, no, 'object', { reasons: '不属于本镇管辖' })).status).toBe(200);
  });
});

/**
 * Two application instances on one database (as two servers of a prefecture platform). On
 * PostgreSQL both scan at the same moment. On SQLite one JS thread cannot hold two write
 * transactions on one file at once (the second would wait for the file lock, blocking the thread
 * the first needs to finish), so here they scan in turn; two processes scanning at once on SQLite
 * are test/multi/scan-two-instances.
 */
describe('the deadline scan on two instances sharing one database', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  let a: TestApp;
  let b: TestApp;
  const caseNos: string[] = [];
  beforeAll(async () => {
    a = await createTestApp({ clock });
    b = await createTestApp({ clock, target: a.target });
    const tk = await tokens(a);
    for (let i = 0; i < 6; i++) {
      const no = (await a.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null }))).body.caseNo;
      await act(a, tk.operator, no, 'accept');
      await act(a, tk.operator, no, 'assign', { townshipId: 1 });
      caseNos.push(no);
    }
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const both = <T>(work: (s: DeadlineScanService) => Promise<T>): Promise<T[]> =>
    onPostgres ? Promise.all([work(a.app.get(DeadlineScanService)), work(b.app.get(DeadlineScanService))]) : (async () => [await work(a.app.get(DeadlineScanService)), await work(b.app.get(DeadlineScanService))])();

  const facts = async () => {
    const marks = caseNos.map(() => '?').join(',');
    const one = async (sql: string, params: unknown[] = []) => Number((await a.dataSource.query(sql, params))[0].n);
    return {
      // of these cases: clocks gone overdue, their history rows and their notices
      clocks: await one(`SELECT COUNT(*) AS n FROM case_deadlines d JOIN cases c ON c.id = d.caseId WHERE c.caseNo IN (${marks}) AND d.dueState = 'overdue'`, caseNos),
      history: await one(`SELECT COUNT(*) AS n FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo IN (${marks}) AND h.type = 'deadline' AND h.action = 'overdue'`, caseNos),
      notes: await one(`SELECT COUNT(*) AS n FROM notifications n JOIN cases c ON c.id = n.caseId WHERE c.caseNo IN (${marks}) AND n.type = 'overdue'`, caseNos),
      // of the whole database
      allHistory: await one(`SELECT COUNT(*) AS n FROM case_history WHERE type = 'deadline' AND action = 'overdue'`),
      allNotes: await one(`SELECT COUNT(*) AS n FROM notifications WHERE type IN ('overdue', 'dueSoon')`),
    };
  };

  it('moves each clock once and tells each event once when both scan at the same moment, lease or not', async () => {
    const before = await facts();
    clock.set(new Date('2026-06-01T02:00:00Z'));
    // ignoring the lease: the scans themselves must not report a clock twice
    const results = await both((s) => s.scan());
    const after = await facts();
    // acknowledge, verify, the 60-day overall clock and the 15-day written notice of each case; the
    // township clocks tell township1 and the supervisor, the others the supervisor
    expect(after.clocks).toBe(caseNos.length * 4);
    expect(after.history).toBe(after.clocks);
    expect(after.notes).toBe(caseNos.length * (2 * 2 + 2));
    // what the two scans report is what was written, each event by one of them
    expect(results.reduce((n, r) => n + r.overdue, 0)).toBe(after.allHistory - before.allHistory);
    expect(results.reduce((n, r) => n + r.notifications, 0)).toBe(after.allNotes - before.allNotes);
    // through the lease, and again without it: nothing more
    await both((s) => s.run());
    await both((s) => s.scan());
    expect(await facts()).toEqual(after);
  });
});
