import { toAuthUser } from '../../src/auth/auth.service';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { DisclosureService } from '../../src/protection/disclosure.service';
import { SpotChecksService } from '../../src/spotchecks/spotchecks.service';
import { User } from '../../src/users/entities/user.entity';
import { TEST_TODAY } from '../utils/clock';
import { fillRoute, getRoutes, RouteInfo, sweepRoutes } from '../utils/routes';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';
import { act, FEEDBACK_BODY, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';

/**
 * A case about a user does not exist for that user (DOMAIN §7: a case whose subject is a staff
 * member is hidden from them and routed past them). Every GET route the router lists is fetched
 * as the recused township user, the recused operator and the recused supervisor; the case's
 * number, content and reporter appear in none of the answers: pages, API, exports, prints, PDFs,
 * notices, queues, navigation counts, person matches, likely repeats, spot checks, leads, the
 * audit log. A colleague who is not recused finds the same case on the same routes, so the test
 * would see the case if a route forgot the rule.
 */
type Who = 'township1' | 'operator' | 'supervisor';

interface Planted {
  caseNo: string;
  phrase: string;
  reporterName: string;
  reporterPhone: string;
  /** What must not turn up anywhere for the recused user (besides the case number and phrase). */
  extra?: string[];
}

describe('a case about a user appears nowhere for that user', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const planted: Record<Who, Planted> = {} as Record<Who, Planted>;
  let closedAboutSupervisor: Planted;
  let peerOfOperatorCase: string;
  let spotId: number;
  let leadNo: string;

  const complaint = (subjectName: string, subjectPost: string, townshipId: number, p: Pick<Planted, 'phrase' | 'reporterName' | 'reporterPhone'>) => ({
    channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['favouritism'], reporterType: 'realName',
    reporterName: p.reporterName, reporterPhone: p.reporterPhone, townshipId, subjectName, subjectPost, content: `举报${subjectPost}${subjectName}${p.phrase}，请求核查。`,
  });

  beforeAll(async () => {
    t = await createTestApp();
    // colleagues who are not recused: a second 城关镇 assistant and a second supervisor
    for (const [username, displayName, role, townshipId] of [['township1b', '孙敏', 'township', 1], ['supervisor2', '周振华', 'supervisor', null]] as const) {
      await t.dataSource.query(
        `INSERT INTO users (username, displayName, role, townshipId, regionCode, passwordHash, passwordChangedAt, disabled, createdAt, updatedAt)
         SELECT ?, ?, ?, ?, regionCode, passwordHash, passwordChangedAt, FALSE, createdAt, updatedAt FROM users WHERE username = 'supervisor'`,
        [username, displayName, role, townshipId],
      );
    }
    const tk = { ...(await tokens(t)), supervisor2: await apiToken(t, 'supervisor2'), township1b: await apiToken(t, 'township1b') };
    const post = async (token: string, body: object) => {
      const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(body);
      if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.caseNo as string;
    };

    // About township1 (李晓梅): assigned to her own township past her, overdue, urged, referred.
    const a = { phrase: '哨兵甲案优亲厚友', reporterName: '哨兵甲', reporterPhone: '13811110001' };
    planted.township1 = { ...a, caseNo: await post(tk.operator, complaint('李晓梅', '民政助理员', 1, a)), extra: [a.reporterName, a.reporterPhone] };
    await act(t, tk.operator, planted.township1.caseNo, 'accept');
    const assigned = await act(t, tk.supervisor, planted.township1.caseNo, 'assign', { townshipId: 1, confirmRecusal: true, recusalReason: '由本镇其他工作人员核实' });
    expect(assigned.status).toBe(200);
    await act(t, tk.supervisor, planted.township1.caseNo, 'urge', { note: '请尽快核实' });

    // About the operator (王丽): registered, waiting in triage; a second case of the same reporter
    // she may see (so the reporter's name and phone may turn up for her, through that case).
    const b = { phrase: '哨兵乙案态度恶劣', reporterName: '哨兵乙', reporterPhone: '13811110002' };
    planted.operator = { ...b, caseNo: await post(tk.supervisor, complaint('王丽', '接线员', 2, b)) };
    peerOfOperatorCase = await post(tk.supervisor, { ...complaint('某村干部', '村主任', 2, { ...b, phrase: '另件同一人反映' }), subjectName: '郑某' });

    // About the supervisor (陈建国): in review, referred by the other supervisor, disclosed to the township and viewed there.
    const c = { phrase: '哨兵丙案暗箱操作', reporterName: '哨兵丙', reporterPhone: '13811110003' };
    planted.supervisor = { ...c, caseNo: await post(tk.operator, complaint('陈建国', '督办员', 2, c)) };
    const d = { phrase: '哨兵丁案已办结', reporterName: '哨兵丁', reporterPhone: '13811110004' };
    closedAboutSupervisor = { ...d, caseNo: await post(tk.operator, complaint('陈建国', '督办员', 2, d)), extra: [d.reporterName, d.reporterPhone] };
    for (const no of [planted.supervisor.caseNo, closedAboutSupervisor.caseNo]) {
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 2 });
      await act(t, tk.township2, no, 'acknowledge');
      await act(t, tk.township2, no, 'verify', { ...VERIFY_BODY, visitDate: TEST_TODAY });
      // a complainant withheld from the township: the county answers them after approval
      expect((await act(t, tk.township2, no, 'submit', SUBMIT_BODY)).status).toBe(200);
    }
    await act(t, tk.supervisor2, closedAboutSupervisor.caseNo, 'approve');
    expect((await act(t, tk.operator, closedAboutSupervisor.caseNo, 'county-reply', { method: 'phone', date: TEST_TODAY })).status).toBe(200);
    expect((await act(t, tk.operator, closedAboutSupervisor.caseNo, 'callback', { result: 'satisfied' })).status).toBe(200);
    const [liaison] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
    const lead = await t.http().post(`/api/v1/cases/${planted.supervisor.caseNo}/referral`).set('Authorization', `Bearer ${tk.supervisor2}`).send({ source: '热线', mainProblem: '督办员暗箱操作', handlerId: liaison.id });
    expect(lead.status).toBe(201);
    leadNo = lead.body.leadNo;
    planted.supervisor.extra = [c.reporterName, c.reporterPhone, leadNo];
    const supervisor2 = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor2' }), 'session');
    await t.app.get(DisclosureService).disclose(supervisor2, planted.supervisor.caseNo, '核实需要联系举报人');
    await t.http().get(`/api/v1/cases/${planted.supervisor.caseNo}`).set('Authorization', `Bearer ${tk.township2}`);
    spotId = (await t.app.get(SpotChecksService).draw(supervisor2, { from: TEST_TODAY, to: TEST_TODAY, townshipId: 2, size: 50 })).id;

    // every planted case overdue: deadline notices and the overdue board
    await t.dataSource.query(
      `UPDATE case_deadlines SET dueDate = '2026-01-05' WHERE status = 'open' AND caseId IN (SELECT id FROM cases WHERE caseNo IN (?, ?, ?))`,
      [planted.township1.caseNo, planted.operator.caseNo, planted.supervisor.caseNo],
    );
    await t.app.get(DeadlineScanService).scan();
    routes = getRoutes(t);
  });
  afterAll(() => t.close());

  /** Every GET route, with the planted case's own number, its lead and the spot check, plus searches that would find it. */
  function urlsFor(p: Planted): string[] {
    const values = { caseNo: p.caseNo, leadNo, id: String(spotId), year: '2026', format: 'csv' };
    const urls: string[] = [];
    for (const r of routes) {
      const u = fillRoute(r.path, values);
      if (!u) continue;
      urls.push(u);
      if (u === '/cases' || u === '/api/v1/cases') {
        for (const q of [p.phrase, p.reporterName, p.reporterPhone, p.caseNo]) urls.push(`${u}?q=${encodeURIComponent(q)}`);
        urls.push(`${u}?kind=complaint&limit=100`, `${u}?status=registered&limit=100`, `${u}?status=inReview&limit=100`);
      }
      if (u === '/cases/export.csv') urls.push(`${u}?kind=complaint`, '/cases/export.xlsx?kind=complaint');
      if (u === '/api/v1/cases/export') urls.push(`${u}?format=csv`, `${u}?format=xlsx`);
      if (u === '/cases/person-matches') urls.push(`${u}?phone=${p.reporterPhone}`);
      if (u === '/repeats/likely') urls.push(`${u}?phone=${p.reporterPhone}&content=${encodeURIComponent(`举报${p.phrase}，请求核查。`)}`);
      if (u === '/reports/monthly') urls.push(`${u}?month=${TEST_TODAY.slice(0, 7)}`);
      if (u === '/reports/dashboard') urls.push(`${u}?from=${TEST_TODAY}&to=${TEST_TODAY}`);
    }
    return urls;
  }


  function sweep(username: string, p: Planted): Promise<{ seen: string[]; hits: string[] }> {
    return sweepRoutes(t, username, urlsFor(p), [p.caseNo, p.phrase, ...(p.extra ?? [])]);
  }

  it('reads well over thirty GET routes from the router, prints and PDFs among them', () => {
    const urls = urlsFor(planted.township1);
    expect(routes.length).toBeGreaterThan(30);
    expect(urls).toEqual(expect.arrayContaining([`/cases/${planted.township1.caseNo}/print/assignment-sheet`, `/referrals/${leadNo}/print.pdf`, '/notifications', '/queues/inbox', '/api/v1/cases/export?format=xlsx']));
  });

  it.each(['township1', 'operator', 'supervisor'] as Who[])('hides the case about %s from them on every route', async (who) => {
    const { seen, hits } = await sweep(who, planted[who]);
    expect(hits).toEqual([]);
    // the sweep really reached the user's own work pages
    expect(seen).toEqual(expect.arrayContaining([`404 /cases/${planted[who].caseNo}`, '200 /notifications']));
  });

  it('hides the closed case about the supervisor from their view of a colleague’s spot check', async () => {
    const { hits } = await sweep('supervisor', closedAboutSupervisor);
    expect(hits).toEqual([]);
  });

  // one sweep per test: each reads every route, which takes a while on a loaded machine
  it('shows the township’s case to a colleague in the same township who is not recused', async () => {
    expect((await sweep('township1b', planted.township1)).hits).toEqual(
      expect.arrayContaining([`/queues/inbox shows ${planted.township1.caseNo}`, `/notifications shows ${planted.township1.caseNo}`, `/cases/export.xlsx?kind=complaint shows ${planted.township1.caseNo}`]),
    );
  });

  it('shows the case about the operator to the supervisor, on the same routes', async () => {
    expect((await sweep('supervisor', planted.operator)).hits).toEqual(
      expect.arrayContaining([`/queues/triage shows ${planted.operator.caseNo}`, `/cases/person-matches?phone=${planted.operator.reporterPhone} shows ${planted.operator.caseNo}`]),
    );
  });

  it('shows the case about the supervisor to the other supervisor, its lead and PDF included', async () => {
    const peer = (await sweep('supervisor2', planted.supervisor)).hits;
    expect(peer).toEqual(
      expect.arrayContaining([`/queues/review shows ${planted.supervisor.caseNo}`, `/referrals shows ${leadNo}`, `/referrals/${leadNo}/print.pdf shows ${planted.supervisor.caseNo}`, `/audit/reporters shows ${planted.supervisor.caseNo}`]),
    );
  });

  it('shows the closed case about the supervisor in the other supervisor’s spot check', async () => {
    expect((await sweep('supervisor2', closedAboutSupervisor)).hits).toContain(`/spot-checks/${spotId} shows ${closedAboutSupervisor.caseNo}`);
  });

  it('still shows the operator the same reporter’s other case, so the person-match panel works', async () => {
    const agent = await signIn(t, 'operator');
    const res = await agent.get(`/cases/person-matches?phone=${planted.operator.reporterPhone}`);
    expect(res.text).toContain(peerOfOperatorCase);
    expect(res.text).not.toContain(planted.operator.caseNo);
  });

  it('leaves the case out of the recused user’s counts: navigation, dashboard and reports', async () => {
    const count = async (username: string, url: string, key: string) => {
      const html = (await (await signIn(t, username)).get(url)).text;
      return Number(new RegExp(`data-kpi="${key}">(\\d+)<`).exec(html)?.[1]);
    };
    const dash = `/reports/dashboard?from=${TEST_TODAY}&to=${TEST_TODAY}`;
    // the supervisor is the subject of two of today's cases; the other supervisor sees both
    expect(await count('supervisor2', dash, 'total')).toBe((await count('supervisor', dash, 'total')) + 2);
    const inbox = async (username: string) => {
      const html = (await (await signIn(t, username)).get('/queues/inbox')).text;
      return { badge: Number(/data-count="inbox">(\d+)</.exec(html)?.[1] ?? 0), rows: (html.match(/ data-case="/g) ?? []).length };
    };
    const mine = await inbox('township1');
    const colleague = await inbox('township1b');
    expect(colleague.rows).toBe(mine.rows + 1);
    expect(mine.badge).toBe(mine.rows);
    expect(colleague.badge).toBe(colleague.rows);
  });
});
