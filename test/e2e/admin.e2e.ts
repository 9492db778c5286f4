import { apiToken, createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

describe('administration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps other roles out of the admin pages', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get('/admin/users');
    expect(res.status).toBe(403);
    expect(res.text).toContain('您的角色无权使用此功能');
  });

  it('creates a township user who can then sign in', async () => {
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/users/new');
    const res = await admin
      .post('/admin/users')
      .type('form')
      .send({ _csrf: csrf, username: 'longquan1', displayName: '周海燕', role: 'township', townshipId: '3', password: 'Longquan-river-2026' });
    expect(res.status).toBe(303);
    const list = await admin.get('/admin/users');
    expect(list.text).toContain('longquan1');
    expect(list.text).toContain('龙泉镇');
    const token = await apiToken(t, 'longquan1', 'Longquan-river-2026');
    expect(token).toBeTruthy();
  });

  it('refuses a township user without a township, a weak password and a taken name', async () => {
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/users/new');
    const res = await admin.post('/admin/users').type('form').send({ _csrf: csrf, username: 'operator', displayName: '重名', role: 'township', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('密码至少12个字符');
    expect(res.text).toContain('value="重名"');
    const res2 = await admin.post('/admin/users').type('form').send({ _csrf: csrf, username: 'operator', displayName: '重名', role: 'township', password: 'Longer-passphrase-2026' });
    expect(res2.text).toContain('该用户名已被使用');
    expect(res2.text).toContain('乡镇民政助理员须选择所属乡镇');
  });

  it('creates a name once when the same new user is sent twice at once', async () => {
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/users/new');
    const send = () =>
      admin.post('/admin/users').type('form').send({ _csrf: csrf, username: 'twice1', displayName: '王双', role: 'operator', password: 'Sent-twice-at-once-2026' });
    const statuses = (await Promise.all([send(), send(), send()])).map((r) => ({ status: r.status, taken: r.text.includes('该用户名已被使用') }));
    expect(statuses.filter((s) => s.status === 303)).toHaveLength(1);
    // the others are told why, next to the field, never a server error
    expect(statuses.filter((s) => s.status === 400 && s.taken)).toHaveLength(2);
    expect(await t.dataSource.query(`SELECT COUNT(*) AS n FROM users WHERE username = 'twice1'`)).toEqual([{ n: 1 }]);
  });

  it('disables a user, ending their sessions and refusing sign-in', async () => {
    const victim = await signIn(t, 'liaison');
    expect((await victim.get('/home')).status).toBe(200);
    const admin = await signIn(t, 'admin');
    const [u] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
    const csrf = await csrfOf(admin, `/admin/users/${u.id}/edit`);
    expect((await admin.post(`/admin/users/${u.id}/disable`).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await victim.get('/home')).status).toBe(303);
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'liaison', password: 'demo1234' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('用户名或密码不正确');
    expect((await admin.post(`/admin/users/${u.id}/enable`).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await t.http().post('/api/v1/auth/login').send({ username: 'liaison', password: 'demo1234' })).status).toBe(200);
  });

  it('resets a password so only the new one works', async () => {
    const admin = await signIn(t, 'admin');
    const [u] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'township2'`);
    const csrf = await csrfOf(admin, `/admin/users/${u.id}/edit`);
    expect((await admin.post(`/admin/users/${u.id}/password`).type('form').send({ _csrf: csrf, password: 'New pass for 2026 spring' })).status).toBe(303);
    expect((await t.http().post('/api/v1/auth/login').send({ username: 'township2', password: 'demo1234' })).status).toBe(401);
    expect((await t.http().post('/api/v1/auth/login').send({ username: 'township2', password: 'New pass for 2026 spring' })).status).toBe(200);
  });

  it('changes a role and township', async () => {
    const admin = await signIn(t, 'admin');
    const [u] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'township1'`);
    const csrf = await csrfOf(admin, `/admin/users/${u.id}/edit`);
    const res = await admin.post(`/admin/users/${u.id}`).type('form').send({ _csrf: csrf, displayName: '李晓梅', role: 'township', townshipId: '4' });
    expect(res.status).toBe(303);
    const [after] = await t.dataSource.query(`SELECT townshipId FROM users WHERE id = ?`, [u.id]);
    expect(after.townshipId).toBe(4);
    const [audit] = await t.dataSource.query(`SELECT action FROM audit_events WHERE targetId = ? ORDER BY id DESC LIMIT 1`, [String(u.id)]);
    expect(audit.action).toBe('user.update');
  });

  it('adds a township and a village, and refuses a duplicate village', async () => {
    const admin = await signIn(t, 'admin');
    let csrf = await csrfOf(admin, '/admin/townships');
    const res = await admin.post('/admin/townships').type('form').send({ _csrf: csrf, code: '141099199', name: '新设镇', sortOrder: '50' });
    expect(res.status).toBe(303);
    const [tw] = await t.dataSource.query(`SELECT id FROM townships WHERE name = '新设镇'`);
    csrf = await csrfOf(admin, `/admin/townships/${tw.id}`);
    expect((await admin.post(`/admin/townships/${tw.id}/villages`).type('form').send({ _csrf: csrf, name: '新村', type: '村' })).status).toBe(303);
    const dup = await admin.post(`/admin/townships/${tw.id}/villages`).type('form').send({ _csrf: csrf, name: '新村', type: '村' });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('该乡镇下已有同名村（社区）');
    const page = await admin.get(`/admin/townships/${tw.id}`);
    expect(page.text).toContain('新村');
    const bad = await admin.post('/admin/townships').type('form').send({ _csrf: csrf, code: 'abc', name: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('区划代码应为6至12位数字');
  });

  it('refuses a township whose division code lies in another county', async () => {
    const admin = await signIn(t, 'admin');
    const csrf = await csrfOf(admin, '/admin/townships');
    const res = await admin.post('/admin/townships').type('form').send({ _csrf: csrf, code: '141098150', name: '邻县镇', sortOrder: '51' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('区划代码应以本县代码 141099 开头');
    await expect(t.dataSource.query(`SELECT id FROM townships WHERE code = '141098150'`)).resolves.toEqual([]);
  });
});
