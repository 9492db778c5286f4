import { idCheckDigit } from '../../src/common/identity';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { act, FEEDBACK_BODY, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { fetchReadable, fillRoute, getRoutes, RouteInfo, withoutEchoes } from '../utils/routes';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';

/** An ID number with a rare ending (…X) so that its last four cannot turn up by chance. */
function sentinelId(): string {
  for (let seq = 0; seq < 1000; seq++) {
    const first17 = `14109919770707${String(seq).padStart(3, '0')}`;
    if (idCheckDigit(first17) === 'X') return first17 + 'X';
  }
  throw new Error('no ID');
}

const SENTINEL = { name: '哨兵甲乙丙', phone: '13798764086', idNumber: sentinelId(), address: '城关镇哨兵巷九十九号' };
const NEEDLES = [SENTINEL.name, SENTINEL.phone, SENTINEL.idNumber, SENTINEL.address, SENTINEL.phone.slice(-4), SENTINEL.idNumber.slice(-4)];

/**
 * 信访工作条例 Art. 30. Every GET route of the app (read from the router, not typed here) is
 * fetched as township1, as a page with a session and as API with a token, for a real-name report
 * assigned to township1. No answer may carry the reporter's name, phone, ID number, address, or
 * the last four digits of the phone or ID number. The supervisor, fetching the same, sees them.
 */
describe('no route shows a protected reporter to the township', () => {
  let t: TestApp;
  let caseNo: string;
  let leadNo: string;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await createTestApp();
    let tk = await tokens(t);
    const created = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send({
      channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['favouritism', 'bribery'], reporterType: 'realName',
      reporterName: SENTINEL.name, reporterPhone: SENTINEL.phone, reporterIdNumber: SENTINEL.idNumber, reporterAddress: SENTINEL.address,
      townshipId: 1, villageId: 1, subjectName: '周某', subjectPost: '村主任', content: `举报村主任周某优亲厚友，把自己的亲戚纳入低保并收取好处费。举报人${SENTINEL.name}，电话${SENTINEL.phone}，身份证${SENTINEL.idNumber}。`,
    });
    caseNo = created.body.caseNo;
    await act(t, tk.operator, caseNo, 'accept');
    // the county's own notes may name the complainant too: the township must not read them
    await act(t, tk.operator, caseNo, 'assign', { townshipId: 1, note: `请核实，举报人${SENTINEL.name}（${SENTINEL.phone}）要求保密` });
    await act(t, tk.supervisor, caseNo, 'urge', { note: `请尽快核实，举报人${SENTINEL.name}已多次来电` });
    await act(t, tk.township1, caseNo, 'acknowledge');
    await act(t, tk.township1, caseNo, 'verify', { ...VERIFY_BODY, visitDate: '2026-11-20' });
    await act(t, tk.township1, caseNo, 'feedback', { ...FEEDBACK_BODY, date: '2026-11-20' });
    await act(t, tk.township1, caseNo, 'submit', SUBMIT_BODY);
    await act(t, tk.supervisor, caseNo, 'approve');
    const [liaison] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
    leadNo = (await t.http().post(`/api/v1/cases/${caseNo}/referral`).set('Authorization', `Bearer ${tk.supervisor}`).send({ source: '热线实名举报', mainProblem: '村主任优亲厚友', handlerId: liaison.id })).body.leadNo;
    // deadline notices too
    await t.dataSource.query(`UPDATE case_deadlines SET dueDate = '2026-01-05' WHERE caseId = (SELECT id FROM cases WHERE caseNo = ?)`, [caseNo]);
    await t.app.get(DeadlineScanService).scan();
    tk = await tokens(t);

    routes = getRoutes(t);
  });
  afterAll(() => t.close());

  const fill = (path: string) => fillRoute(path, { caseNo, leadNo, id: '1', year: '2026', format: 'csv' });

  function urlsFor(): string[] {
    const urls: string[] = [];
    for (const r of routes) {
      const u = fill(r.path);
      if (!u) continue;
      urls.push(u);
      if (u === '/cases' || u === '/api/v1/cases') {
        // searches that would find the case, including by the reporter's own details
        for (const q of ['周某', SENTINEL.name, SENTINEL.phone, SENTINEL.phone.slice(-4)]) urls.push(`${u}?q=${encodeURIComponent(q)}`);
        urls.push(`${u}?kind=complaint&limit=100`);
      }
      if (u === '/cases/person-matches') urls.push(`${u}?phone=${SENTINEL.phone}&idNumber=${SENTINEL.idNumber}`);
      if (u === '/api/v1/cases/export') urls.push(`${u}?format=csv`, `${u}?format=csv&kind=complaint`, `${u}?format=xlsx&kind=complaint`);
      if (u === '/cases/export.csv') urls.push(`${u}?kind=complaint`, '/cases/export.xlsx?kind=complaint');
    }
    return urls;
  }


  it('reads the routes from the application itself', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(urlsFor()).toEqual(expect.arrayContaining([`/cases/${caseNo}`, `/api/v1/cases/${caseNo}`, `/cases/${caseNo}/print/assignment-sheet`, '/notifications']));
  });

  it('leaks nothing to township1 on any page or API answer', async () => {
    const who = { agent: await signIn(t, 'township1'), token: await apiToken(t, 'township1') };
    const seen: string[] = [];
    const leaks: string[] = [];
    for (const url of urlsFor()) {
      // as read: the cells of an .xlsx and the text of a PDF, not their compressed bytes
      const res = await fetchReadable(t, url, who);
      const body = withoutEchoes(res.text);
      seen.push(`${res.status} ${url}`);
      for (const n of NEEDLES) if (body.includes(n)) leaks.push(`${url} contains ${n}`);
    }
    expect(leaks).toEqual([]);
    // the township really reached the case, its documents and its notices
    expect(seen).toEqual(
      expect.arrayContaining([`200 /cases/${caseNo}`, `200 /api/v1/cases/${caseNo}`, `200 /cases/${caseNo}/print/reply`, '200 /notifications', '200 /queues/inbox', '200 /cases/export.csv?kind=complaint', '200 /cases/export.xlsx?kind=complaint', '200 /api/v1/cases/export?format=csv']),
    );
  });

  it('shows the supervisor the reporter on the same routes', async () => {
    const agent = await signIn(t, 'supervisor');
    const page = await agent.get(`/cases/${caseNo}`);
    for (const n of [SENTINEL.name, SENTINEL.phone, SENTINEL.idNumber, SENTINEL.address]) expect(page.text).toContain(n);
    const tk = await tokens(t);
    const api = await t.http().get(`/api/v1/cases/${caseNo}`).set('Authorization', `Bearer ${tk.supervisor}`);
    expect(api.body.reporter).toMatchObject({ name: SENTINEL.name, phone: SENTINEL.phone, idNumber: SENTINEL.idNumber, address: SENTINEL.address });
    // a letter to the reporter is a document for the public: the name starred even when the county prints it
    const print = await agent.get(`/cases/${caseNo}/print/acceptance-notice`);
    expect(print.text).toContain('哨****：');
    expect(print.text).not.toContain(SENTINEL.name);
  });
});
