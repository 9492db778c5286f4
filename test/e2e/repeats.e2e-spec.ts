import { complaintBody, helpRequestBody, uniqueMobile, validIdNumber } from '../factories/case.factory';
import { tokens } from '../utils/workflow';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

describe('repeat detection (重复件)', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const create = async (body: object) => (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body)).body.caseNo as string;
  const likely = async (caseNo: string) => {
    const agent = await signIn(t, 'operator');
    const page = await agent.get(`/cases/${caseNo}`);
    const section = /<section class="repeats"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    return { agent, section };
  };

  it('finds a repeat by the same phone', async () => {
    const phone = uniqueMobile();
    const first = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null, content: '老伴瘫痪在床，家里没有收入来源，申请低保。' }));
    const second = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null, content: '上次反映的事情还没有人来入户调查，询问进度。' }));
    const { section } = await likely(second);
    expect(section).toContain(first);
    expect(section).toContain('同一电话');
  });

  it('finds a repeat by the same ID number', async () => {
    const id = validIdNumber('19611111', 742);
    const first = await create(helpRequestBody({ reporterIdNumber: id, townshipId: 2, villageId: null }));
    const second = await create(helpRequestBody({ reporterIdNumber: id, reporterPhone: uniqueMobile(), townshipId: 2, villageId: null }));
    expect((await likely(second)).section).toContain(first);
  });

  it('finds a reworded report about the same matter and the same subject', async () => {
    const first = await create(
      complaintBody({ townshipId: 3, villageId: null, subjectName: '冯长贵', content: '举报龙泉村村主任冯长贵把自己的小舅子一家纳入低保，小舅子家里开着砖厂，根本不困难，村民代表评议时也没公示。' }),
    );
    const second = await create(
      complaintBody({ townshipId: 3, villageId: null, content: '再次反映：龙泉村村主任冯长贵的小舅子家开砖厂，却被纳入低保，评议没有公示，至今没人处理。' }),
    );
    const { section } = await likely(second);
    expect(section).toContain(first);
    expect(section).toContain('内容相似');
  });

  it('does not flag unrelated cases', async () => {
    const c = await create(helpRequestBody({ reporterPhone: uniqueMobile(), townshipId: 4, villageId: null, content: '家里房屋在暴雨中倒塌，一家五口暂住在亲戚家，请求临时救助和危房改造。' }));
    const { section } = await likely(c);
    expect(section).toBe('');
  });

  it('links a repeat, counts it in the ledger, and forgets a dismissed pair', async () => {
    const phone = uniqueMobile();
    const first = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null }));
    const second = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null }));
    const third = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null }));
    const { agent } = await likely(second);
    let csrf = await csrfOf(agent, `/cases/${second}`);
    expect((await agent.post(`/cases/${second}/repeat`).type('form').send({ _csrf: csrf, otherCaseNo: first })).status).toBe(303);
    const page = await agent.get(`/cases/${second}`);
    expect(page.text).toContain(`本件为 <a href="/cases/${first}">${first}</a> 的重复件`);
    const csv = await agent.get(`/cases/export.csv?q=${encodeURIComponent('测试')}`);
    expect(csv.text).toContain(`重复（${first}）`);

    csrf = await csrfOf(agent, `/cases/${third}`);
    expect((await agent.post(`/cases/${third}/repeat/dismiss`).type('form').send({ _csrf: csrf, otherCaseNo: first })).status).toBe(303);
    const after = (await likely(third)).section;
    expect(after).not.toContain(`/cases/${first}"`);
    expect(after).toContain(second);

    const bad = await agent.post(`/cases/${third}/repeat`).type('form').send({ _csrf: csrf, otherCaseNo: 'JZ2099-000001' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('案件 JZ2099-000001 不存在');
  });

  it('keeps the decision with county staff', async () => {
    const agent = await signIn(t, 'township1');
    const [c] = await t.dataSource.query(`SELECT caseNo FROM cases WHERE townshipId = 1 AND assignedAt IS NOT NULL LIMIT 1`);
    const csrf = await csrfOf(agent, `/cases/${c.caseNo}`);
    expect((await agent.post(`/cases/${c.caseNo}/repeat`).type('form').send({ _csrf: csrf, otherCaseNo: c.caseNo })).status).toBe(403);
  });
});
