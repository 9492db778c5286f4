import { toAuthUser } from '../../src/auth/auth.service';
import { idCheckDigit } from '../../src/common/identity';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { DisclosureService } from '../../src/protection/disclosure.service';
import { User } from '../../src/users/entities/user.entity';
import { TEST_TODAY } from '../utils/clock';
import { fetchReadable } from '../utils/routes';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';
import { act, FEEDBACK_BODY, getCase, tokens, VERIFY_BODY } from '../utils/workflow';

/**
 * Documents decide what they show from their addressee as well as the viewer (DOMAIN §7): the
 * 交办单 goes to the township, so it never names a complainant, whoever prints it; the 处理意见书
 * and the status page go to the public and show only the reply the county approved, masked.
 */
/** A valid resident ID number from its first 17 digits. */
const idOf = (first17: string) => first17 + idCheckDigit(first17);

describe('documents follow their addressee', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const COMPLAINANT = { reporterName: '钱文静', reporterPhone: '13677778888', reporterIdNumber: idOf('14109919820315002'), reporterAddress: '城关镇东关社区八号院' };
  const HELP_ID = idOf('14109919650505002');
  let complaintNo: string;
  let helpNo: string;

  const post = async (body: object) => {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body);
    if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.caseNo as string;
  };
  const toReview = async (no: string, township: 'township1' | 'township2', submit: object) => {
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: township === 'township1' ? 1 : 2 });
    await act(t, tk[township], no, 'acknowledge');
    await act(t, tk[township], no, 'verify', { ...VERIFY_BODY, visitDate: TEST_TODAY, findings: '内部核实：邻居王某证实，其子身份证141099201003070017，电话13500001234，存款约三万元。' });
    await act(t, tk[township], no, 'feedback', { ...FEEDBACK_BODY, date: TEST_TODAY, content: '内部记录：已电话联系反映人家属13500001234。' });
    return act(t, tk[township], no, 'submit', submit);
  };

  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
    complaintNo = await post({
      channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['favouritism'], reporterType: 'realName', ...COMPLAINANT,
      townshipId: 1, villageId: 1, subjectName: '吴某', subjectPost: '村主任', content: '本人钱文静（电话13677778888）举报村主任吴某把亲属纳入低保。',
    });
    await act(t, tk.operator, complaintNo, 'accept');
    await act(t, tk.operator, complaintNo, 'assign', { townshipId: 1, note: '请核实，可联系反映人13677778888' });
    helpNo = await post({
      channel: 'hotline', kind: 'helpRequest', program: 'ruralDibao', reporterType: 'realName', reporterName: '孙桂兰', reporterPhone: '13734567890',
      reporterIdNumber: HELP_ID, reporterAddress: '城关镇西关社区三号', townshipId: 1, villageId: 1, content: '家中困难申请低保。',
    });
    await act(t, tk.operator, helpNo, 'accept');
    await act(t, tk.operator, helpNo, 'assign', { townshipId: 1 });
  });
  afterAll(() => t.close());

  const secrets = [COMPLAINANT.reporterName, COMPLAINANT.reporterPhone, COMPLAINANT.reporterIdNumber, COMPLAINANT.reporterAddress, COMPLAINANT.reporterPhone.slice(-4)];

  describe('the 交办单 of a complaint', () => {
    it.each(['supervisor', 'operator', 'township1'])('prints no complainant when %s prints it, and says 密', async (who) => {
      const agent = await signIn(t, who);
      const res = await agent.get(`/cases/${complaintNo}/print/assignment-sheet`);
      expect(res.status).toBe(200);
      for (const s of secrets) expect(res.text).not.toContain(s);
      expect(res.text).toContain('实名举报人（已保密）');
      expect(res.text).toContain('data-classified="1"');
      // the content and the county's note keep the matter, without the complainant's name or number
      expect(res.text).toContain('举报村主任吴某把亲属纳入低保');
      expect(res.text).toContain('电话***********');
    });

    it('prints what the township may see of a help request: name, phone and address, the ID masked, no 密', async () => {
      const res = await (await signIn(t, 'supervisor')).get(`/cases/${helpNo}/print/assignment-sheet`);
      expect(res.text).toContain('孙桂兰');
      expect(res.text).toContain('13734567890');
      expect(res.text).toContain(`1410**********${HELP_ID.slice(-4)}`);
      expect(res.text).not.toContain(HELP_ID);
      expect(res.text).not.toContain('data-classified');
    });

    it('prints a reporter disclosed to the township, and records that view', async () => {
      const no = await post({
        channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['bribery'], reporterType: 'realName', reporterName: '冯志远', reporterPhone: '13699990000',
        townshipId: 1, villageId: 1, subjectName: '郑某', subjectPost: '会计', content: '举报村会计郑某索要好处费。',
      });
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 1 });
      const supervisor = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor' }), 'session');
      await t.app.get(DisclosureService).disclose(supervisor, no, '需当面核实举报细节');
      const res = await (await signIn(t, 'operator')).get(`/cases/${no}/print/assignment-sheet`);
      expect(res.text).toContain('冯志远');
      const [row] = await t.dataSource.query(`SELECT actorName, detail FROM audit_events WHERE action = 'reporter.view' AND targetId = ? ORDER BY id DESC LIMIT 1`, [no]);
      expect(row.actorName).toBe('王丽');
      expect(JSON.parse(row.detail)).toMatchObject({ document: '交办单' });
    });
  });

  describe('the reply to the reporter', () => {
    it('cannot be submitted without a draft reply, and nothing changes', async () => {
      const res = await toReview(helpNo, 'township1', {});
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field: 'replyDraft', message: expect.stringContaining('请填写拟答复反映人的意见') });
      expect((await getCase(t, tk.township1, helpNo)).status).toBe('verifying');
    });

    it('shows the county’s approved text on the 处理意见书, masked, and nothing of the township’s notes', async () => {
      const no = await post({
        channel: 'hotline', kind: 'helpRequest', program: 'ruralDibao', reporterType: 'realName', reporterName: '周玉芬', reporterPhone: '13812340000',
        townshipId: 2, villageId: null, content: '申请农村低保。',
      });
      expect((await toReview(no, 'township2', { replyDraft: '周玉芬您好：经入户核实，您家庭符合农村低保条件，已报县民政局审批。' })).status).toBe(200);
      // the draft is the township's until the county approves it
      const draftCase = await getCase(t, tk.supervisor, no);
      expect(draftCase.reply).toEqual({ by: 'township', draft: '周玉芬您好：经入户核实，您家庭符合农村低保条件，已报县民政局审批。', text: null, approvedAt: null, answeredAt: expect.any(String) });
      const approved = await act(t, tk.supervisor, no, 'approve', {
        replyText: '周玉芬您好：经入户核实，您家庭符合农村低保条件，自下月起按月发放。如需帮助请联系13800138000，存折卡号6217 0000 1111 2222 333。',
      });
      expect(approved.status).toBe(200);
      const letter = (await (await signIn(t, 'supervisor')).get(`/cases/${no}/print/reply`)).text;
      expect(letter).toContain('周**：');
      expect(letter).toContain('自下月起按月发放');
      expect(letter).toContain('138****8000');
      expect(letter).toContain('**** **** **** 2333');
      for (const s of ['周玉芬', '13800138000', '6217 0000 1111 2222 333', '内部核实', '141099201003070017', '13500001234', '已报县民政局审批']) expect(letter).not.toContain(s);
      expect(letter).not.toContain('data-classified');
    });

    it('approves the township’s draft as it is when the county does not edit it', async () => {
      const no = await post({ channel: 'hotline', kind: 'helpRequest', program: 'ruralDibao', reporterType: 'realName', reporterName: '蒋建华', reporterPhone: '13812341111', townshipId: 2, content: '申请临时救助。' });
      await toReview(no, 'township2', { replyDraft: '您好，经核实您家庭因病致困，已给予临时救助两千元。' });
      await act(t, tk.supervisor, no, 'approve');
      expect((await getCase(t, tk.supervisor, no)).reply.text).toBe('您好，经核实您家庭因病致困，已给予临时救助两千元。');
    });

    it('needs no reply for an anonymous report, and its letter carries none', async () => {
      const no = await post({ channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['favouritism'], reporterType: 'anonymous', townshipId: 2, subjectName: '褚某', subjectPost: '村支书', content: '匿名举报村支书褚某优亲厚友。' });
      expect((await toReview(no, 'township2', {})).status).toBe(200);
      expect((await act(t, tk.supervisor, no, 'approve')).status).toBe(200);
      expect((await getCase(t, tk.supervisor, no)).reply).toEqual({ by: 'nobody', draft: null, text: null, approvedAt: null, answeredAt: null });
      const letter = (await (await signIn(t, 'supervisor')).get(`/cases/${no}/print/reply`)).text;
      expect(letter).not.toContain('data-reply');
      expect(letter).not.toContain('内部核实');
    });

    it('never names a minor in public output, flagged by hand or read from the ID number', async () => {
      // born 2012: a minor on the day of the call
      const no = await post({
        channel: 'hotline', kind: 'helpRequest', program: 'temporaryAssistance', reporterType: 'realName', reporterName: '卫小宝', reporterPhone: '13812342222', reporterIdNumber: idOf('14109920120606001'),
        townshipId: 2, subjectName: '卫小妹', subjectMinor: true, content: '父母双亡，本人与妹妹卫小妹申请救助。',
      });
      const c = await getCase(t, tk.supervisor, no);
      expect(c.reporter.minor).toBe(true);
      expect(c.subject.minor).toBe(true);
      await toReview(no, 'township2', { replyDraft: '卫小宝、卫小妹你们好：经核实已纳入事实无人抚养儿童保障，电话0351-7654321。' });
      await act(t, tk.supervisor, no, 'approve');
      const letter = (await (await signIn(t, 'operator')).get(`/cases/${no}/print/reply`)).text;
      expect(letter).toContain('反映人：');
      expect(letter).toContain('卫**、卫**你们好');
      expect(letter).not.toContain('卫小宝');
      expect(letter).not.toContain('卫小妹');
    });
  });

  describe('referral steps', () => {
    let leadCase: string;
    beforeAll(async () => {
      leadCase = await post({ channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['embezzlement'], reporterType: 'realName', reporterName: '施永康', reporterPhone: '13699993333', townshipId: 1, subjectName: '陶某', subjectPost: '村主任', content: '举报村主任陶某截留低保金。' });
      await act(t, tk.operator, leadCase, 'accept');
      await act(t, tk.operator, leadCase, 'assign', { townshipId: 1 });
      const [liaison] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
      const lead = await t.http().post(`/api/v1/cases/${leadCase}/referral`).set('Authorization', `Bearer ${tk.supervisor}`).send({ source: '热线', mainProblem: '截留低保金', handlerId: liaison.id });
      await t.http().post(`/api/v1/referrals/${lead.body.leadNo}/actions/acknowledge`).set('Authorization', `Bearer ${tk.liaison}`).send({});
      // the lead's reporter clocks go overdue: the scan writes their history too
      await t.dataSource.query(`UPDATE case_deadlines SET dueDate = '2026-01-05' WHERE status = 'open' AND referralId IS NOT NULL`);
      await t.app.get(DeadlineScanService).scan();
    });

    it('are not in the township’s history, on the page or in the API', async () => {
      const page = (await (await signIn(t, 'township1')).get(`/cases/${leadCase}`)).text;
      expect(page).not.toMatch(/问题线索|线索|纪检|XS\d{4}-|实名举报受理告知|实名举报结果反馈/);
      const api = await getCase(t, tk.township1, leadCase);
      expect(api.history.some((h: { action: string }) => h.action === 'refer' || (h.action ?? '').startsWith('referral-'))).toBe(false);
      expect(api.history.some((h: { type: string; data: { stage?: string } | null }) => h.type === 'deadline' && /^(realName|liaison)/.test(h.data?.stage ?? ''))).toBe(false);
      expect(JSON.stringify(api)).not.toMatch(/XS\d{4}-/);
    });

    it('are in the supervisor’s history, with the overdue notice of the lead’s clock', async () => {
      const api = await getCase(t, tk.supervisor, leadCase);
      expect(api.history.map((h: { action: string }) => h.action)).toEqual(expect.arrayContaining(['refer', 'referral-acknowledge']));
      expect(api.history.some((h: { type: string; data: { stage?: string } | null }) => h.type === 'deadline' && h.data?.stage === 'realNameAcceptance')).toBe(true);
    });
  });

  describe('audit of disclosed and referred reporters', () => {
    it('records one row per township export that held a disclosed reporter, naming the cases', async () => {
      const no = await post({
        channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['bribery'], reporterType: 'realName', reporterName: '韩晓东', reporterPhone: '13699991111',
        townshipId: 1, villageId: 1, subjectName: '杨某', subjectPost: '会计', content: '举报会计杨某吃拿卡要。',
      });
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 1 });
      const supervisor = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor' }), 'session');
      await t.app.get(DisclosureService).disclose(supervisor, no, '需当面核实');
      const before = Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'reporter.export'`))[0].n);
      const who = { agent: await signIn(t, 'township1'), token: await apiToken(t, 'township1') };
      const csv = await fetchReadable(t, '/cases/export.csv?kind=complaint', who);
      expect(csv.text).toContain('韩晓东');
      const xlsx = await fetchReadable(t, '/api/v1/cases/export?format=xlsx&kind=complaint', who);
      expect(xlsx.text).toContain('韩晓东');
      const rows: { detail: string; actorName: string }[] = await t.dataSource.query(`SELECT detail, actorName FROM audit_events WHERE action = 'reporter.export' ORDER BY id`);
      expect(rows.length - before).toBe(2);
      for (const r of rows.slice(before)) {
        expect(r.actorName).toBe('李晓梅');
        expect(JSON.parse(r.detail).caseNos).toContain(no);
      }
      const log = (await (await signIn(t, 'supervisor')).get('/audit/reporters')).text;
      expect(log).toMatch(/导出台账（CSV[\s\S]*?含已披露的举报人/);
    });

    it('records the liaison’s views of a real-name lead’s reporter', async () => {
      const no = await post({
        channel: 'hotline', kind: 'complaint', program: 'ruralDibao', problemTypes: ['embezzlement'], reporterType: 'realName', reporterName: '秦立新', reporterPhone: '13699992222',
        townshipId: 2, subjectName: '尤某', subjectPost: '村主任', content: '实名举报村主任尤某虚报冒领。',
      });
      await act(t, tk.operator, no, 'accept');
      const [liaison] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
      const created = await t.http().post(`/api/v1/cases/${no}/referral`).set('Authorization', `Bearer ${tk.supervisor}`).send({ source: '热线实名举报', mainProblem: '村主任尤某虚报冒领低保金', handlerId: liaison.id });
      expect(created.status).toBe(201);
      const lead = created.body.leadNo;
      const count = async () => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'referral.reporter.view' AND detail LIKE ?`, [`%${lead}%`]))[0].n);
      const agent = await signIn(t, 'liaison');
      expect((await agent.get(`/referrals/${lead}`)).text).toContain('秦立新');
      expect(await count()).toBe(1);
      await agent.get(`/referrals/${lead}/print`);
      await agent.get(`/referrals/${lead}/print.pdf`);
      await t.http().get('/api/v1/referrals').set('Authorization', `Bearer ${tk.liaison}`);
      expect(await count()).toBe(4);
      // the supervisor's own reading is not the liaison's and is not counted here
      await (await signIn(t, 'supervisor')).get(`/referrals/${lead}`);
      expect(await count()).toBe(4);
      const print = (await agent.get(`/referrals/${lead}/print`)).text;
      expect(print).toContain('data-classified="1"');
    });
  });
});
