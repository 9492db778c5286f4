import request from 'supertest';
import { onPostgres } from '../utils/engine';
import { createTestApp, csrfFrom, TestApp } from '../utils/test-app';

/** Issue 9 §5: unauthenticated requests cannot grow the database. */
describe('sign-in and lookup throttles under oversized input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const big = (c: string) => c.repeat(100 * 1024);
  async function throttleSize(): Promise<{ rows: number; bytes: number }> {
    const [r] = await t.dataSource.query('SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(key)), 0) AS bytes FROM login_throttles');
    return r;
  }
  /** The database's own pages: SQLite's file (its WAL folded in), PostgreSQL's tables, indexes and TOAST. */
  async function fileBytes(): Promise<number> {
    if (onPostgres) {
      // main forks only: free-space and visibility maps are added by autovacuum, not by requests
      const [{ bytes }] = await t.dataSource.query(
        `SELECT COALESCE(SUM(pg_relation_size(c.oid, 'main')), 0)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')`,
      );
      return bytes;
    }
    await t.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    const [{ page_count }] = await t.dataSource.query('PRAGMA page_count');
    const [{ page_size }] = await t.dataSource.query('PRAGMA page_size');
    return page_count * page_size;
  }

  it('stores nothing for 200 sign-ins with a 100 kB user name, and says why next to the field', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const token = csrfFrom((await agent.get('/login')).text);
    const before = await throttleSize();
    const sizeBefore = await fileBytes();
    let last: request.Response | undefined;
    for (let i = 0; i < 200; i++) {
      last = await agent.post('/login').type('form').send({ username: big(String.fromCharCode(97 + (i % 26))) + i, password: 'whatever-password', _csrf: token });
      expect(last.status).toBe(400);
    }
    expect(last!.text).toContain('用户名为字母、数字或 _ . -，不超过40位');
    // the 100 kB is not sent back either
    expect(last!.text.length).toBeLessThan(50_000);
    expect(await throttleSize()).toEqual(before);
    expect((await fileBytes()) - sizeBefore).toBeLessThan(64 * 1024);
  });

  it('stores nothing for 200 API sign-ins with a 100 kB user name', async () => {
    const before = await throttleSize();
    for (let i = 0; i < 200; i++) {
      const res = await t.http().post('/api/v1/auth/login').send({ username: big('u') + i, password: 'whatever-password' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('username');
    }
    expect(await throttleSize()).toEqual(before);
  });

  it('stores nothing for 200 status lookups with a 100 kB case number', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const token = csrfFrom((await agent.get('/lookup')).text);
    const before = await throttleSize();
    const sizeBefore = await fileBytes();
    let last: request.Response | undefined;
    for (let i = 0; i < 200; i++) {
      last = await agent.post('/lookup').type('form').send({ caseNo: `JZ2026-${big('0')}${i}`, code: '123456', _csrf: token });
      expect(last.status).toBe(400);
    }
    expect(last!.text).toContain('案件编号格式应如 JZ2026-141099-000123');
    expect(await throttleSize()).toEqual(before);
    expect((await fileBytes()) - sizeBefore).toBeLessThan(64 * 1024);
  });

  it('keys every throttle row by a fixed-length hash, never by the typed text', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const token = csrfFrom((await agent.get('/login')).text);
    const name = 'zhangsan-' + 'x'.repeat(31);
    expect((await agent.post('/login').type('form').send({ username: name, password: 'some-password', _csrf: token })).status).toBe(401);
    const lookupToken = csrfFrom((await agent.get('/lookup')).text);
    expect((await agent.post('/lookup').type('form').send({ caseNo: 'JZ2099-123456', code: '654321', _csrf: lookupToken })).status).toBe(400);
    const keys: string[] = (await t.dataSource.query('SELECT key FROM login_throttles')).map((r: { key: string }) => r.key);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const k of keys) expect(k).toMatch(/^(user|ip|lookup-ip|lookup-case):[0-9a-f]{64}$/);
    expect(keys.join(' ')).not.toContain('zhangsan');
    expect(keys.join(' ')).not.toContain('JZ2099');
  });

  it('reads a case number typed in full-width characters', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const token = csrfFrom((await agent.get('/lookup')).text);
    const res = await agent.post('/lookup').type('form').send({ caseNo: 'ｊｚ２０９９－１２３４５６', code: '６５４３２１', _csrf: token });
    // a well-formed number: the ordinary "not found" answer, not a format message
    expect(res.status).toBe(400);
    expect(res.text).toContain('案件编号或查询码不正确');
  });
});
