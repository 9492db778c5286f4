import { testNow } from '../utils/clock';
import { complaintBody, helpRequestBody, validIdNumber } from '../factories/case.factory';
import { markAssigned } from '../utils/cases';
import { withoutEchoes } from '../utils/routes';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';

// 信访工作条例 Art. 30: the reporter of a complaint never reaches the township that handles it.
describe('reporter protection for township staff', () => {
  let t: TestApp;
  let operator: string;
  const sentinel = { reporterName: '哨兵甲乙丙', reporterPhone: '13700001357', reporterIdNumber: validIdNumber('19820202', 468), reporterAddress: '城关镇哨兵巷99号' };
  let complaintNo: string;
  let helpNo: string;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await apiToken(t, 'operator');
    const c = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operator}`).send(complaintBody({ reporterType: 'realName', ...sentinel, townshipId: 1 }));
    complaintNo = c.body.caseNo;
    const h = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operator}`).send(helpRequestBody({ ...sentinel, townshipId: 1, villageId: null }));
    helpNo = h.body.caseNo;
    await markAssigned(t.dataSource, complaintNo, 1);
    await markAssigned(t.dataSource, helpNo, 1);
  });
  afterAll(() => t.close());

  // the random CSRF token may hold four digits of the sentinel by chance: not a leak
  const leaks = (raw: string) => {
    const text = withoutEchoes(raw);
    return [sentinel.reporterName, sentinel.reporterPhone, sentinel.reporterIdNumber, sentinel.reporterAddress, sentinel.reporterPhone.slice(-4), sentinel.reporterIdNumber.slice(-4)].filter((s) => text.includes(s));
  };

  it('withholds a real-name complainant from the township in the API', async () => {
    const token = await apiToken(t, 'township1');
    const res = await t.http().get(`/api/v1/cases/${complaintNo}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.reporter).toEqual({ type: 'realName', name: null, phone: null, idNumber: null, address: null, withheld: true, minor: null });
    expect(leaks(JSON.stringify(res.body))).toEqual([]);
  });

  it('withholds a real-name complainant from the township on the page', async () => {
    const agent = await signIn(t, 'township1');
    const res = await agent.get(`/cases/${complaintNo}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('实名举报人（已保密）');
    expect(leaks(res.text)).toEqual([]);
    const list = await agent.get('/cases?kind=complaint');
    expect(leaks(list.text)).toEqual([]);
  });

  it('shows the township how to reach a help seeker, with the ID number masked', async () => {
    const agent = await signIn(t, 'township1');
    const res = await agent.get(`/cases/${helpNo}`);
    expect(res.text).toContain(sentinel.reporterName);
    expect(res.text).toContain(sentinel.reporterPhone);
    expect(res.text).not.toContain(sentinel.reporterIdNumber);
    expect(res.text).toContain(`${sentinel.reporterIdNumber.slice(0, 4)}**********${sentinel.reporterIdNumber.slice(-4)}`);
  });

  it('withholds the reporter of any matter that names someone, whatever its kind', async () => {
    const s = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operator}`).send({
      channel: 'hotline', kind: 'suggestion', program: 'other', problemTypes: ['bribery'], reporterType: 'realName',
      reporterName: sentinel.reporterName, reporterPhone: sentinel.reporterPhone, townshipId: 1, subjectName: '赵某', subjectPost: '乡民政助理员',
      content: '建议查一查乡民政助理员收受好处费的问题。',
    });
    expect(s.status).toBe(201);
    await markAssigned(t.dataSource, s.body.caseNo, 1);
    const token = await apiToken(t, 'township1');
    const res = await t.http().get(`/api/v1/cases/${s.body.caseNo}`).set('Authorization', `Bearer ${token}`);
    expect(res.body.reporter.withheld).toBe(true);
    expect(leaks(JSON.stringify(res.body))).toEqual([]);
  });

  it('shows the supervisor everything', async () => {
    const token = await apiToken(t, 'supervisor');
    const res = await t.http().get(`/api/v1/cases/${complaintNo}`).set('Authorization', `Bearer ${token}`);
    expect(res.body.reporter).toMatchObject({ name: sentinel.reporterName, phone: sentinel.reporterPhone, idNumber: sentinel.reporterIdNumber, withheld: false });
  });
});

describe('malformed requests', () => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await createTestApp();
    operator = await apiToken(t, 'operator');
  });
  afterAll(() => t.close());
  const post = () => t.http().post('/api/v1/cases').set('Authorization', `Bearer ${operator}`);

  it.each([
    ['a number', 20261121],
    ['true', true],
  ])('refuses a received time that is %s with a field message', async (_, receivedAt) => {
    const res = await post().send(helpRequestBody({ receivedAt }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('receivedAt');
  });

  it('takes a null received time as "now"', async () => {
    const res = await post().send(helpRequestBody({ receivedAt: null }));
    expect(res.status).toBe(201);
    expect(Math.abs(new Date(res.body.receivedAt).getTime() - testNow(t).getTime())).toBeLessThan(60_000);
  });

  it('refuses an object where an id belongs', async () => {
    const res = await post().send(helpRequestBody({ townshipId: { a: 1 }, villageId: { x: 1 } }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['townshipId', 'villageId']));
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"channel": ');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('body');
  });

  it('answers an oversized body with 413', async () => {
    const res = await post().send(helpRequestBody({ content: '长'.repeat(100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toContain('过大');
  });

  it('answers a mistyped ID number in the person lookup with no matches, not an error', async () => {
    const agent = await signIn(t, 'operator');
    const res = await agent.get('/cases/person-matches?idNumber=1234567890123456789');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  it('keeps the intake form with a message for a 19-digit ID number', async () => {
    const agent = await signIn(t, 'operator');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/cases/new')).text)![1];
    const res = await agent.post('/cases').type('form').send({ ...helpRequestBody({ reporterPhone: undefined, reporterIdNumber: '1234567890123456789' }), _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('身份证号码应为18位');
  });

  it('answers a repeated filter in Chinese', async () => {
    const res = await t.http().get('/api/v1/cases?q=a&q=b').set('Authorization', `Bearer ${operator}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'q', message: '应为文字' });
  });

  it('refuses townshipId 0 in the list', async () => {
    const res = await t.http().get('/api/v1/cases?townshipId=0').set('Authorization', `Bearer ${operator}`);
    expect(res.status).toBe(400);
  });
});
