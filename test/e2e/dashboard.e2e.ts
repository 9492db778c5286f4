import { shanghaiDate } from '../../src/common/time';
import { TEST_TODAY } from '../utils/clock';
import { helpRequestBody } from '../factories/case.factory';
import { act, tokens } from '../utils/workflow';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

const monthDay = (db: string) => shanghaiDate(db);

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
    const clocks: { caseId: number; stage: string; status: string; late: number | null; dueDate: string | null }[] = await t.dataSource.query(
      // late as 1/0 on both engines (PostgreSQL's is a boolean)
      `SELECT caseId, stage, status, CASE WHEN late = TRUE THEN 1 ELSE 0 END AS late, dueDate FROM case_deadlines WHERE stage IN ('countyAccept', 'countyAssign', 'acknowledge', 'verify', 'redo') AND referralId IS NULL`,
    );
    const today = TEST_TODAY;
    // late: a county clock before the hand-over (accept, assign) or a township clock met late or
    // open past its date (a case left unaccepted is late); on time: the township finished
    // (verify or redo met, nothing open) and nothing late; cases still in progress are not measured
    const late = new Set<number>();
    const finishedWork = new Set<number>();
    const stillOpen = new Set<number>();
    for (const d of clocks) {
      if (!ids.has(d.caseId)) continue;
      const overdueOpen = d.status === 'open' && !!d.dueDate && d.dueDate < today;
      if ((d.status === 'met' && d.late === 1) || overdueOpen) late.add(d.caseId);
      if (d.status === 'met' && (d.stage === 'verify' || d.stage === 'redo')) finishedWork.add(d.caseId);
      if (d.status === 'open') stillOpen.add(d.caseId);
    }
    const measured = new Set([...late, ...[...finishedWork].filter((id) => !stillOpen.has(id))]);
    // a case only signed for, still being verified and not overdue, counts neither way
    const inProgress = [...ids].filter((id) => stillOpen.has(id) && !late.has(id));
    expect(inProgress.length).toBeGreaterThan(0);
    expect(inProgress.some((id) => measured.has(id))).toBe(false);
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
    const rows = csv.trim().split('\r\n').slice(1);
    expect(kpi(html, 'total')).toBe(String(rows.length));
    // 是否按期 (column 19) counts as the on-time rate does: 按期 / (按期 + 超期), in-progress apart
    const onTimeCol = rows.map((r) => r.split(',')[18]);
    const [, onTime, measured] = /(\d+) \/ (\d+)，其中在办超期/.exec(html)!.map(Number);
    expect(onTimeCol.filter((v) => v === '按期').length).toBe(onTime);
    expect(onTimeCol.filter((v) => v === '超期').length).toBe(measured - onTime);
    expect(onTimeCol.filter((v) => v === '超期').length).toBeGreaterThan(0);
    expect(onTimeCol.filter((v) => v === '在办').length).toBeGreaterThan(0);
  });

  it('shows an on-time rate of 0 % as 0 %, and no rate at all when nothing can be measured', async () => {
    const tk = await tokens(t);
    const created = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 11, villageId: null }));
    await act(t, tk.operator, created.body.caseNo, 'accept');
    await act(t, tk.operator, created.body.caseNo, 'assign', { townshipId: 11 });
    await t.dataSource.query(`UPDATE case_deadlines SET dueDate = '2026-01-05' WHERE stage = 'acknowledge' AND caseId = (SELECT id FROM cases WHERE caseNo = ?)`, [created.body.caseNo]);
    const today = TEST_TODAY;
    const sup = await signIn(t, 'supervisor');
    expect(kpi((await sup.get(`/reports/dashboard?from=${today}&to=${today}&townshipId=11`)).text, 'onTime')).toBe('0%');
    expect(kpi((await sup.get(`/reports/dashboard?from=2020-01-01&to=2020-01-31`)).text, 'onTime')).toBe('—');
  });

  it('serves Chart.js from this server', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get('/static/vendor/chart.js/chart.umd.min.js');
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(100_000);
  });
});
