import { TEST_TODAY } from '../utils/clock';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

describe('spot-check sampling (随机抽查)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('draws a random sample of closed cases of the period and township, records results, and shows them on the dashboard', async () => {
    const agent = await signIn(t, 'supervisor');
    let csrf = await csrfOf(agent, '/spot-checks');
    const bad = await agent.post('/spot-checks').type('form').send({ _csrf: csrf, from: '2026-10-01', to: '2026-01-01', size: '5' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('结束日期早于开始日期');
    const res = await agent.post('/spot-checks').type('form').send({ _csrf: csrf, townshipId: '1', from: '2025-11-01', to: '2026-11-30', size: '5' });
    expect(res.status).toBe(303);
    const id = Number(/\/spot-checks\/(\d+)/.exec(res.headers.location)![1]);
    const items: { caseNo: string; status: string; townshipId: number; closedAt: string; reporterType: string; reporterPhone: string | null }[] = await t.dataSource.query(
      `SELECT c.caseNo, c.status, c.townshipId, c.closedAt, c.reporterType, c.reporterPhone FROM spot_check_items i JOIN cases c ON c.id = i.caseId WHERE i.spotCheckId = ?`,
      [id],
    );
    expect(items).toHaveLength(5);
    expect(new Set(items.map((i) => i.caseNo)).size).toBe(5);
    for (const i of items) {
      expect(i.status).toBe('closed');
      expect(i.townshipId).toBe(1);
      // only cases whose reporter can be called back
      expect(i.reporterType).not.toBe('anonymous');
      expect(i.reporterPhone).toBeTruthy();
    }
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE status = 'closed' AND townshipId = 1 AND reporterType <> 'anonymous' AND reporterPhone IS NOT NULL AND closedAt >= '2025-10-31 16:00:00' AND closedAt < '2026-11-30 16:00:00'`);
    const [sc] = await t.dataSource.query('SELECT population FROM spot_checks WHERE id = ?', [id]);
    expect(sc.population).toBe(n);

    // the dashboard's counts before and after, for today (the demo data has a check of its own)
    const today = TEST_TODAY;
    const kpis = async () => {
      const dash = (await agent.get(`/reports/dashboard?from=${today}&to=${today}`)).text;
      return { checked: Number(/data-kpi="spotChecked">(\d+)</.exec(dash)![1]), problem: Number(/data-kpi="spotProblem">(\d+)</.exec(dash)![1]) };
    };
    const before = await kpis();
    const page = await agent.get(`/spot-checks/${id}`);
    expect(page.text).toContain(items[0].caseNo);
    csrf = await csrfOf(agent, `/spot-checks/${id}`);
    expect((await agent.post(`/spot-checks/${id}/${items[0].caseNo}`).type('form').send({ _csrf: csrf, result: 'problem', note: '反映人称未见过入户人员' })).status).toBe(303);
    expect((await agent.post(`/spot-checks/${id}/${items[1].caseNo}`).type('form').send({ _csrf: csrf, result: 'confirmed' })).status).toBe(303);
    expect((await agent.post(`/spot-checks/${id}/${items[2].caseNo}`).type('form').send({ _csrf: csrf, result: 'maybe' })).status).toBe(400);
    expect(await kpis()).toEqual({ checked: before.checked + 2, problem: before.problem + 1 });
  });

  it('is for supervisors', async () => {
    expect((await (await signIn(t, 'operator')).get('/spot-checks')).status).toBe(403);
  });
});
