import { createTestApp, signIn, TestApp } from '../utils/test-app';

const monthDay = (db: string) => new Date(Date.parse(db.replace(' ', 'T') + 'Z') + 8 * 3600_000).toISOString().slice(0, 10);

describe('the supervisors’ dashboard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const kpi = (html: string, key: string) => /data-kpi="[^"]+">([^<]*)</.exec(html.slice(html.indexOf(`data-kpi="${key}"`) - 1))?.[1];

  it('agrees with counts made independently from the same cases, counting open overdue cases as late', async () => {
    const from = '2026-03-01';
    const to = '2026-10-31';
    const agent = await signIn(t, 'supervisor');
    const html = (await agent.get(`/reports/dashboard?from=${from}&to=${to}`)).text;

    const cases: { id: number; receivedAt: string; kind: string; callbackResult: string | null; verificationOutcome: string | null }[] = await t.dataSource.query(
      'SELECT id, receivedAt, kind, callbackResult, verificationOutcome FROM cases',
    );
    const inPeriod = cases.filter((c) => monthDay(c.receivedAt) >= from && monthDay(c.receivedAt) <= to);
    const ids = new Set(inPeriod.map((c) => c.id));
    expect(kpi(html, 'total')).toBe(String(inPeriod.length));
    for (const kind of ['helpRequest', 'complaint', 'consultation', 'suggestion']) {
      expect(html).toContain(`data-kind="${kind}">${inPeriod.filter((c) => c.kind === kind).length}<`);
    }
    const clocks: { caseId: number; status: string; late: number | null; dueDate: string | null }[] = await t.dataSource.query(
      `SELECT caseId, status, late, dueDate FROM case_deadlines WHERE stage IN ('acknowledge', 'verify', 'redo') AND referralId IS NULL`,
    );
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const measured = new Set<number>();
    const late = new Set<number>();
    for (const d of clocks) {
      if (!ids.has(d.caseId)) continue;
      const overdueOpen = d.status === 'open' && !!d.dueDate && d.dueDate < today;
      if (d.status === 'met' || overdueOpen) measured.add(d.caseId);
      if ((d.status === 'met' && d.late === 1) || overdueOpen) late.add(d.caseId);
    }
    expect(late.size).toBeGreaterThan(0); // the demo has overdue open cases: they must count
    const rate = Math.round(((measured.size - late.size) / measured.size) * 1000) / 10;
    expect(kpi(html, 'onTime')).toBe(`${rate}%`);
    const withCallback = inPeriod.filter((c) => c.callbackResult && c.callbackResult !== 'unreachable');
    const sat = withCallback.filter((c) => c.callbackResult === 'satisfied' || c.callbackResult === 'basicallySatisfied').length;
    expect(kpi(html, 'satisfaction')).toBe(`${Math.round((sat / withCallback.length) * 1000) / 10}%`);
    for (const o of ['true', 'partlyTrue', 'untrue', 'unverifiable']) {
      expect(html).toContain(`data-outcome="${o}">${inPeriod.filter((c) => c.verificationOutcome === o).length}<`);
    }
  });

  it('agrees with the ledger export for the same period and township', async () => {
    const agent = await signIn(t, 'supervisor');
    const html = (await agent.get('/reports/dashboard?from=2026-01-01&to=2026-12-31&townshipId=2')).text;
    const csv = (await agent.get('/cases/export.csv?receivedFrom=2026-01-01&receivedTo=2026-12-31&townshipId=2')).text;
    const rows = csv.trim().split('\r\n').length - 1;
    expect(kpi(html, 'total')).toBe(String(rows));
  });

  it('serves Chart.js from this server', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get('/static/vendor/chart.js/chart.umd.min.js');
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(100_000);
  });
});
