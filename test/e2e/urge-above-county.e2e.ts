import { ACTIONS } from '../../src/workflow/transitions';
import { apiToken, csrfOf, signIn, createTestApp, TestApp } from '../utils/test-app';
import { act } from '../utils/workflow';

/**
 * 督办 of one case from above the county: the demo prefecture's supervisor (shi, 清川市) urges a
 * case of the demo county below it from the case page; the history says 市级督办（清川市）, and both
 * the county's supervisors and the township handling the case are told. A case of a county outside
 * 清川市 does not exist for them, and every other step stays refused.
 */
describe('督办 of a case by a prefecture supervisor', () => {
  let t: TestApp;
  let own: { caseNo: string; townshipUser: string };
  let outside: string;
  let outsideUrges: number;
  const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);

  beforeAll(async () => {
    t = await createTestApp();
    // a case with township1's township, being verified, that neither township1 nor the county's supervisor is recused from
    const [c] = await q(
      `SELECT c.caseNo FROM cases c WHERE c.status = 'verifying' AND c.countyCode = '141099' AND c.townshipId = (SELECT townshipId FROM users WHERE username = 'township1')
         AND NOT EXISTS (SELECT 1 FROM case_recusals r JOIN users u ON u.id = r.userId WHERE r.caseId = c.id AND u.username IN ('township1', 'supervisor', 'shi'))
       ORDER BY c.id LIMIT 1`,
    );
    own = { caseNo: c.caseNo, townshipUser: 'township1' };
    // another prefecture's county, with a case of its own (the demo's next open case, moved there)
    await q(`INSERT INTO regions (code, name, level, parentCode, bureauName) VALUES ('141100', '远川市', 'prefecture', '140000', '远川市民政局'), ('141198', '远山县', 'county', '141100', '远山县民政局')`);
    const [o] = await q(`SELECT caseNo FROM cases WHERE status = 'verifying' AND caseNo <> ? ORDER BY id LIMIT 1`, [own.caseNo]);
    outside = o.caseNo;
    await q(`UPDATE cases SET countyCode = '141198' WHERE caseNo = ?`, [outside]);
    outsideUrges = Number((await q(`SELECT urgeCount FROM cases WHERE caseNo = ?`, [outside]))[0].urgeCount);
  });
  afterAll(() => t.close());

  it('offers the prefecture supervisor a 市级督办 form on the case page, and no other step', async () => {
    const page = await (await signIn(t, 'shi')).get(`/cases/${own.caseNo}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/cases/${own.caseNo}/actions/urge"`);
    expect(page.text).toContain('<summary>市级督办</summary>');
    expect(page.text).toContain('督办意见（将通知县督办员和承办乡镇）');
    const forms = [...page.text.matchAll(/action="\/cases\/[^/]+\/actions\/([a-z-]+)"/g)].map((m) => m[1]);
    expect(forms).toEqual(['urge']);
  });

  it('records the urging as 市级督办 in the history and tells the county’s supervisors and the township', async () => {
    const shi = await signIn(t, 'shi');
    const [before] = await q(`SELECT urgeCount FROM cases WHERE caseNo = ?`, [own.caseNo]);
    const note = '该件已临近期限，请县局督促乡镇三日内办结';
    const res = await shi.post(`/cases/${own.caseNo}/actions/urge`).type('form').send({ _csrf: await csrfOf(shi, `/cases/${own.caseNo}`), note });
    expect(res.status).toBe(303);
    const [after] = await q(`SELECT urgeCount, urgeNote, urgedAt FROM cases WHERE caseNo = ?`, [own.caseNo]);
    expect(Number(after.urgeCount)).toBe(Number(before.urgeCount) + 1);
    expect(after.urgeNote).toBe(note);
    expect(after.urgedAt).not.toBeNull();
    const [h] = await q(
      `SELECT h.action, h.actorRole, h.note, h.data FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo = ? ORDER BY h.id DESC LIMIT 1`,
      [own.caseNo],
    );
    expect({ action: h.action, note: h.note, data: JSON.parse(h.data) }).toEqual({ action: 'urge', note, data: { level: 'prefecture', regionCode: '141000', regionName: '清川市' } });
    // the timeline, as the county's supervisor reads it
    const page = (await (await signIn(t, 'supervisor')).get(`/cases/${own.caseNo}`)).text;
    expect(page).toContain('市级督办（清川市）');
    expect(page).toContain(note);
    for (const who of ['supervisor', own.townshipUser]) {
      const notices = (await (await signIn(t, who)).get('/notifications')).text;
      expect(notices).toContain(`案件 ${own.caseNo} 被清川市督办：${note}`);
    }
    // the operator is not a supervisor: not told
    expect((await (await signIn(t, 'operator')).get('/notifications')).text).not.toContain(`被清川市督办：${note}`);
  });

  it('does not find a case of a county outside its prefecture (404), on the page or the API', async () => {
    const shi = await signIn(t, 'shi');
    const csrf = await csrfOf(shi, `/cases/${own.caseNo}`);
    expect((await shi.post(`/cases/${outside}/actions/urge`).type('form').send({ _csrf: csrf, note: '督办' })).status).toBe(404);
    expect((await act(t, await apiToken(t, 'shi'), outside, 'urge', { note: '督办' })).status).toBe(404);
    const [c] = await q(`SELECT urgeCount FROM cases WHERE caseNo = ?`, [outside]);
    expect(Number(c.urgeCount)).toBe(outsideUrges);
  });

  it.each(ACTIONS.filter((a) => a !== 'urge'))('still refuses the prefecture supervisor %s (403)', async (action) => {
    const res = await act(t, await apiToken(t, 'shi'), own.caseNo, action, {});
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('只能查看和督办');
  });
});
