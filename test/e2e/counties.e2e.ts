import { toAuthUser } from '../../src/auth/auth.service';
import { SpotChecksService } from '../../src/spotchecks/spotchecks.service';
import { User } from '../../src/users/entities/user.entity';
import { TEST_TODAY } from '../utils/clock';
import { fillRoute, getRoutes, RouteInfo, sweepRoutes } from '../utils/routes';
import { apiToken, createTestApp, csrfFrom, csrfOf, signIn, TestApp } from '../utils/test-app';
import { act, tokens } from '../utils/workflow';

/**
 * Two counties in one database (清源县 141099, the demo county, and 清河县 141098, both under the
 * demo prefecture 清川市 141000): a county's staff see nothing of the other county on any route
 * the router lists; the prefecture's supervisor reads both, changes nothing, ranks them and urges
 * one.
 */
interface Planted {
  caseNo: string;
  phrase: string;
  reporterName: string;
  reporterPhone: string;
  leadNo?: string;
  spotId?: number;
}

describe('two counties in one database', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const planted: { a: Planted; b: Planted } = {} as never;
  let townshipB: number;

  const complaint = (townshipId: number, p: Omit<Planted, 'caseNo'>) => ({
    channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['favouritism'], reporterType: 'realName',
    reporterName: p.reporterName, reporterPhone: p.reporterPhone, townshipId, subjectName: '某村干部', subjectPost: '村主任', content: `举报村主任${p.phrase}，请求核查。`,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    await q(`INSERT INTO regions (code, name, level, parentCode, bureauName) VALUES ('141098', '清河县', 'county', '141000', '清河县民政局')`);
    // the same township name as in the demo county: names are unique within a county only
    await q(`INSERT INTO townships (code, name, countyCode, sortOrder, active) VALUES ('141098100', '城关镇', '141098', 1, TRUE)`);
    [{ id: townshipB }] = await q(`SELECT id FROM townships WHERE code = '141098100'`);
    for (const [username, displayName, role, townshipId] of [
      ['operator_b', '吴芳', 'operator', null],
      ['supervisor_b', '郑强', 'supervisor', null],
      ['township_b', '冯丽', 'township', townshipB],
      ['liaison_b', '何纪', 'liaison', null],
      ['admin_b', '清河管理员', 'admin', null],
    ] as const) {
      await q(
        `INSERT INTO users (username, displayName, role, townshipId, regionCode, passwordHash, passwordChangedAt, disabled, createdAt, updatedAt)
         SELECT ?, ?, ?, ?, '141098', passwordHash, passwordChangedAt, FALSE, createdAt, updatedAt FROM users WHERE username = 'supervisor'`,
        [username, displayName, role, townshipId],
      );
    }
    const tk = { ...(await tokens(t)), operator_b: await apiToken(t, 'operator_b'), supervisor_b: await apiToken(t, 'supervisor_b') };
    const post = async (token: string, body: object) => {
      const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(body);
      if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.caseNo as string;
    };
    for (const [key, token, supervisor, township, liaison] of [
      ['a', tk.operator, tk.supervisor, 1, 'liaison'],
      ['b', tk.operator_b, tk.supervisor_b, townshipB, 'liaison_b'],
    ] as const) {
      const p = key === 'a' ? { phrase: '甲县哨兵案优亲厚友', reporterName: '甲县哨兵', reporterPhone: '13822220001' } : { phrase: '乙县哨兵案优亲厚友', reporterName: '乙县哨兵', reporterPhone: '13822220002' };
      const caseNo = await post(token, complaint(township, p));
      expect((await act(t, token, caseNo, 'accept')).status).toBe(200);
      expect((await act(t, supervisor, caseNo, 'assign', { townshipId: township })).status).toBe(200);
      const [{ id: handlerId }] = await q(`SELECT id FROM users WHERE username = ?`, [liaison]);
      const lead = await t.http().post(`/api/v1/cases/${caseNo}/referral`).set('Authorization', `Bearer ${supervisor}`).send({ source: '热线', mainProblem: `村主任${p.phrase}`, handlerId });
      expect(lead.status).toBe(201);
      planted[key] = { ...p, caseNo, leadNo: lead.body.leadNo };
    }
    const supB = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor_b' }), 'session');
    await q(`UPDATE cases SET status = 'closed', closedAt = receivedAt, closeReason = 'resolved' WHERE caseNo = ?`, [planted.b.caseNo]);
    planted.b.spotId = (await t.app.get(SpotChecksService).draw(supB, { from: TEST_TODAY, to: TEST_TODAY, size: 10 })).id;
    routes = getRoutes(t);
  });
  afterAll(() => t.close());

  it('numbers each county’s cases and leads by its own code and its own sequence', () => {
    expect(planted.a.caseNo).toMatch(/^JZ2026-141099-\d{6}$/);
    expect(planted.b.caseNo).toBe('JZ2026-141098-000001');
    expect(planted.a.leadNo).toMatch(/^XS2026-141099-\d{4}$/);
    expect(planted.b.leadNo).toBe('XS2026-141098-0001');
  });

  /** Every GET route with the other county's case, lead and spot check, and searches that would find them. */
  function urlsFor(p: Planted): string[] {
    const values = { caseNo: p.caseNo, leadNo: p.leadNo!, id: String(p.spotId ?? 1), year: '2026', format: 'csv', code: '141098' };
    const urls: string[] = [];
    for (const r of routes) {
      const u = fillRoute(r.path, values);
      if (!u) continue;
      urls.push(u);
      if (u === '/cases' || u === '/api/v1/cases') for (const x of [p.phrase, p.reporterName, p.reporterPhone, p.caseNo]) urls.push(`${u}?q=${encodeURIComponent(x)}`);
      if (u === '/api/v1/cases/export') urls.push(`${u}?format=csv`, `${u}?format=xlsx`);
      if (u === '/cases/export.csv') urls.push('/cases/export.xlsx');
      if (u === '/cases/person-matches') urls.push(`${u}?phone=${p.reporterPhone}`);
      if (u === '/reports/dashboard') urls.push(`${u}?from=${TEST_TODAY}&to=${TEST_TODAY}`);
    }
    return urls;
  }

  function sweep(username: string, p: Planted): Promise<{ seen: string[]; hits: string[] }> {
    return sweepRoutes(t, username, urlsFor(p), [p.caseNo, p.phrase, p.reporterName, p.reporterPhone, p.leadNo!]);
  }

  it.each(['operator', 'supervisor', 'township1', 'liaison', 'admin'])('shows %s of 清源县 nothing of 清河县 on any route', async (who) => {
    const { seen, hits } = await sweep(who, planted.b);
    expect(hits).toEqual([]);
    expect(seen.length).toBeGreaterThan(30);
  });

  it.each(['operator_b', 'supervisor_b', 'township_b'])('shows %s of 清河县 nothing of 清源县 on any route, and their own case', async (who) => {
    const { hits } = await sweep(who, planted.a);
    expect(hits).toEqual([]);
    const own = await (await signIn(t, who)).get(`/cases/${planted.b.caseNo}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain(`<title>${planted.b.caseNo}`);
    // the search box's example number is one of their own county's, of this year
    const list = await (await signIn(t, who)).get('/cases');
    expect(list.text).toContain(`如 JZ${planted.b.caseNo.slice(2, 6)}-141098-000123`);
    expect(list.text).not.toContain('141099-000123');
  });

  it('finds 清河县’s own case and lead on the same routes for its supervisor, so the sweep would see a leak', async () => {
    expect((await sweep('supervisor_b', planted.b)).hits).toEqual(
      expect.arrayContaining([`/cases/${planted.b.caseNo} shows ${planted.b.caseNo}`, `/cases/export.csv shows ${planted.b.caseNo}`, `/referrals shows ${planted.b.leadNo}`]),
    );
  });

  it('keeps each county’s townships and users to itself', async () => {
    const adminA = await signIn(t, 'admin');
    expect((await adminA.get('/admin/users')).text).not.toContain('operator_b');
    const [{ id: bUser }] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'operator_b'`);
    expect((await adminA.get(`/admin/users/${bUser}/edit`)).status).toBe(404);
    expect((await adminA.get(`/admin/townships/${townshipB}`)).status).toBe(404);
    // 清源县's operator cannot hand a case to 清河县's township
    const tk = await tokens(t);
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(complaint(townshipB, { phrase: '跨县', reporterName: '某人', reporterPhone: '13822220003' }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('所选乡镇不存在');
  });

  it('lets the prefecture’s administrator create the prefecture’s supervisors, and no county role', async () => {
    await t.dataSource.query(
      `INSERT INTO users (username, displayName, role, townshipId, regionCode, passwordHash, passwordChangedAt, disabled, createdAt, updatedAt)
       SELECT 'shi_admin', '清川管理员', 'admin', NULL, '141000', passwordHash, passwordChangedAt, FALSE, createdAt, updatedAt FROM users WHERE username = 'supervisor'`,
    );
    const admin = await signIn(t, 'shi_admin');
    const form = await admin.get('/admin/users/new');
    expect(form.text).toContain('<option value="supervisor" selected>');
    expect(form.text).not.toContain('value="operator"');
    const password = '清川市督办员的长密码二〇二六';
    const created = await admin.post('/admin/users').type('form').send({ _csrf: csrfFrom(form.text), username: 'shi_sup2', displayName: '清川督办二', role: 'supervisor', password });
    expect(created.status).toBe(303);
    const [row] = await t.dataSource.query(`SELECT role, regionCode FROM users WHERE username = 'shi_sup2'`);
    expect(row).toEqual({ role: 'supervisor', regionCode: '141000' });
    const operator = await admin.post('/admin/users').type('form').send({ _csrf: csrfFrom(form.text), username: 'shi_op', displayName: '市级接线员', role: 'operator', password });
    expect(operator.status).toBe(400);
    expect(operator.text).toContain('市级、省级只设督办员和系统管理员');
  });

  it('lets the prefecture’s supervisor read both counties and change nothing but by 督办', async () => {
    const shi = await signIn(t, 'shi');
    for (const p of [planted.a, planted.b]) {
      const list = await shi.get(`/cases?q=${encodeURIComponent(p.phrase)}`);
      expect(list.text).toContain(p.caseNo);
      const page = await shi.get(`/cases/${p.caseNo}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/name="action" value="(accept|assign|urge|approve)"/);
    }
    const token = await apiToken(t, 'shi');
    // of the case steps, only 督办 is theirs (test/e2e/urge-above-county.e2e.ts)
    const accept = await act(t, token, planted.a.caseNo, 'accept');
    expect(accept.status).toBe(403);
    expect(accept.body.message).toContain('只能查看和督办');
    const intake = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(complaint(1, { phrase: '市级登记', reporterName: '某人', reporterPhone: '13822220004' }));
    expect(intake.status).toBe(403);
    expect((await shi.get('/cases/new')).text).not.toContain('name="content"');
  });

  it('ranks the counties and sends a county’s supervisors the prefecture’s 督办', async () => {
    const shi = await signIn(t, 'shi');
    const page = await shi.get(`/regions?from=${TEST_TODAY}&to=${TEST_TODAY}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('清源县');
    expect(page.text).toContain('清河县');
    expect(page.text).toMatch(/<tr data-county="141098">[\s\S]*?<td data-col="total">1<\/td>/);
    const csrf = await csrfOf(shi, '/regions');
    const empty = await shi.post('/regions/141098/urge').type('form').send({ _csrf: csrf, note: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请填写督办意见');
    const sent = await shi.post('/regions/141098/urge').type('form').send({ _csrf: csrf, note: '清河县超期件较多，请三日内报告整改情况' });
    expect(sent.status).toBe(303);
    expect((await shi.get('/regions')).text).toContain('已向清河县督办（1 名督办员收到通知）');
    expect((await (await signIn(t, 'supervisor_b')).get('/notifications')).text).toContain('清川市督办：清河县超期件较多');
    expect((await (await signIn(t, 'supervisor')).get('/notifications')).text).not.toContain('清河县超期件较多');
    // a county the prefecture does not reach does not exist for it; a county supervisor does not urge counties
    expect((await shi.post('/regions/141097/urge').type('form').send({ _csrf: csrf, note: '督办' })).status).toBe(404);
    const sup = await signIn(t, 'supervisor');
    expect((await sup.post('/regions/141099/urge').type('form').send({ _csrf: await csrfOf(sup, '/regions'), note: '自己督办' })).status).toBe(403);
  });
});
