import { TEST_START } from '../utils/clock';
import request from 'supertest';
import { FixedClock } from '../../src/common/clock';
import { apiToken, createTestApp, csrfFrom, csrfOf, DEMO_PASSWORD, signIn, TestApp } from '../utils/test-app';

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('duban.sid='))?.split(';')[0];
}

describe('sign-in and access', () => {
  let t: TestApp;
  const clock = new FixedClock(TEST_START);
  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(() => t.close());

  it('sends a visitor without a session to the login page', async () => {
    const res = await t.http().get('/cases');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fcases');
  });

  it('gives the same message for an unknown user and a wrong password', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const token = csrfFrom((await agent.get('/login')).text);
    const unknown = await agent.post('/login').type('form').send({ username: 'nobody', password: 'whatever1', _csrf: token });
    const wrong = await agent.post('/login').type('form').send({ username: 'supervisor', password: 'wrong-pass1', _csrf: token });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text).toContain('用户名或密码不正确');
    expect(wrong.text).toContain('用户名或密码不正确');
    // the typed user name is kept, the password is not
    expect(wrong.text).toContain('value="supervisor"');
    expect(wrong.text).not.toContain('wrong-pass1');
  });

  it('gives a new session id at sign-in', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/login');
    const before = sessionCookie(page);
    const res = await agent.post('/login').type('form').send({ username: 'operator', password: DEMO_PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/cases/new');
    const after = sessionCookie(res);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('refuses a form posted without a CSRF token and changes nothing', async () => {
    const agent = await signIn(t, 'operator');
    const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM cases');
    const res = await agent.post('/cases').type('form').send({ channel: 'hotline', kind: 'consultation', program: 'other', reporterType: 'anonymous', content: '咨询低保申请条件和材料' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('页面已过期');
    const after = await t.dataSource.query('SELECT COUNT(*) AS n FROM cases');
    expect(after[0].n).toBe(before[0].n);
  });

  it('refuses a sign-in form without a CSRF token', async () => {
    const res = await t.http().post('/login').type('form').send({ username: 'operator', password: DEMO_PASSWORD });
    expect(res.status).toBe(403);
  });

  it('throttles the sixth wrong password without locking other users out', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const token = csrfFrom((await agent.get('/login')).text);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await agent.post('/login').type('form').send({ username: 'township2', password: `bad-guess-${i}`, _csrf: token });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // even the right password waits now
    const right = await agent.post('/login').type('form').send({ username: 'township2', password: DEMO_PASSWORD, _csrf: token });
    expect(right.status).toBe(429);
    expect(right.text).toContain('登录失败次数过多');
    // a colleague at the same address signs in normally
    const other = await agent.post('/login').type('form').send({ username: 'township1', password: DEMO_PASSWORD, _csrf: token });
    expect(other.status).toBe(303);
    // and after the pause the account works again
    clock.advance(16 * 60_000);
    const later = request.agent(t.app.getHttpServer());
    const laterToken = csrfFrom((await later.get('/login')).text);
    const res = await later.post('/login').type('form').send({ username: 'township2', password: DEMO_PASSWORD, _csrf: laterToken });
    expect(res.status).toBe(303);
  });

  it('lets no more than five guesses through when they arrive all at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.http().post('/api/v1/auth/login').send({ username: 'admin', password: `parallel-guess-${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('throttles the API login the same way', async () => {
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/auth/login').send({ username: 'liaison', password: 'nope-nope1' });
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'liaison', password: DEMO_PASSWORD });
    expect(res.status).toBe(429);
    expect(res.body.message).toContain('登录失败次数过多');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('ends a session after 30 idle minutes', async () => {
    const agent = await signIn(t, 'supervisor');
    expect((await agent.get('/cases')).status).toBe(200);
    clock.advance(29 * 60_000);
    expect((await agent.get('/cases')).status).toBe(200);
    clock.advance(31 * 60_000);
    const res = await agent.get('/cases');
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('/login');
  });

  it('clears expired sessions and tokens at the next sign-in', async () => {
    const past = new Date(clock.now().getTime() - 3600_000);
    await t.dataSource.query(`INSERT INTO sessions (sid, userId, data, expiresAt) VALUES ('stale-session', NULL, '{}', ?)`, [past.toISOString().replace('T', ' ').replace('Z', '')]);
    await signIn(t, 'operator');
    const rows = await t.dataSource.query(`SELECT sid FROM sessions WHERE sid = 'stale-session'`);
    expect(rows).toEqual([]);
  });

  it('signs out and forgets the session', async () => {
    const agent = await signIn(t, 'supervisor');
    const token = await csrfOf(agent, '/cases');
    const out = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(out.status).toBe(303);
    expect((await agent.get('/cases')).status).toBe(303);
  });

  it('sends security headers and a script policy without inline scripts', async () => {
    const res = await t.http().get('/login');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('shows demo accounts only in demo mode', async () => {
    const res = await t.http().get('/login');
    expect(res.text).not.toContain('demo1234');
  });

  it('answers the API with 401 without a token or with a bad one', async () => {
    expect((await t.http().get('/api/v1/cases')).status).toBe(401);
    const bad = await t.http().get('/api/v1/cases').set('Authorization', 'Bearer not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.body.message).toMatch(/登录/);
  });

  it('does not accept a browser session on the API, whatever the letter case of the path', async () => {
    const agent = await signIn(t, 'operator');
    expect((await agent.get('/api/v1/cases')).status).toBe(401);
    expect((await agent.get('/API/v1/cases')).status).toBe(401);
    expect((await agent.get('/Api/V1/Cases')).status).toBe(401);
  });

  it('expires an API token after 30 idle minutes', async () => {
    const token = await apiToken(t, 'operator');
    expect((await t.http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    clock.advance(31 * 60_000);
    expect((await t.http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('keeps an admin out of case contents', async () => {
    const agent = await signIn(t, 'admin');
    expect((await agent.get('/cases')).status).toBe(403);
    const token = await apiToken(t, 'admin');
    expect((await t.http().get('/api/v1/cases').set('Authorization', `Bearer ${token}`)).status).toBe(403);
  });
});

describe('demo mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_DATA: '1', NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    process.env.DEMO_DATA = '0';
    process.env.NODE_ENV = 'test';
    await t.close();
  });

  it('lists the demo accounts and password on the login page', async () => {
    const res = await t.http().get('/login');
    expect(res.text).toContain('demo1234');
    for (const u of ['admin', 'operator', 'supervisor', 'liaison', 'township1', 'township2']) expect(res.text).toContain(`<code>${u}</code>`);
  });
});
