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

  describe('while the intake is still being typed', () => {
    const probe = async (q: Record<string, string>, user = 'operator') => {
      const agent = await signIn(t, user);
      return agent.get('/repeats/likely').query(q).set('Accept', 'application/json');
    };

    it('shows earlier cases by phone, by ID, by subject and village, and by reworded content', async () => {
      const phone = uniqueMobile();
      const byPhone = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null, content: '独居老人，腿脚不便，询问特困供养怎么申请。' }));
      const r1 = await probe({ phone: phone.replace(/^(\d{3})(\d{4})/, '$1 $2 '), content: '' });
      expect(r1.status).toBe(200);
      expect(r1.body.items).toEqual([expect.objectContaining({ caseNo: byPhone, reasons: ['同一电话'] })]);
      // nothing personal beyond what the operator may see anyway, and no reporter name at all
      expect(JSON.stringify(r1.body)).not.toContain('reporterName');

      const id = validIdNumber('19570303', 215);
      const byId = await create(helpRequestBody({ reporterIdNumber: id, reporterPhone: uniqueMobile(), townshipId: 2, villageId: null }));
      expect((await probe({ idNumber: id })).body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([byId]);

      const [village] = await t.dataSource.query(`SELECT id FROM villages WHERE townshipId = 5 ORDER BY id LIMIT 1`);
      const bySubject = await create(complaintBody({ townshipId: 5, villageId: village.id, subjectName: '褚立新', content: '反映村会计褚立新在分配临时救助金时克扣群众钱款。' }));
      const r3 = await probe({ subjectName: '褚立新', villageId: String(village.id) });
      expect(r3.body.items).toEqual([expect.objectContaining({ caseNo: bySubject, reasons: ['同一被反映人和村'] })]);

      const byContent = await create(
        complaintBody({ townshipId: 6, villageId: null, content: '举报石门村支书把在外地工作有稳定收入的儿媳妇纳入农村低保，已经领了两年，村里人都知道。' }),
      );
      const r4 = await probe({ content: '石门村支书的儿媳妇在外地上班收入稳定，却吃了两年农村低保，请核查。' });
      expect(r4.body.items[0]).toMatchObject({ caseNo: byContent, reasons: ['内容相似'] });
      expect(r4.body.items[0].score).toBeGreaterThanOrEqual(0.5);

      const none = await probe({ content: '咨询残疾人两项补贴的申请条件和需要准备的材料。', phone: uniqueMobile() });
      expect(none.body.items.map((i: { caseNo: string }) => i.caseNo)).not.toEqual(expect.arrayContaining([byPhone, byId, bySubject, byContent]));
    });

    it('never shows an operator a case they are recused from, nor lets them name it', async () => {
      // a report about the operator herself (王丽): she is recused from it
      const about = await create(complaintBody({ townshipId: 7, villageId: null, subjectName: '王丽', content: '举报热线接线员王丽在接听电话时泄露举报人信息给被举报的村干部。' }));
      const [recusal] = await t.dataSource.query(`SELECT COUNT(*) n FROM case_recusals r JOIN users u ON u.id = r.userId JOIN cases c ON c.id = r.caseId WHERE u.username = 'operator' AND c.caseNo = ?`, [about]);
      expect(recusal.n).toBe(1);
      const q = { content: '接线员王丽接电话时把举报人的信息泄露给了被举报的村干部', subjectName: '王丽' };
      expect((await probe(q, 'supervisor')).body.items.map((i: { caseNo: string }) => i.caseNo)).toContain(about);
      expect((await probe(q, 'operator')).body.items.map((i: { caseNo: string }) => i.caseNo)).not.toContain(about);
      const api = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null, repeatOfCaseNo: about }));
      expect(api.status).toBe(400);
      expect(api.body.errors).toEqual([{ field: 'repeatOfCaseNo', message: `案件 ${about} 不存在` }]);
    });

    it('counts the 180 days from the typed receipt time of a back-dated letter', async () => {
      const phone = uniqueMobile();
      const old = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null, receivedAt: '2026-01-05 09:00' }));
      expect((await probe({ phone })).body.items.map((i: { caseNo: string }) => i.caseNo)).not.toContain(old);
      expect((await probe({ phone, receivedAt: '2026-03-01T10:00' })).body.items.map((i: { caseNo: string }) => i.caseNo)).toContain(old);
    });

    it('is for county intake staff only', async () => {
      expect((await probe({ content: '石门村支书的儿媳妇吃低保' }, 'township1')).status).toBe(403);
    });

    it('saves the new case as a repeat of the one the operator chose, with a history note', async () => {
      const phone = uniqueMobile();
      const first = await create(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null }));
      const agent = await signIn(t, 'operator');
      const csrf = await csrfOf(agent, '/cases/new');
      const res = await agent
        .post('/cases')
        .type('form')
        .send({ _csrf: csrf, channel: 'hotline', kind: 'consultation', program: 'ruralDibao', reporterType: 'realName', reporterName: '重复来电人', reporterPhone: phone, content: '又打电话询问上次反映的低保申请进度。', repeatOfCaseNo: first });
      expect(res.status).toBe(303);
      const caseNo = decodeURIComponent(/\/cases\/([^/?]+)/.exec(res.headers.location)![1]);
      const [row] = await t.dataSource.query(`SELECT o.caseNo AS repeatOf FROM cases c JOIN cases o ON o.id = c.repeatOfId WHERE c.caseNo = ?`, [caseNo]);
      expect(row.repeatOf).toBe(first);
      const page = await agent.get(`/cases/${caseNo}`);
      expect(page.text).toContain(`本件为 <a href="/cases/${first}">${first}</a> 的重复件`);
      expect(page.text).toContain(`登记时标记为 ${first} 的重复件`);

      // through the API too
      const api = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ reporterPhone: phone, townshipId: 1, villageId: null, repeatOfCaseNo: first.toLowerCase() }));
      expect(api.status).toBe(201);
      const [viaApi] = await t.dataSource.query(`SELECT repeatOfId FROM cases WHERE caseNo = ?`, [api.body.caseNo]);
      const [firstRow] = await t.dataSource.query(`SELECT id FROM cases WHERE caseNo = ?`, [first]);
      expect(viaApi.repeatOfId).toBe(firstRow.id);
    });

    it('refuses an unknown case number next to the field, keeps the input and saves nothing', async () => {
      const agent = await signIn(t, 'operator');
      const csrf = await csrfOf(agent, '/cases/new');
      const [{ n: before }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM cases');
      const res = await agent
        .post('/cases')
        .type('form')
        .send({ _csrf: csrf, channel: 'hotline', kind: 'consultation', program: 'other', reporterType: 'anonymous', content: '咨询临时救助的申请条件。', repeatOfCaseNo: 'JZ2099-000001' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('案件 JZ2099-000001 不存在');
      expect(res.text).toContain('咨询临时救助的申请条件。');
      expect(res.text).toContain('value="JZ2099-000001"');
      const [{ n: after }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM cases');
      expect(after).toBe(before);
      const api = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null, repeatOfCaseNo: 'JZ2099-000001' }));
      expect(api.status).toBe(400);
      expect(api.body.errors).toEqual([{ field: 'repeatOfCaseNo', message: '案件 JZ2099-000001 不存在' }]);
    });
  });
});
