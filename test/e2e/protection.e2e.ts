import { shanghaiDate } from '../../src/common/time';
import { TEST_START } from '../utils/clock';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import ExcelJS from 'exceljs';
import { complaintBody, helpRequestBody, uniqueMobile, validIdNumber } from '../factories/case.factory';
import { act, FEEDBACK_BODY, getCase, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

describe('reporter disclosure, recusal and the close-relative register', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const create = async (body: object) => (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(body)).body;
  const toTownship1 = async (no: string, extra: object = {}) => {
    await act(t, tk.operator, no, 'accept');
    return act(t, tk.operator, no, 'assign', { townshipId: 1, ...extra });
  };

  describe('disclosure', () => {
    it('shows the complainant to the township only after a supervisor discloses with a reason, and audits every view', async () => {
      const c = await create(complaintBody({ reporterType: 'realName', reporterName: '披露测试人', reporterPhone: '13811112222', townshipId: 1 }));
      await toTownship1(c.caseNo);
      expect((await getCase(t, tk.township1, c.caseNo)).reporter.withheld).toBe(true);

      const sup = await signIn(t, 'supervisor');
      const csrf = await csrfOf(sup, `/cases/${c.caseNo}`);
      const bad = await sup.post(`/cases/${c.caseNo}/disclose-reporter`).type('form').send({ _csrf: csrf, reason: '' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('请写明披露理由');
      const ok = await sup.post(`/cases/${c.caseNo}/disclose-reporter`).type('form').send({ _csrf: csrf, reason: '需当面核实举报人提供的证据材料' });
      expect(ok.status).toBe(303);

      const seen = await getCase(t, tk.township1, c.caseNo);
      expect(seen.reporter).toMatchObject({ name: '披露测试人', phone: '13811112222', withheld: false });
      const page = await (await signIn(t, 'township1')).get(`/cases/${c.caseNo}`);
      expect(page.text).toContain('披露测试人');
      expect(page.text).toContain('本次查看已记录');

      const audit = await sup.get('/audit/reporters');
      expect(audit.text).toContain(c.caseNo);
      expect(audit.text).toContain('需当面核实举报人提供的证据材料');
      const views = await t.dataSource.query(`SELECT actorName FROM audit_events WHERE action = 'reporter.view' AND targetId = ?`, [c.caseNo]);
      expect(views.length).toBeGreaterThanOrEqual(2);
      expect(views.every((v: { actorName: string }) => v.actorName === '李晓梅')).toBe(true);
      // the history tells the township why, never who
      const hist = seen.history.find((h: { action: string }) => h.action === 'disclose-reporter');
      expect(hist.note).toContain('需当面核实');
      expect(hist.note).not.toContain('披露测试人');
    });

    it('keeps the disclosure to the township it was made for', async () => {
      const c = await create(complaintBody({ reporterType: 'realName', reporterName: '只给城关', reporterPhone: '13811113333', townshipId: 1 }));
      await toTownship1(c.caseNo);
      const sup = await signIn(t, 'supervisor');
      const csrf = await csrfOf(sup, `/cases/${c.caseNo}`);
      await sup.post(`/cases/${c.caseNo}/disclose-reporter`).type('form').send({ _csrf: csrf, reason: '需当面核实举报材料' });
      // reassigned after an objection: the new township does not inherit it
      await act(t, tk.township1, c.caseNo, 'object', { reasons: '该事项属河口镇管辖' });
      await act(t, tk.supervisor, c.caseNo, 'decide-objection', { decision: 'reassign', townshipId: 2, reason: '改派' });
      expect((await getCase(t, tk.township2, c.caseNo)).reporter.withheld).toBe(true);
    });
  });

  describe('recusal', () => {
    it('hides a case naming a township staff member from them and asks the supervisor to confirm the assignment', async () => {
      const c = await create(complaintBody({ subjectName: '李晓梅', subjectPost: '乡镇民政助理员', townshipId: 1 }));
      await act(t, tk.operator, c.caseNo, 'accept');
      let res = await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('李晓梅本人或其备案近亲属');
      res = await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1, confirmRecusal: true, recusalReason: '由该镇其他工作人员办理，李晓梅回避' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('assigned');
      tk = await tokens(t);
      expect((await t.http().get(`/api/v1/cases/${c.caseNo}`).set('Authorization', `Bearer ${tk.township1}`)).status).toBe(404);
      expect((await (await signIn(t, 'township1')).get(`/cases/${c.caseNo}`)).status).toBe(404);
      const list = await t.http().get('/api/v1/cases?limit=100&kind=complaint').set('Authorization', `Bearer ${tk.township1}`);
      expect(list.body.items.map((i: { caseNo: string }) => i.caseNo)).not.toContain(c.caseNo);
      // the supervisor still sees it
      expect((await getCase(t, tk.supervisor, c.caseNo)).caseNo).toBe(c.caseNo);
    });

    it('recognises the staff member’s name typed with a space or a full-width space', async () => {
      for (const typed of ['李 晓梅', '李\u3000晓梅', ' 李晓 梅']) {
        const c = await create(complaintBody({ subjectName: typed, subjectPost: '乡镇民政助理员', townshipId: 1 }));
        await act(t, tk.operator, c.caseNo, 'accept');
        const res = await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1 });
        expect(res.status).toBe(409);
        expect(res.body.message).toContain('李晓梅本人或其备案近亲属');
      }
    });

    it('sends no deadline notice about the case to the staff member it names', async () => {
      const c = await create(complaintBody({ subjectName: '李晓梅', subjectPost: '乡镇民政助理员', townshipId: 1 }));
      await act(t, tk.operator, c.caseNo, 'accept');
      await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 1, confirmRecusal: true, recusalReason: '由该镇其他工作人员办理' });
      await t.dataSource.query(`UPDATE case_deadlines SET dueDate = '2026-01-05' WHERE stage = 'acknowledge' AND caseId = (SELECT id FROM cases WHERE caseNo = ?)`, [c.caseNo]);
      await t.app.get(DeadlineScanService).run();
      const who = (
        await t.dataSource.query(`SELECT DISTINCT u.username FROM notifications n JOIN users u ON u.id = n.userId JOIN cases c ON c.id = n.caseId WHERE c.caseNo = ? ORDER BY 1`, [c.caseNo])
      ).map((r: { username: string }) => r.username);
      expect(who).toContain('supervisor');
      expect(who).not.toContain('township1');
    });

    it('assigns elsewhere without asking', async () => {
      const c = await create(complaintBody({ subjectName: '李晓梅', subjectPost: '乡镇民政助理员', townshipId: 1 }));
      await act(t, tk.operator, c.caseNo, 'accept');
      expect((await act(t, tk.operator, c.caseNo, 'assign', { townshipId: 2 })).status).toBe(200);
    });
  });

  describe('close-relative register', () => {
    const relativeId = validIdNumber('19500505', 321);

    it('registers a relative and flags matching cases 单独登记, hiding them from the staff member', async () => {
      const sup = await signIn(t, 'supervisor');
      const csrf = await csrfOf(sup, '/relatives/new');
      const bad = await sup.post('/relatives').type('form').send({ _csrf: csrf, staffName: '李晓梅', relativeName: '李', relationship: '表亲', relativeIdNumber: '123' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('请选择亲属关系');
      expect(bad.text).toContain('请填写职务');
      const ok = await sup.post('/relatives').type('form').send({
        _csrf: csrf, staffName: '李晓梅', staffPost: '乡镇民政助理员', staffUnit: '城关镇人民政府', townshipId: '1', villageId: '1',
        relativeName: '李大山', relativeIdNumber: relativeId, relationship: '父母', program: 'ruralDibao', registeredAt: '2026-01-10',
      });
      expect(ok.status).toBe(303);
      const list = await sup.get(`/relatives?q=${encodeURIComponent('李大山')}`);
      expect(list.text).toContain('李大山');
      expect(list.text).toContain(`${relativeId.slice(0, 4)}**********${relativeId.slice(-4)}`);

      // a help request from the relative, by ID number
      const help = await create(helpRequestBody({ reporterName: '李大山', reporterIdNumber: relativeId, townshipId: 1, villageId: 1 }));
      expect((await getCase(t, tk.supervisor, help.caseNo))).toBeDefined();
      const [row] = await t.dataSource.query('SELECT relativeFlag FROM cases WHERE caseNo = ?', [help.caseNo]);
      expect(!!row.relativeFlag).toBe(true); // 1 on SQLite, true on PostgreSQL

      // the same relative typed with a space, or with a name dot, is still recognised
      const spaced = await create(helpRequestBody({ reporterName: '李 大山', reporterPhone: uniqueMobile(), townshipId: 1, villageId: 1 }));
      const [spacedRow] = await t.dataSource.query('SELECT relativeFlag FROM cases WHERE caseNo = ?', [spaced.caseNo]);
      expect(!!spacedRow.relativeFlag).toBe(true);
      const stranger = await create(helpRequestBody({ reporterName: '李大', reporterPhone: uniqueMobile(), townshipId: 1, villageId: 1 }));
      const [strangerRow] = await t.dataSource.query('SELECT relativeFlag FROM cases WHERE caseNo = ?', [stranger.caseNo]);
      expect(!!strangerRow.relativeFlag).toBe(false);

      // a complaint about the relative is hidden from the staff member
      const about = await create(complaintBody({ subjectName: '李·大山', townshipId: 1, villageId: 1 }));
      await act(t, tk.operator, about.caseNo, 'accept');
      const refused = await act(t, tk.operator, about.caseNo, 'assign', { townshipId: 1 });
      expect(refused.status).toBe(409);
      expect((await act(t, tk.operator, about.caseNo, 'assign', { townshipId: 1, confirmRecusal: true, recusalReason: '由其他人员办理并回避' })).status).toBe(200);
      tk = await tokens(t);
      expect((await t.http().get(`/api/v1/cases/${about.caseNo}`).set('Authorization', `Bearer ${tk.township1}`)).status).toBe(404);
    });

    it('finds a registration by a unit written in Latin letters whatever their case, on either engine', async () => {
      const sup = await signIn(t, 'supervisor');
      const csrf = await csrfOf(sup, '/relatives/new');
      const ok = await sup.post('/relatives').type('form').send({
        _csrf: csrf, staffName: '欧阳明', staffPost: '驻村干部', staffUnit: 'CGZ Dibao Office', townshipId: '1',
        relativeName: '欧阳晴', relationship: '子女',
      });
      expect(ok.status).toBe(303);
      for (const q of ['dibao office', 'DIBAO', 'cgz dIbAo']) {
        const list = await sup.get(`/relatives?q=${encodeURIComponent(q)}`);
        expect(list.status).toBe(200);
        expect(list.text).toContain('欧阳晴');
      }
      const none = await sup.get(`/relatives?q=${encodeURIComponent('dibao bureau')}`);
      expect(none.text).not.toContain('欧阳晴');
      // % and _ are what they are, not wildcards that match every registration
      for (const q of ['%', '_', 'CGZ_Dibao', 'CGZ%Office']) {
        const wild = await sup.get(`/relatives?q=${encodeURIComponent(q)}`);
        expect(wild.status).toBe(200);
        expect(wild.text).not.toContain('欧阳晴');
      }
    });

    it('needs a county home visit before approving a 单独登记 case', async () => {
      const help = await create(helpRequestBody({ reporterName: '李大山', reporterIdNumber: relativeId, townshipId: 1, villageId: 1 }));
      await toTownship1(help.caseNo);
      await act(t, tk.township1, help.caseNo, 'acknowledge');
      await act(t, tk.township1, help.caseNo, 'verify', { ...VERIFY_BODY, visitDate: '2026-11-20' });
      await act(t, tk.township1, help.caseNo, 'feedback', { ...FEEDBACK_BODY, date: '2026-11-20' });
      await act(t, tk.township1, help.caseNo, 'submit', SUBMIT_BODY);
      let res = await act(t, tk.supervisor, help.caseNo, 'approve');
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('须由县级入户核查');
      res = await act(t, tk.township1, help.caseNo, 'county-visit', { visitors: ['王丽', '陈建国'], visitDate: '2026-11-20', findings: '县级入户核查，家庭情况属实。' });
      expect(res.status).toBe(403);
      res = await act(t, tk.supervisor, help.caseNo, 'county-visit', { visitors: ['王丽'], visitDate: '2026-11-20', findings: '县级入户核查，家庭情况属实。' });
      expect(res.status).toBe(400);
      expect((await act(t, tk.supervisor, help.caseNo, 'county-visit', { visitors: ['王丽', '陈建国'], visitDate: '2026-11-20', findings: '县级入户核查，家庭情况属实，无优亲厚友。' })).status).toBe(200);
      expect((await act(t, tk.supervisor, help.caseNo, 'approve')).body.status).toBe('approved');
    });

    it('reminds of registrations due within a month of appointment', async () => {
      const sup = await signIn(t, 'supervisor');
      const csrf = await csrfOf(sup, '/relatives/new');
      const appointed = shanghaiDate(new Date(TEST_START.getTime() - 20 * 86400_000));
      await sup.post('/relatives').type('form').send({ _csrf: csrf, staffName: '新任村主任', staffPost: '村委会主任', staffUnit: '河口村村委会', townshipId: '2', appointedAt: appointed, relativeName: '新任之弟', relationship: '兄弟姐妹' });
      const page = await sup.get('/relatives');
      expect(page.text).toContain('备案提醒');
      expect(page.text).toMatch(/新任村主任[\s\S]*应于 <strong>\d{4}-\d{2}-\d{2}<\/strong> 前备案/);
    });

    it('exports the register as .xlsx that an independent reader opens with Chinese intact', async () => {
      const sup = await signIn(t, 'supervisor');
      const res = await sup.get('/relatives/export.xlsx').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const ws = wb.worksheets[0];
      expect(ws.name).toBe('近亲属备案');
      expect(ws.getRow(1).getCell(1).value).toBe('工作人员姓名');
      const values = ws.getColumn(7).values as unknown[];
      expect(values).toContain('李大山');
    });

    it('imports rows from .xlsx, all or nothing', async () => {
      const sup = await signIn(t, 'supervisor');
      const build = async (rows: unknown[][]) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('近亲属备案');
        ws.addRow(['工作人员姓名', '职务', '单位', '乡镇', '村（社区）', '任职日期', '亲属姓名', '亲属身份证号码', '关系', '救助项目']);
        for (const r of rows) ws.addRow(r);
        return Buffer.from(await wb.xlsx.writeBuffer());
      };
      const before = (await t.dataSource.query('SELECT COUNT(*) n FROM relative_registrations'))[0].n;
      let csrf = await csrfOf(sup, '/relatives');
      const bad = await sup
        .post('/relatives/import')
        .field('_csrf', csrf)
        .attach('file', await build([['赵会计', '村会计', '龙泉村村委会', '龙泉镇', '龙泉村', '', '赵小妹', '', '兄弟姐妹', '农村低保'], ['钱主任', '村主任', '石门村村委会', '不存在镇', '', '', '钱某', '110105194912310021', '表亲', '']]), '备案.xlsx');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('第 3 行');
      expect(bad.text).toContain('乡镇「不存在镇」不存在');
      expect((await t.dataSource.query('SELECT COUNT(*) n FROM relative_registrations'))[0].n).toBe(before);
      csrf = await csrfOf(sup, '/relatives');
      const ok = await sup
        .post('/relatives/import')
        .field('_csrf', csrf)
        .attach('file', await build([['赵会计', '村会计', '龙泉村村委会', '龙泉镇', '龙泉村', '2026-10-01', '赵小妹', '', '兄弟姐妹', '农村低保'], ['孙委员', '村委委员', '柳林村村委会', '柳林镇', '', '', '孙老汉', '', '父母', '特困供养（分散）']]), '备案.xlsx');
      expect(ok.status).toBe(303);
      expect((await t.dataSource.query('SELECT COUNT(*) n FROM relative_registrations'))[0].n).toBe(before + 2);
      const [imported] = await t.dataSource.query(`SELECT program, appointedAt FROM relative_registrations WHERE relativeName = '孙老汉'`);
      expect(imported.program).toBe('tekunDispersed');
    });

    it('refuses an import without the CSRF token', async () => {
      const sup = await signIn(t, 'supervisor');
      const res = await sup.post('/relatives/import').attach('file', Buffer.from('x'), 'a.xlsx');
      expect(res.status).toBe(403);
    });

    it('keeps the register from township staff', async () => {
      expect((await (await signIn(t, 'township1')).get('/relatives')).status).toBe(403);
    });
  });
});
