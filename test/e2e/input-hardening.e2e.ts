import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { helpRequestBody } from '../factories/case.factory';
import { listRoutes } from '../utils/routes';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';

type Agent = ReturnType<typeof request.agent>;

/** Issue 9 §5: malformed bodies and query values are a 400 with field errors, and change nothing. */
describe('input that is not what a route takes', () => {
  let t: TestApp;
  let operator: string;
  let supervisor: string;
  let registered: string;
  beforeAll(async () => {
    t = await createTestApp();
    operator = await apiToken(t, 'operator');
    supervisor = await apiToken(t, 'supervisor');
    registered = (await t.dataSource.query(`SELECT caseNo FROM cases WHERE status = 'registered' ORDER BY id LIMIT 1`))[0].caseNo;
  });
  afterAll(() => t.close());

  const postJson = (url: string, raw: string, token = operator) =>
    t.http().post(url).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(raw);
  async function snapshot() {
    const q = async (sql: string) => (await t.dataSource.query(sql))[0];
    // one column of every row, in id order, as one text (GROUP_CONCAT is SQLite's alone)
    const all = async (sql: string) => (await t.dataSource.query(sql)).map((r: Record<string, unknown>) => Object.values(r)[0]).join(',');
    return {
      cases: { ...(await q('SELECT COUNT(*) n FROM cases')), s: await all('SELECT status FROM cases ORDER BY id') },
      history: await q('SELECT COUNT(*) n FROM case_history'),
      audit: await q('SELECT COUNT(*) n FROM audit_events'),
      referrals: { ...(await q('SELECT COUNT(*) n FROM referrals')), s: await all('SELECT status FROM referrals ORDER BY id') },
      relatives: await q('SELECT COUNT(*) n FROM relative_registrations'),
      users: { ...(await q('SELECT COUNT(*) n FROM users')), h: await all('SELECT passwordHash FROM users ORDER BY id') },
    };
  }

  describe('JSON bodies', () => {
    it('refuses a body nested 20,000 deep with 400, not 500', async () => {
      const before = await snapshot();
      const deepArray = '['.repeat(20_000) + ']'.repeat(20_000);
      const deepObject = `{"content":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
      for (const raw of [deepArray, deepObject]) {
        const res = await postJson('/api/v1/cases', raw);
        expect(res.status).toBe(400);
        expect(res.body.errors[0].message).toContain('嵌套层数过多');
      }
      expect((await postJson('/api/v1/cases', deepObject)).body.errors[0].field).toBe('content');
      expect(await snapshot()).toEqual(before);
    });

    it('refuses __proto__, constructor and prototype fields anywhere, naming the field', async () => {
      const valid = JSON.stringify(helpRequestBody({ townshipId: 1, villageId: null }));
      const before = await snapshot();
      const cases: [string, string][] = [
        [valid.replace(/^\{/, '{"__proto__":{"isAdmin":true},'), '__proto__'],
        [valid.replace(/^\{/, '{"constructor":{"prototype":{"x":1}},'), 'constructor'],
        [valid.replace(/^\{/, '{"extra":{"deeper":{"prototype":1}},'), 'extra.deeper.prototype'],
      ];
      for (const [raw, field] of cases) {
        const res = await postJson('/api/v1/cases', raw);
        expect(res.status).toBe(400);
        expect(res.body.errors).toContainEqual({ field, message: `不支持的字段：${field.split('.').pop()}` });
      }
      const action = await postJson(`/api/v1/cases/${registered}/actions/accept`, '{"__proto__":{"note":"x"}}');
      expect(action.status).toBe(400);
      expect(action.body.errors[0].field).toBe('__proto__');
      expect(await snapshot()).toEqual(before);
    });

    it('refuses an array where an object is expected, on every route that takes a body', async () => {
      const leadNo = (await t.dataSource.query('SELECT leadNo FROM referrals ORDER BY id LIMIT 1'))[0].leadNo;
      const sup = await signIn(t, 'supervisor');
      const url = (p: string) =>
        p.replace(':caseNo', registered).replace(':action', 'accept').replace(':leadNo', leadNo).replace(':id', '1').replace(':format', 'csv');
      const posts = listRoutes(t.app).filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThan(30);
      const before = await snapshot();
      for (const r of posts) {
        const target = url(r.path);
        const res = r.path.startsWith('/api/')
          ? await postJson(target, '[1,2]', r.path.includes('referral') ? supervisor : operator)
          : await sup.post(target).set('Content-Type', 'application/json').send('[1,2]');
        expect({ route: r.key, status: res.status }).toEqual({ route: r.key, status: 400 });
        if (r.path.startsWith('/api/')) expect(res.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('JSON 对象') }]);
      }
      // the registered case was not accepted by `[1,2]` read as {}
      expect(await snapshot()).toEqual(before);
    });

    it('still takes an action without a body at all', async () => {
      const c = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operator}`).send(helpRequestBody({ townshipId: 1, villageId: null }))).body;
      const res = await t.http().post(`/api/v1/cases/${c.caseNo}/actions/accept`).set('Authorization', `Bearer ${operator}`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('accepted');
    });
  });

  describe('query values', () => {
    interface Bad {
      url: string;
      field: string;
      /** the message a page shows when it has no field to show it next to */
      text?: string;
    }
    /**
     * Every GET route with query parameters (the test below checks that the list is complete)
     * and values it must refuse. `as`: who asks; API routes use that role's token.
     */
    const BAD: Record<string, { as: 'operator' | 'supervisor' | null; json?: boolean; bad: Bad[] }> = {
      'GET /login': { as: null, bad: [{ url: '/login?next=https://evil.example/', field: 'next', text: '登录后要打开的页面地址不正确' }, { url: '/login?expired=yes', field: 'expired', text: '链接参数不正确' }] },
      'GET /cases': {
        as: 'supervisor',
        bad: [
          { url: '/cases?status=x', field: 'status' },
          { url: '/cases?kind=x', field: 'kind' },
          { url: '/cases?program=x', field: 'program' },
          { url: '/cases?channel=x', field: 'channel' },
          { url: '/cases?problemType=x', field: 'problemType' },
          { url: '/cases?townshipId=abc', field: 'townshipId' },
          { url: '/cases?receivedFrom=someday', field: 'receivedFrom' },
          { url: '/cases?limit=1000', field: 'limit' },
          { url: `/cases?q=${'低'.repeat(51)}`, field: 'q' },
        ],
      },
      'GET /cases/export.:format': { as: 'supervisor', bad: [{ url: '/cases/export.csv?status=x', field: 'status', text: '状态不在可选范围内' }, { url: '/cases/export.xlsx?townshipId=abc', field: 'townshipId', text: '乡镇不正确' }] },
      'GET /cases/person-matches': { as: 'operator', json: true, bad: [{ url: `/cases/person-matches?phone=${'1'.repeat(40)}`, field: 'phone' }] },
      'GET /repeats/likely': { as: 'operator', json: true, bad: [{ url: '/repeats/likely?villageId=abc', field: 'villageId' }, { url: '/repeats/likely?receivedAt=yesterday', field: 'receivedAt' }] },
      'GET /referrals': { as: 'supervisor', bad: [{ url: '/referrals?status=x', field: 'status' }] },
      'GET /api/v1/referrals': { as: 'supervisor', bad: [{ url: '/api/v1/referrals?status=x', field: 'status' }, { url: '/api/v1/referrals?sort=x', field: 'sort' }] },
      'GET /api/v1/cases': { as: 'supervisor', bad: [{ url: '/api/v1/cases?status=x', field: 'status' }, { url: '/api/v1/cases?limit=0', field: 'limit' }, { url: '/api/v1/cases?page=2', field: 'page' }] },
      'GET /api/v1/cases/export': { as: 'supervisor', bad: [{ url: '/api/v1/cases/export?format=pdf', field: 'format' }, { url: '/api/v1/cases/export?format=csv&kind=x', field: 'kind' }] },
      'GET /reports/monthly': {
        as: 'supervisor',
        bad: [
          { url: '/reports/monthly?month=2026-13', field: 'month' },
          { url: '/reports/monthly?townshipId=abc', field: 'townshipId' },
          { url: '/reports/monthly?townshipId=999', field: 'townshipId' },
        ],
      },
      'GET /reports/monthly.xlsx': { as: 'supervisor', bad: [{ url: '/reports/monthly.xlsx?month=last', field: 'month', text: '月份格式应为 YYYY-MM' }] },
      'GET /regions': {
        as: 'supervisor',
        bad: [
          { url: '/regions?from=x', field: 'from' },
          { url: '/regions?from=2026-06-01&to=2026-01-01', field: 'to' },
        ],
      },
      'GET /reports/dashboard': {
        as: 'supervisor',
        bad: [
          { url: '/reports/dashboard?from=x', field: 'from' },
          { url: '/reports/dashboard?townshipId=abc', field: 'townshipId' },
          { url: '/reports/dashboard?from=2026-06-01&to=2026-01-01', field: 'to' },
        ],
      },
      'GET /reports/weekly': { as: 'supervisor', bad: [{ url: '/reports/weekly?date=2026-02-30', field: 'date' }] },
      'GET /reports/weekly.xlsx': { as: 'supervisor', bad: [{ url: '/reports/weekly.xlsx?date=x', field: 'date', text: '日期格式应为 YYYY-MM-DD' }] },
      'GET /api/v1/calendar/due-date': { as: 'operator', bad: [{ url: '/api/v1/calendar/due-date?from=2026-11-20&days=5&unit=hour', field: 'unit' }, { url: '/api/v1/calendar/due-date?from=2026-11-20&days=5&unit=day&x=1', field: 'x' }] },
      'GET /calendar/calculator': { as: 'operator', bad: [{ url: '/calendar/calculator?from=2026-11-20&days=5&unit=hour', field: 'unit' }, { url: '/calendar/calculator?from=2026-11-20&days=many', field: 'days' }] },
      'GET /admin/deadline-rules': { as: 'supervisor', bad: [{ url: '/admin/deadline-rules?county=abc', field: 'county', text: '行政区划代码须为六位数字' }] },
      'GET /admin/calendar': { as: 'supervisor', bad: [{ url: '/admin/calendar?county=14109', field: 'county', text: '行政区划代码须为六位数字' }] },
      'GET /api/v1/deadline-rules': { as: 'supervisor', bad: [{ url: '/api/v1/deadline-rules?county=x', field: 'county' }, { url: '/api/v1/deadline-rules?x=1', field: 'x' }] },
      'GET /relatives': { as: 'supervisor', bad: [{ url: '/relatives?status=x', field: 'status' }, { url: '/relatives?townshipId=abc', field: 'townshipId' }] },
    };

    it('lists every GET route that takes query parameters', () => {
      const withQuery = listRoutes(t.app).filter((r) => r.method === 'GET' && r.takesQuery).map((r) => r.key).sort();
      expect(Object.keys(BAD).sort()).toEqual(withQuery);
      // and no controller reads the query string behind the decorators' back
      const dir = path.resolve(__dirname, '..', '..', 'src');
      const controllers = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.controller.ts'));
      for (const f of controllers) expect({ f, reads: /req\.query/.test(fs.readFileSync(path.join(dir, f), 'utf8')) }).toEqual({ f, reads: false });
    });

    const agents = new Map<string, Agent>();
    async function ask(role: 'operator' | 'supervisor' | null, url: string, json: boolean) {
      if (url.startsWith('/api/')) return t.http().get(url).set('Authorization', `Bearer ${role === 'supervisor' ? supervisor : operator}`);
      if (!role) return t.http().get(url);
      if (!agents.has(role)) agents.set(role, await signIn(t, role));
      const req = agents.get(role)!.get(url);
      return json ? req.set('Accept', 'application/json') : req;
    }

    for (const [route, { as, json, bad }] of Object.entries(BAD)) {
      it(`answers ${route} with 400 and the field for a bad value`, async () => {
        for (const b of bad) {
          const res = await ask(as, b.url, !!json);
          expect({ url: b.url, status: res.status }).toEqual({ url: b.url, status: 400 });
          if (b.url.startsWith('/api/') || json) {
            expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(b.field);
            expect(res.body.errors.find((e: { field: string }) => e.field === b.field).message).toMatch(/[\u4e00-\u9fff]/);
          } else if (b.text) {
            expect(res.text).toContain(b.text);
          } else {
            expect({ url: b.url, fieldMessage: new RegExp(`id="err-${b.field}"[^>]*>[^<]*[\\u4e00-\\u9fff]`).test(res.text) }).toEqual({ url: b.url, fieldMessage: true });
          }
        }
      });
    }

    it('still answers good values, and pages ignore parameters they do not know', async () => {
      const sup = await signIn(t, 'supervisor');
      expect((await sup.get('/cases?status=closed&utm=x')).status).toBe(200);
      expect((await sup.get('/referrals?status=referred')).status).toBe(200);
      expect((await sup.get('/reports/dashboard?from=2026-01-01&to=2026-06-30')).status).toBe(200);
      expect((await sup.get('/reports/weekly?date=2026-11-19')).status).toBe(200);
      expect((await sup.get('/relatives?status=active')).status).toBe(200);
      expect((await t.http().get('/api/v1/referrals?status=referred').set('Authorization', `Bearer ${supervisor}`)).status).toBe(200);
      expect((await t.http().get('/login?next=%2Fcases&expired=1')).text).toContain('登录已超时');
    });

    it('refuses __proto__ in a query string', async () => {
      const res = await t.http().get('/api/v1/cases?__proto__=x').set('Authorization', `Bearer ${supervisor}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('__proto__');
    });
  });
});
