import { shanghaiDate } from '../../src/common/time';
import { testNow } from '../utils/clock';
import { complaintBody, helpRequestBody, uniqueMobile } from '../factories/case.factory';
import { countCases, markAssigned } from '../utils/cases';
import { apiToken, createTestApp, TestApp } from '../utils/test-app';

describe('cases API', () => {
  let t: TestApp;
  let operator: string;
  let township1: string;
  let township2: string;
  beforeAll(async () => {
    t = await createTestApp();
    operator = await apiToken(t, 'operator');
    township1 = await apiToken(t, 'township1');
    township2 = await apiToken(t, 'township2');
  });
  afterAll(() => t.close());

  const post = (token: string, body: object) => t.http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(body);
  const get = (token: string, url: string) => t.http().get(url).set('Authorization', `Bearer ${token}`);

  it('answers health once the database answers', async () => {
    const res = await t.http().get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('logs a case and gives it a readable number', async () => {
    const res = await post(operator, helpRequestBody({ reporterName: '马秀兰' }));
    expect(res.status).toBe(201);
    expect(res.body.caseNo).toMatch(/^JZ\d{4}-141099-\d{6}$/);
    expect(res.body.status).toBe('registered');
    expect(res.body.reporter.name).toBe('马秀兰');
    expect(res.body.kind).toBe('helpRequest');
  });

  it('signs in through the API and returns the role', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'supervisor', password: 'demo1234' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('supervisor');
    expect(typeof res.body.token).toBe('string');
  });

  it('refuses bad input with every field message and stores nothing', async () => {
    const before = await countCases(t.dataSource);
    const res = await post(operator, helpRequestBody({ reporterPhone: '12345', reporterIdNumber: '110105194912310021', channel: 'fax', content: '' }));
    expect(res.status).toBe(400);
    const fields = Object.fromEntries(res.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]));
    expect(fields.channel).toBe('请选择来源渠道');
    expect(fields.content).toMatch(/诉求内容/);
    expect(fields.reporterPhone).toMatch(/有效的手机号/);
    expect(fields.reporterIdNumber).toMatch(/校验位/);
    expect(res.body.message).toBeTruthy();
    expect(await countCases(t.dataSource)).toBe(before);
  });

  it('refuses fields it does not know', async () => {
    const res = await post(operator, helpRequestBody({ status: 'closed' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'status', message: '不支持的字段：status' });
  });

  it('refuses an anonymous help request and a help request with no way to reach the person', async () => {
    const anon = await post(operator, helpRequestBody({ reporterType: 'anonymous' }));
    expect(anon.status).toBe(400);
    expect(anon.body.errors[0]).toEqual({ field: 'reporterType', message: '求助申请须登记求助人，不能匿名' });
    const unreachable = await post(operator, helpRequestBody({ reporterPhone: undefined, reporterAddress: undefined }));
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.errors.map((e: { field: string }) => e.field)).toEqual(['reporterPhone']);
  });

  it('takes an anonymous report with no reporter details and keeps none typed by mistake', async () => {
    const res = await post(operator, complaintBody({ reporterName: '不该保存' }));
    expect(res.status).toBe(201);
    expect(res.body.reporter).toEqual({ type: 'anonymous', name: null, phone: null, idNumber: null, address: null, withheld: false, minor: null });
    const [row] = await t.dataSource.query('SELECT reporterName FROM cases WHERE caseNo = ?', [res.body.caseNo]);
    expect(row.reporterName).toBeNull();
  });

  it('refuses a village of another township', async () => {
    const [v] = await t.dataSource.query('SELECT id FROM villages WHERE townshipId = 2 LIMIT 1');
    const res = await post(operator, helpRequestBody({ townshipId: 1, villageId: v.id }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'villageId', message: '该村（社区）不属于所选乡镇' });
  });

  it('refuses a received time in the future', async () => {
    const res = await post(operator, helpRequestBody({ receivedAt: new Date(testNow(t).getTime() + 86400_000).toISOString() }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'receivedAt', message: '接收时间不能晚于当前时间' });
  });

  it('accepts a back-dated letter', async () => {
    const res = await post(operator, helpRequestBody({ channel: 'letter', receivedAt: '2026-01-05T09:00' }));
    expect(res.status).toBe(201);
    expect(res.body.receivedAt).toBe('2026-01-05T01:00:00.000Z');
  });

  it('gives 50 concurrent intakes 50 distinct numbers and no error', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => post(operator, helpRequestBody())));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = new Set(results.map((r) => r.body.caseNo));
    expect(numbers.size).toBe(50);
  });

  it('lets a township user read their assigned case and gives 404 for another township', async () => {
    const own = await post(operator, helpRequestBody({ townshipId: 1, villageId: null }));
    const other = await post(operator, helpRequestBody({ townshipId: 2, villageId: null }));
    await markAssigned(t.dataSource, own.body.caseNo, 1);
    await markAssigned(t.dataSource, other.body.caseNo, 2);
    expect((await get(township1, `/api/v1/cases/${own.body.caseNo}`)).status).toBe(200);
    const denied = await get(township1, `/api/v1/cases/${other.body.caseNo}`);
    const missing = await get(township1, '/api/v1/cases/JZ2099-999999');
    expect(denied.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(denied.body).toEqual(missing.body);
    expect((await get(township2, `/api/v1/cases/${other.body.caseNo}`)).status).toBe(200);
  });

  it('hides a case from its township until it is handed over', async () => {
    const res = await post(operator, helpRequestBody({ townshipId: 1, villageId: null }));
    expect((await get(township1, `/api/v1/cases/${res.body.caseNo}`)).status).toBe(404);
  });

  it('lists only the township user their own township', async () => {
    const res = await get(township1, '/api/v1/cases?limit=100');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(new Set(res.body.items.map((i: { townshipId: number }) => i.townshipId))).toEqual(new Set([1]));
  });

  it('shows a liaison only the cases of the leads referred to them', async () => {
    const liaison = await apiToken(t, 'liaison');
    const list = await get(liaison, '/api/v1/cases?limit=100');
    expect(list.status).toBe(200);
    const theirs: { caseNo: string }[] = await t.dataSource.query(
      `SELECT DISTINCT c.caseNo FROM cases c JOIN referral_cases rc ON rc.caseId = c.id JOIN referrals r ON r.id = rc.referralId JOIN users u ON u.id = r.handlerId WHERE u.username = 'liaison'`,
    );
    expect(theirs.length).toBeGreaterThan(0);
    expect(list.body.items.map((i: { caseNo: string }) => i.caseNo).sort()).toEqual(theirs.map((c) => c.caseNo).sort());
    const [other] = await t.dataSource.query('SELECT caseNo FROM cases WHERE id NOT IN (SELECT caseId FROM referral_cases) LIMIT 1');
    expect((await get(liaison, `/api/v1/cases/${other.caseNo}`)).status).toBe(404);
  });

  it('returns a case with its history', async () => {
    const created = await post(operator, helpRequestBody());
    const res = await get(operator, `/api/v1/cases/${created.body.caseNo}`);
    expect(res.status).toBe(200);
    expect(res.body.history).toHaveLength(1);
    expect(res.body.history[0]).toMatchObject({ type: 'created', toStatus: 'registered', actorName: '王丽', actorRole: 'operator' });
  });

  it('pages through the whole list with a cursor, newest first, without repeats', async () => {
    const total = await countCases(t.dataSource);
    const seen: string[] = [];
    const times: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(operator, `/api/v1/cases?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      for (const i of res.body.items) {
        seen.push(i.caseNo);
        times.push(i.receivedAt);
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by Chinese words in the content', async () => {
    const marker = '独一无二的测试词语蘑菇云';
    const created = await post(operator, helpRequestBody({ content: `来电人反映${marker}，请求帮助。` }));
    const res = await get(operator, `/api/v1/cases?q=${encodeURIComponent('蘑菇')}`);
    expect(res.body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([created.body.caseNo]);
  });

  it('pages through search results newest registered first, without repeats', async () => {
    const expected = (await t.dataSource.query(`SELECT caseNo FROM cases WHERE content LIKE '%低保%' ORDER BY id DESC`)).map((r: { caseNo: string }) => r.caseNo);
    expect(expected.length).toBeGreaterThan(25);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(operator, `/api/v1/cases?q=${encodeURIComponent('低保')}&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { caseNo: string }) => i.caseNo));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('refuses a list cursor on a search and the other way round', async () => {
    const plain = await get(operator, '/api/v1/cases?limit=5');
    const res = await get(operator, `/api/v1/cases?limit=5&q=${encodeURIComponent('低保')}&cursor=${plain.body.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('cursor');
  });

  it('combines filters', async () => {
    const res = await get(operator, '/api/v1/cases?kind=complaint&townshipId=1&problemType=favouritism&limit=100');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const i of res.body.items) {
      expect(i.kind).toBe('complaint');
      expect(i.townshipId).toBe(1);
    }
    const ids = res.body.items.map((i: { caseNo: string }) => i.caseNo);
    const rows = await t.dataSource.query(
      `SELECT c.caseNo FROM cases c JOIN case_problem_types p ON p.caseId = c.id WHERE c.kind = 'complaint' AND c.townshipId = 1 AND p.problemType = 'favouritism'`,
    );
    expect(new Set(ids)).toEqual(new Set(rows.map((r: { caseNo: string }) => r.caseNo).slice(0, 100)));
  });

  it('filters by received date range in Shanghai days', async () => {
    const res = await get(operator, '/api/v1/cases?receivedFrom=2026-01-05&receivedTo=2026-01-05&limit=100');
    expect(res.status).toBe(200);
    for (const i of res.body.items) {
      const local = shanghaiDate(new Date(i.receivedAt));
      expect(local).toBe('2026-01-05');
    }
    expect(res.body.items.length).toBeGreaterThan(0);
  });

  it('refuses a bad filter with a field message', async () => {
    const res = await get(operator, '/api/v1/cases?status=lost&receivedFrom=yesterday');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['receivedFrom', 'status']);
  });

  it('refuses a forged cursor', async () => {
    const res = await get(operator, '/api/v1/cases?cursor=bm9wZQ');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('cursor');
  });

  it('keeps township users from logging cases', async () => {
    const res = await post(township1, helpRequestBody({ reporterPhone: uniqueMobile() }));
    expect(res.status).toBe(403);
  });
});
