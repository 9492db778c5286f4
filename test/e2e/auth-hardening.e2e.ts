import request from 'supertest';
import { passwords } from '../../src/auth/passwords';
import { IP_MAX_FAILURES } from '../../src/auth/login-throttle.service';
import { FixedClock } from '../../src/common/clock';
import { DbWriter } from '../../src/database/db-writer.service';
import { TEST_CLOCK_START, TEST_START } from '../utils/clock';
import { apiToken, createTestApp, csrfFrom, DEMO_PASSWORD, signIn, TestApp } from '../utils/test-app';

/** Issue 9 §5: sessions, tokens and sign-in refusals. */
describe('sessions, tokens and sign-in refusals', () => {
  let t: TestApp;
  const clock = new FixedClock(TEST_START);
  beforeAll(async () => {
    // behind a proxy, so each test can sign in from its own address (X-Forwarded-For)
    t = await createTestApp({ clock, env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    delete process.env.TRUST_PROXY;
    await t.close();
  });

  describe('absolute lifetimes', () => {
    it('ends a session 12 hours after sign-in however busy it is', async () => {
      const agent = await signIn(t, 'supervisor');
      // a request every 20 minutes keeps it from idling out
      for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
        clock.advance(20 * 60_000);
        expect((await agent.get('/home')).status).toBe(200);
      }
      clock.advance(20 * 60_000);
      const res = await agent.get('/home');
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('/login');
    });

    it('ends an API token 12 hours after it was issued however busy it is', async () => {
      const token = await apiToken(t, 'operator');
      // a missing case: 404 while the token holds, 401 once it does not
      const call = () => t.http().get('/api/v1/cases/JZ2099-000001').set('Authorization', `Bearer ${token}`);
      for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
        clock.advance(20 * 60_000);
        expect((await call()).status).toBe(404);
      }
      clock.advance(20 * 60_000);
      expect((await call()).status).toBe(401);
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('revokes the token it is called with, and only that one', async () => {
      const token = await apiToken(t, 'township1');
      const other = await apiToken(t, 'township1');
      const out = await t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`);
      expect(out.status).toBe(204);
      expect((await t.http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${token}`)).status).toBe(401);
      expect((await t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(401);
      expect((await t.http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${other}`)).status).toBe(200);
    });
  });

  describe('the per-address limit', () => {
    it(`pauses an address after ${IP_MAX_FAILURES} failures across accounts, as docs/DESIGN.md says`, async () => {
      expect(IP_MAX_FAILURES).toBe(30);
      const from = '198.51.100.7';
      for (let i = 0; i < 30; i++) {
        // 30 names, one guess each: no account reaches its own limit of 5
        const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username: `spray${i}`, password: 'Spring2026!' });
        expect(res.status).toBe(401);
      }
      const right = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username: 'operator', password: DEMO_PASSWORD });
      expect(right.status).toBe(429);
      // another address of the same office is not affected
      expect((await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', '198.51.100.8').send({ username: 'operator', password: DEMO_PASSWORD })).status).toBe(200);
    });
  });

  describe('refusing an unknown and a known user', () => {
    /** Counts argon2 verifies and write transactions (nested writes join their outer one). */
    function meter() {
      const writer = t.app.get(DbWriter);
      const original = writer.write.bind(writer);
      let depth = 0;
      const counts = { verify: 0, writes: 0 };
      const realVerify = passwords.verify.bind(passwords);
      const verify = jest.spyOn(passwords, 'verify').mockImplementation((hash, pw) => {
        counts.verify++;
        return realVerify(hash, pw);
      });
      const write = jest.spyOn(writer, 'write').mockImplementation(((work: Parameters<DbWriter['write']>[0]) => {
        if (depth === 0) counts.writes++;
        return original(async (m) => {
          depth++;
          try {
            return await work(m);
          } finally {
            depth--;
          }
        });
      }) as DbWriter['write']);
      return {
        counts,
        reset: () => Object.assign(counts, { verify: 0, writes: 0 }),
        restore: () => {
          verify.mockRestore();
          write.mockRestore();
        },
      };
    }
    const attempt = (username: string, from: string, password = 'wrong-password-1') =>
      t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });

    it('does the same work for an unknown name, a wrong password and a disabled account', async () => {
      await t.dataSource.query(`UPDATE users SET disabled = TRUE WHERE username = 'liaison'`);
      const m = meter();
      try {
        const work: Record<string, { status: number; verify: number; writes: number }> = {};
        for (const [name, username] of [['unknown', 'nobody-here'], ['wrong password', 'supervisor'], ['disabled', 'liaison']]) {
          m.reset();
          const res = await attempt(username, '203.0.113.10');
          work[name] = { status: res.status, verify: m.counts.verify, writes: m.counts.writes };
          expect(res.body.message).toBe('用户名或密码不正确');
        }
        expect(work).toEqual({
          unknown: { status: 401, verify: 1, writes: 1 },
          'wrong password': { status: 401, verify: 1, writes: 1 },
          disabled: { status: 401, verify: 1, writes: 1 },
        });
        // paused: no verify for either, one write each
        for (let i = 0; i < 5; i++) await attempt('admin', '203.0.113.11');
        for (let i = 0; i < 5; i++) await attempt('ghost-user', '203.0.113.12');
        const paused: Record<string, { status: number; verify: number; writes: number }> = {};
        for (const [name, username, from] of [['known', 'admin', '203.0.113.11'], ['unknown', 'ghost-user', '203.0.113.12']]) {
          m.reset();
          const res = await attempt(username, from);
          paused[name] = { status: res.status, verify: m.counts.verify, writes: m.counts.writes };
        }
        expect(paused).toEqual({ known: { status: 429, verify: 0, writes: 1 }, unknown: { status: 429, verify: 0, writes: 1 } });
      } finally {
        m.restore();
        await t.dataSource.query(`UPDATE users SET disabled = FALSE WHERE username = 'liaison'`);
      }
    });

    it('takes about as long for an unknown name as for a wrong password', async () => {
      const times: Record<'unknown' | 'known', number[]> = { unknown: [], known: [] };
      for (let i = 0; i < 12; i++) {
        for (const kind of i % 2 ? (['unknown', 'known'] as const) : (['known', 'unknown'] as const)) {
          await t.dataSource.query('DELETE FROM login_throttles'); // each attempt as the first
          const started = performance.now();
          const res = await attempt(kind === 'known' ? 'operator' : `no-such-user-${i}`, `203.0.113.${100 + i}`);
          times[kind].push(performance.now() - started);
          expect(res.status).toBe(401);
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const [u, k] = [median(times.unknown), median(times.known)];
      // wide, for a shared machine: a missing argon2 verify (most of the time) would cut one by far more
      expect(Math.abs(u - k)).toBeLessThan(Math.max(u, k) * 0.6);
    });
  });
});

describe('the session cookie in production', () => {
  afterEach(() => {
    process.env.NODE_ENV = 'test';
    process.env.CLOCK_START = TEST_CLOCK_START;
    delete process.env.SESSION_SECRET;
    delete process.env.TRUST_PROXY;
    delete process.env.JOBS;
  });
  const cookieOf = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('duban.sid='));

  it('is Secure even without TRUST_PROXY, so it is never sent over plain HTTP', async () => {
    delete process.env.CLOCK_START; // refused in production
    const t = await createTestApp({ env: { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), JOBS: '0' } });
    try {
      const res = await t.http().get('/login');
      expect(res.status).toBe(200);
      expect(cookieOf(res)).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('is Secure and HttpOnly behind a TLS proxy', async () => {
    delete process.env.CLOCK_START;
    const t = await createTestApp({ env: { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), JOBS: '0', TRUST_PROXY: '1' } });
    try {
      const agent = request.agent(t.app.getHttpServer());
      const page = await agent.get('/login').set('X-Forwarded-Proto', 'https');
      const cookie = cookieOf(page)!;
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).not.toMatch(/Expires|Max-Age/i);
      expect(csrfFrom(page.text)).toBeTruthy();
    } finally {
      await t.close();
    }
  });
});

/**
 * Issue 11: several instances on one database. Sessions, API tokens and throttle counts are rows
 * of that database, not state of a process, so what one instance starts, counts or ends holds on
 * the other at once.
 */
describe('two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  const clock = new FixedClock(TEST_START);
  beforeAll(async () => {
    a = await createTestApp({ clock, env: { TRUST_PROXY: '1' } });
    b = await createTestApp({ target: a.target, clock, env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    delete process.env.TRUST_PROXY;
    await b.close();
    await a.close();
  });
  const sessionCookie = (res: request.Response) =>
    ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('duban.sid='))?.split(';')[0];

  it('shares sessions: signed in on one, signed in on the other; signed out on the other, out on both', async () => {
    const page = await a.http().get('/login');
    const res = await a.http().post('/login').set('Cookie', sessionCookie(page)!).type('form').send({ username: 'supervisor', password: DEMO_PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    const cookie = sessionCookie(res)!;
    const onB = await b.http().get('/cases').set('Cookie', cookie);
    expect(onB.status).toBe(200);
    // the CSRF token lives in the session too: a form from B's page is accepted by A
    const out = await a.http().post('/logout').set('Cookie', cookie).type('form').send({ _csrf: csrfFrom(onB.text) });
    expect(out.status).toBe(303);
    for (const t of [a, b]) expect((await t.http().get('/cases').set('Cookie', cookie)).status).toBe(303);
  });

  it('keeps sessions signed in at once on one instance, used at once on the other', async () => {
    const users = ['operator', 'supervisor', 'township1', 'township2', 'liaison'];
    const signInOnA = async (username: string) => {
      const page = await a.http().get('/login');
      const res = await a.http().post('/login').set('Cookie', sessionCookie(page)!).type('form').send({ username, password: DEMO_PASSWORD, _csrf: csrfFrom(page.text) });
      return { status: res.status, cookie: sessionCookie(res)! };
    };
    const signedIn = await Promise.all([...users, ...users].map(signInOnA));
    expect(signedIn.map((s) => s.status)).toEqual(Array(10).fill(303));
    expect(new Set(signedIn.map((s) => s.cookie)).size).toBe(10);
    // each request writes its session's expiry (a minute on): ten writes at once
    clock.advance(2 * 60_000);
    const homes = await Promise.all(signedIn.map((s) => b.http().get('/home').set('Cookie', s.cookie)));
    expect(homes.map((r) => r.status)).toEqual(Array(10).fill(200));
    const names = new Map<string, string>((await a.dataSource.query('SELECT username, displayName FROM users')).map((u: { username: string; displayName: string }) => [u.username, u.displayName]));
    // each session is its own user's
    expect(homes.map((r, i) => r.text.includes(`${names.get(users[i % 5])}（`))).toEqual(Array(10).fill(true));
  });

  it('shares API tokens: issued by one, taken by the other; revoked on the other, refused by both', async () => {
    const token = await apiToken(a, 'operator');
    const call = (t: TestApp) => t.http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${token}`);
    expect((await call(b)).status).toBe(200);
    expect((await b.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    expect((await call(a)).status).toBe(401);
    expect((await call(b)).status).toBe(401);
  });

  it('counts failed sign-ins together: five on one instance pause the account on the other', async () => {
    const from = '192.0.2.20';
    for (let i = 0; i < 5; i++) {
      expect((await a.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username: 'township1', password: `bad-guess-${i}` })).status).toBe(401);
    }
    const right = await b.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username: 'township1', password: DEMO_PASSWORD });
    expect(right.status).toBe(429);
  });

  it('lets no more than five guesses through when they arrive at once at both instances', async () => {
    // at once on each instance, one instance after the other: the count is the database's
    const burst = (t: TestApp, from: number) =>
      Promise.all(Array.from({ length: 10 }, (_, i) => t.http().post('/api/v1/auth/login').set('X-Forwarded-For', '192.0.2.21').send({ username: 'township2', password: `parallel-guess-${from + i}` })));
    const statuses = [...(await burst(a, 0)), ...(await burst(b, 10))].map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('counts wrong status lookups together: a case refused on one instance is refused on the other', async () => {
    const [{ caseNo }] = await a.dataSource.query(`SELECT caseNo FROM cases ORDER BY id LIMIT 1`);
    const lookup = async (t: TestApp, code: string) => {
      const page = await t.http().get('/lookup');
      return t.http().post('/lookup').set('Cookie', sessionCookie(page) ?? '').set('X-Forwarded-For', '192.0.2.22').type('form').send({ caseNo, code, _csrf: csrfFrom(page.text) });
    };
    for (let i = 0; i < 5; i++) expect((await lookup(a, `00000${i}`)).status).toBe(400);
    expect((await lookup(b, '000009')).status).toBe(429);
  });
});
