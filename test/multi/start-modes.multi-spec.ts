import { TEST_CLOCK_START } from '../utils/clock';
import { createAdmin } from '../../src/cli/admin-create';
import { apiToken, createTestApp } from '../utils/test-app';

describe('start-up on an empty database', () => {
  afterEach(() => {
    process.env.NODE_ENV = 'test';
    process.env.DEMO_DATA = '0';
    process.env.CLOCK_START = TEST_CLOCK_START;
    delete process.env.SESSION_SECRET;
  });

  it('seeds the demo county, its users and a year of cases in demo mode', async () => {
    const t = await createTestApp({ db: 'empty', env: { NODE_ENV: 'development', DEMO_DATA: '1' } });
    try {
      const q = (sql: string) => t.dataSource.query(sql);
      expect((await q('SELECT COUNT(*) n FROM townships'))[0].n).toBeGreaterThanOrEqual(10);
      const noVillages = await q('SELECT t.name FROM townships t LEFT JOIN villages v ON v.townshipId = t.id GROUP BY t.id HAVING COUNT(v.id) = 0');
      expect(noVillages).toEqual([]);
      const users = (await q('SELECT username FROM users ORDER BY username')).map((r: { username: string }) => r.username);
      expect(users).toEqual(['admin', 'liaison', 'operator', 'shi', 'supervisor', 'township1', 'township2']);
      // the prefecture's supervisor above the demo county
      expect(await q("SELECT regionCode FROM users WHERE username = 'shi'")).toEqual([{ regionCode: '141000' }]);
      expect((await q('SELECT COUNT(*) n FROM cases'))[0].n).toBeGreaterThanOrEqual(200);
      for (const col of ['channel', 'kind', 'program', 'status']) {
        expect((await q(`SELECT COUNT(DISTINCT ${col}) n FROM cases`))[0].n).toBeGreaterThanOrEqual(4);
      }
      expect((await q('SELECT COUNT(DISTINCT problemType) n FROM case_problem_types'))[0].n).toBeGreaterThanOrEqual(8);
      const [span] = await q(`SELECT julianday(MAX(receivedAt)) - julianday(MIN(receivedAt)) AS days FROM cases`);
      expect(span.days).toBeGreaterThan(300);
      expect(span.days).toBeLessThanOrEqual(366);
      // every case has its whole history: one row per status it went through
      const [orphans] = await q(`SELECT COUNT(*) n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_history h WHERE h.caseId = c.id AND h.type = 'created')`);
      expect(orphans.n).toBe(0);
      const [mismatch] = await q(
        `SELECT COUNT(*) n FROM cases c WHERE c.status <> (SELECT COALESCE(h.toStatus, '') FROM case_history h WHERE h.caseId = c.id ORDER BY h.id DESC LIMIT 1)`,
      );
      expect(mismatch.n).toBe(0);
      // every role has work: leads with the liaison at each step, registrations, a spot check
      const leads = (await q(`SELECT r.status FROM referrals r JOIN users u ON u.id = r.handlerId WHERE u.username = 'liaison' ORDER BY r.id`)).map((r: { status: string }) => r.status);
      expect(leads).toEqual(['referred', 'acknowledged', 'disposed', 'resultReturned']);
      const [openSignFor] = await q(`SELECT COUNT(*) n FROM case_deadlines WHERE stage = 'liaisonAcknowledge' AND status = 'open'`);
      expect(openSignFor.n).toBe(1);
      expect((await q(`SELECT COUNT(*) n FROM relative_registrations WHERE endedAt IS NULL`))[0].n).toBe(3);
      const [spot] = await q(`SELECT COUNT(*) items, COUNT(i.result) checked FROM spot_check_items i`);
      expect(spot.items).toBeGreaterThanOrEqual(4);
      expect(spot.checked).toBe(4);
      expect((await q(`SELECT COUNT(*) n FROM cases WHERE repeatOfId IS NOT NULL`))[0].n).toBe(3);
      expect(await apiToken(t, 'township1')).toBeTruthy();
    } finally {
      await t.close();
    }
  });

  it('seeds nothing in production, and the first admin comes from admin:create', async () => {
    delete process.env.CLOCK_START; // refused in production: it runs on the real clock
    const t = await createTestApp({ db: 'empty', env: { NODE_ENV: 'production', DEMO_DATA: '1', SESSION_SECRET: 'p'.repeat(40) } });
    try {
      expect((await t.dataSource.query('SELECT COUNT(*) n FROM users'))[0].n).toBe(0);
      expect((await t.dataSource.query('SELECT COUNT(*) n FROM cases'))[0].n).toBe(0);
      const login = await t.http().get('/login');
      expect(login.text).not.toContain('demo1234');
      await expect(createAdmin(t.dataSource, { username: 'chief', displayName: '张局长', password: 'short' })).rejects.toThrow('密码至少12个字符');
      await createAdmin(t.dataSource, { username: 'chief', displayName: '张局长', password: 'Qingyuan county bureau 2026' });
      await expect(createAdmin(t.dataSource, { username: 'chief', displayName: '张局长', password: 'Qingyuan county bureau 2026' })).rejects.toThrow('已存在');
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'chief', password: 'Qingyuan county bureau 2026' });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe('admin');
    } finally {
      await t.close();
    }
  });
});
