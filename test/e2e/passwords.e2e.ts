import { createAdmin } from '../../src/cli/admin-create';
import { apiToken, createTestApp, csrfOf, DEMO_PASSWORD, signIn, TestApp } from '../utils/test-app';

/** Issue 9 §5 and ASVS 4.0.3 V2.1: where passwords are set, and users changing their own. */
describe('setting passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const hashOf = async (username: string) => (await t.dataSource.query('SELECT passwordHash FROM users WHERE username = ?', [username]))[0]?.passwordHash;

  describe('by the administrator', () => {
    it('refuses a common password next to the field and takes a Chinese passphrase without digits', async () => {
      const admin = await signIn(t, 'admin');
      const csrf = await csrfOf(admin, '/admin/users/new');
      const form = { _csrf: csrf, username: 'heping1', displayName: '何平', role: 'operator' };
      const common = await admin.post('/admin/users').type('form').send({ ...form, password: 'password1234' });
      expect(common.status).toBe(400);
      expect(common.text).toMatch(/id="err-password"[^>]*>这是常见密码/);
      expect(common.text).toContain('value="何平"');
      expect(common.text).not.toContain('password1234');
      expect(await hashOf('heping1')).toBeUndefined();
      const ok = await admin.post('/admin/users').type('form').send({ ...form, password: '清源县城关镇东大街十二号' });
      expect(ok.status).toBe(303);
      expect(await apiToken(t, 'heping1', '清源县城关镇东大街十二号')).toBeTruthy();
    });

    it('refuses a reset to an 11-character password and changes nothing', async () => {
      const admin = await signIn(t, 'admin');
      const [u] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'township2'`);
      const before = await hashOf('township2');
      const csrf = await csrfOf(admin, `/admin/users/${u.id}/edit`);
      const res = await admin.post(`/admin/users/${u.id}/password`).type('form').send({ _csrf: csrf, password: 'Abcdefgh123' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('密码至少12个字符');
      expect(await hashOf('township2')).toBe(before);
    });

    it('refuses a common password in admin:create', async () => {
      await expect(createAdmin(t.dataSource, { username: 'chief2', displayName: '张局长', password: 'administrator' })).rejects.toThrow('常见密码');
      await expect(createAdmin(t.dataSource, { username: 'chief2', displayName: '张局长', password: 'short pass' })).rejects.toThrow('至少12个字符');
      await createAdmin(t.dataSource, { username: 'chief2', displayName: '张局长', password: '县局的第一个系统管理员密码' });
      expect(await hashOf('chief2')).toMatch(/^\$argon2id\$/);
    });

    it('keeps the demo accounts signing in with demo1234: the rule applies when a password is set', async () => {
      expect(await apiToken(t, 'operator', DEMO_PASSWORD)).toBeTruthy();
    });
  });

  describe('修改密码 by the user', () => {
    it('is offered to every role', async () => {
      for (const role of ['operator', 'supervisor', 'township1', 'liaison', 'admin']) {
        const agent = await signIn(t, role);
        const page = await agent.get('/account/password');
        expect(page.status).toBe(200);
        expect(page.text).toContain('当前密码');
        expect((await agent.get('/home')).text).toContain('href="/account/password"');
      }
    });

    it('needs the current password, the new one twice and the CSRF token; refusals change nothing', async () => {
      const agent = await signIn(t, 'supervisor');
      const before = await hashOf('supervisor');
      const csrf = await csrfOf(agent, '/account/password');
      const wrong = await agent.post('/account/password').type('form').send({ _csrf: csrf, currentPassword: 'not-my-password', newPassword: '晚上九点以后不接工作电话', confirmPassword: '晚上九点以后不接工作电话' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toMatch(/id="err-currentPassword"[^>]*>当前密码不正确/);
      const mismatch = await agent.post('/account/password').type('form').send({ _csrf: csrf, currentPassword: DEMO_PASSWORD, newPassword: '晚上九点以后不接工作电话了', confirmPassword: '晚上九点以后不接工作电话' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('两次输入的新密码不一致');
      const common = await agent.post('/account/password').type('form').send({ _csrf: csrf, currentPassword: DEMO_PASSWORD, newPassword: 'qwertyuiop12', confirmPassword: 'qwertyuiop12' });
      expect(common.status).toBe(400);
      expect(common.text).toContain('这是常见密码');
      const noToken = await agent.post('/account/password').type('form').send({ currentPassword: DEMO_PASSWORD, newPassword: '晚上九点以后不接工作电话了', confirmPassword: '晚上九点以后不接工作电话了' });
      expect(noToken.status).toBe(403);
      expect(await hashOf('supervisor')).toBe(before);
    });

    it('changes the password, ends the user’s other sessions and tokens, keeps this one and audits it', async () => {
      const other = await signIn(t, 'liaison');
      const token = await apiToken(t, 'liaison');
      const agent = await signIn(t, 'liaison');
      const csrf = await csrfOf(agent, '/account/password');
      const [{ id }] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
      const [{ n: sessions }] = await t.dataSource.query('SELECT COUNT(*) n FROM sessions WHERE userId = ?', [id]);
      const [{ n: tokens }] = await t.dataSource.query('SELECT COUNT(*) n FROM api_tokens WHERE userId = ?', [id]);
      expect(sessions).toBeGreaterThanOrEqual(2);
      const next = '纪检联络员的新密码 2026';
      const res = await agent.post('/account/password').type('form').send({ _csrf: csrf, currentPassword: DEMO_PASSWORD, newPassword: next, confirmPassword: next });
      expect(res.status).toBe(303);
      expect((await agent.get(res.headers.location)).text).toContain('密码已修改');
      expect((await agent.get('/referrals')).status).toBe(200);
      expect((await other.get('/referrals')).status).toBe(303);
      expect((await t.http().get('/api/v1/referrals').set('Authorization', `Bearer ${token}`)).status).toBe(401);
      expect((await t.http().post('/api/v1/auth/login').send({ username: 'liaison', password: DEMO_PASSWORD })).status).toBe(401);
      expect(await apiToken(t, 'liaison', next)).toBeTruthy();
      const [audit] = await t.dataSource.query(`SELECT action, detail FROM audit_events WHERE action = 'user.changePassword' ORDER BY id DESC LIMIT 1`);
      // every session but this one, and every token
      expect(JSON.parse(audit.detail).ended).toBe(sessions - 1 + tokens);
      expect((await t.dataSource.query('SELECT COUNT(*) n FROM sessions WHERE userId = ?', [id]))[0].n).toBe(1);
    });
  });
});
