import { toAuthUser } from '../../src/auth/auth.service';
import type { AuthUser } from '../../src/auth/auth-user';
import { CaseQueryService } from '../../src/cases/case-query.service';
import type { SearchLeg } from '../../src/cases/case-search';
import { CASE_SEARCH } from '../../src/cases/case-search.repository';
import { User } from '../../src/users/entities/user.entity';
import { complaintBody, helpRequestBody, validIdNumber } from '../factories/case.factory';

/** A valid ID number whose check character is X. */
function idNumberWithX(): string {
  for (let seq = 0; seq < 1000; seq++) {
    const id = validIdNumber('19700505', seq);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no ID number with X');
}
import { onPostgres } from '../utils/engine';
import { indexOnColumn, queryPlan, readsWholeTable, usesIndex } from '../utils/plan';
import { withoutEchoes } from '../utils/routes';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';
import { act, tokens } from '../utils/workflow';

/**
 * The one search box of the case list (issue: finding a case): case number, phone, ID number,
 * reporter and subject name, content words; within the viewer's scope and masking; searches by
 * personal data audited.
 */
describe('finding a case with the search box', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  // a real-name complaint handed to 城关镇 (township 1): its reporter is withheld from the township
  const complainant = { reporterName: '搜寻甲', reporterPhone: '13922224444', reporterIdNumber: idNumberWithX() };
  // a help request of 城关镇, reporter reachable by the township, phone a landline
  const helpSeeker = { reporterName: '搜寻乙', reporterPhone: '0358-3227788', reporterIdNumber: validIdNumber('19650606', 654) };
  let complaintNo: string;
  let helpNo: string;
  let aboutOperatorNo: string;

  const api = (token: string, q: string, extra = '') => t.http().get(`/api/v1/cases?q=${encodeURIComponent(q)}${extra}`).set('Authorization', `Bearer ${token}`);
  const found = async (token: string, q: string): Promise<string[]> => {
    const res = await api(token, q);
    expect(res.status).toBe(200);
    return res.body.items.map((i: { caseNo: string }) => i.caseNo);
  };
  const searchAudits = async (): Promise<{ id: number; actorName: string; targetId: string; detail: string }[]> =>
    t.dataSource.query(`SELECT id, actorName, targetId, detail FROM audit_events WHERE action = 'case.search' ORDER BY id`);

  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
    const post = async (token: string, body: object) => {
      const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(body);
      if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.caseNo as string;
    };
    complaintNo = await post(
      tk.operator,
      complaintBody({
        reporterType: 'realName', ...complainant, townshipId: 1, subjectName: '钱 多多', subjectPost: '村主任',
        // the operator typed the complainant's name and phone into the content
        content: '本人搜寻甲，电话13922224444，举报村主任钱多多把亲戚纳入低保。',
      }),
    );
    helpNo = await post(tk.operator, helpRequestBody({ ...helpSeeker, townshipId: 1, content: '家中老人瘫痪，申请低保。' }));
    for (const no of [complaintNo, helpNo]) {
      expect((await act(t, tk.operator, no, 'accept')).status).toBe(200);
      expect((await act(t, tk.operator, no, 'assign', { townshipId: 1 })).status).toBe(200);
    }
    // about the operator (王丽): she is recused from it from intake on
    aboutOperatorNo = await post(
      tk.supervisor,
      complaintBody({ reporterType: 'realName', reporterName: '搜寻丙', reporterPhone: '13922226666', townshipId: 2, subjectName: '王丽', subjectPost: '接线员', content: '举报接线员王丽态度恶劣推诿扯皮。' }),
    );
  });
  afterAll(() => t.close());

  describe('county staff find a case by each kind of key', () => {
    it.each(['operator', 'supervisor'] as const)('finds it by the case number typed in lower case, with a space and without the hyphen (%s)', async (who) => {
      const typed = complaintNo.toLowerCase().replace('-', ' ');
      const res = await api(tk[who], typed);
      expect(res.body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([complaintNo]);
      expect(res.body.searchedAs).toBe('caseNo');
      expect(await found(tk[who], complaintNo.replace('-', ''))).toEqual([complaintNo]);
    });

    it.each(['operator', 'supervisor'] as const)('finds it by the mobile, spaces and hyphens ignored (%s)', async (who) => {
      expect(await found(tk[who], '139 2222 4444')).toEqual([complaintNo]);
      expect(await found(tk[who], '139-2222-4444')).toEqual([complaintNo]);
    });

    it.each(['operator', 'supervisor'] as const)('finds a landline stored with its hyphen, typed as digits (%s)', async (who) => {
      expect(await found(tk[who], '03583227788')).toEqual([helpNo]);
      expect(await found(tk[who], '0358 322 7788')).toEqual([helpNo]);
    });

    it.each(['operator', 'supervisor'] as const)('finds it by the ID number, with a lower-case x and a space as well (%s)', async (who) => {
      expect(await found(tk[who], complainant.reporterIdNumber)).toEqual([complaintNo]);
      expect(await found(tk[who], complainant.reporterIdNumber.toLowerCase().replace(/^(.{6})/, '$1 '))).toEqual([complaintNo]);
    });

    it.each(['operator', 'supervisor'] as const)('finds it by the reporter’s name, typed with a space (%s)', async (who) => {
      const res = await api(tk[who], '搜 寻甲');
      expect(res.body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([complaintNo]);
      expect(res.body.searchedAs).toBe('name');
      expect(await found(tk[who], '搜寻乙')).toEqual([helpNo]);
    });

    it.each(['operator', 'supervisor'] as const)('finds it by the subject’s name, stored as typed with a space (%s)', async (who) => {
      expect(await found(tk[who], '钱多多')).toContain(complaintNo);
    });

    it('still finds content words', async () => {
      expect(await found(tk.supervisor, '瘫痪')).toContain(helpNo);
    });

    it('jumps straight to the case page when the number is found', async () => {
      const agent = await signIn(t, 'supervisor');
      const res = await agent.get(`/cases?q=${encodeURIComponent(' ' + complaintNo.toLowerCase().replace('-', '') + ' ')}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/cases/${complaintNo}`);
    });

    it('lists the cases of a phone on the page, saying how it searched', async () => {
      const agent = await signIn(t, 'operator');
      const res = await agent.get(`/cases?q=${encodeURIComponent('139 2222 4444')}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(complaintNo);
      expect(res.text).toContain('按电话号码查找');
      expect(res.text).toContain('共 1 件');
    });

    it('explains the search box in Chinese', async () => {
      const res = await (await signIn(t, 'operator')).get('/cases');
      expect(res.text).toContain('placeholder="案件编号、电话、身份证号码、姓名或关键词"');
      expect(res.text).toContain('反映人或被反映人姓名');
    });
  });

  describe('township staff', () => {
    it('find their own township’s help request by the reporter’s phone and name', async () => {
      expect(await found(tk.township1, '0358-322-7788')).toEqual([helpNo]);
      expect(await found(tk.township1, '搜寻乙')).toEqual([helpNo]);
      const page = await (await signIn(t, 'township1')).get(`/cases?q=${encodeURIComponent('03583227788')}`);
      expect(page.text).toContain(helpNo);
    });

    it('do not find a withheld complainant by name, phone or ID number, nor by the words of them in the content', async () => {
      for (const q of ['搜寻甲', '13922224444', '139 2222 4444', complainant.reporterIdNumber, '13922224444 举报', '寻甲']) {
        expect({ q, found: await found(tk.township1, q) }).toEqual({ q, found: [] });
      }
      const agent = await signIn(t, 'township1');
      for (const q of ['搜寻甲', '13922224444', complainant.reporterIdNumber]) {
        const page = await agent.get(`/cases?q=${encodeURIComponent(q)}`);
        expect(page.status).toBe(200);
        expect(page.text).not.toContain(complaintNo);
        expect(page.text).toContain('共 0 件');
      }
    });

    it('find the complaint by its subject or its words, without the complainant in the row', async () => {
      const res = await api(tk.township1, '钱多多');
      expect(res.body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([complaintNo]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('搜寻甲');
      expect(text).not.toContain('13922224444');
      expect(text).not.toContain('4444');
      const page = await (await signIn(t, 'township1')).get(`/cases?q=${encodeURIComponent('钱多多')}`);
      expect(page.text).toContain(complaintNo);
      expect(withoutEchoes(page.text)).not.toContain('搜寻甲');
    });

    it('find the complainant once a supervisor has disclosed them to the township', async () => {
      const sup = await signIn(t, 'supervisor');
      const csrf = await csrfOf(sup, `/cases/${complaintNo}`);
      const ok = await sup.post(`/cases/${complaintNo}/disclose-reporter`).type('form').send({ _csrf: csrf, reason: '需当面核实举报人提供的材料' });
      expect(ok.status).toBe(303);
      expect(await found(tk.township1, '搜寻甲')).toEqual([complaintNo]);
      expect(await found(tk.township1, '139 2222 4444')).toEqual([complaintNo]);
      expect(await found(tk.township1, complainant.reporterIdNumber)).toEqual([complaintNo]);
      // another township does not see the case at all
      expect(await found(tk.township2, '钱多多')).toEqual([]);
    });
  });

  describe('a user recused from a case', () => {
    it('finds it by nothing: number, phone, names or words', async () => {
      for (const q of [aboutOperatorNo, aboutOperatorNo.toLowerCase().replace('-', ''), '13922226666', '搜寻丙', '王丽', '态度恶劣']) {
        expect({ q, found: await found(tk.operator, q) }).toEqual({ q, found: [] });
        expect(await found(tk.supervisor, q)).toContain(aboutOperatorNo);
      }
    });

    it('is not sent to its page by its number', async () => {
      const res = await (await signIn(t, 'operator')).get(`/cases?q=${encodeURIComponent(aboutOperatorNo)}`);
      expect(res.status).toBe(200);
      expect(withoutEchoes(res.text)).not.toContain(aboutOperatorNo);
      expect(res.text).toContain('共 0 件');
    });
  });

  describe('audit', () => {
    it('records a phone search with the key masked and hashed, and the cases returned', async () => {
      const before = (await searchAudits()).length;
      await found(tk.supervisor, '139 2222 4444');
      const rows = await searchAudits();
      expect(rows.length).toBe(before + 1);
      const last = rows[rows.length - 1];
      expect(last).toMatchObject({ actorName: '陈建国', targetId: 'phone' });
      const detail = JSON.parse(last.detail);
      expect(detail.key).toBe('139****4444');
      expect(detail.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(detail.caseNos).toEqual([complaintNo]);
      expect(last.detail).not.toContain('13922224444');
    });

    it('records ID number and name searches the same way, the same key giving the same hash', async () => {
      await found(tk.operator, complainant.reporterIdNumber);
      await found(tk.operator, complainant.reporterIdNumber.toLowerCase());
      const rows = (await searchAudits()).slice(-2).map((r) => ({ ...r, d: JSON.parse(r.detail) }));
      expect(rows.map((r) => r.targetId)).toEqual(['idNumber', 'idNumber']);
      expect(rows[0].d.key).toBe(`${complainant.reporterIdNumber.slice(0, 4)}**********${complainant.reporterIdNumber.slice(-4)}`);
      expect(rows[0].d.keyHash).toBe(rows[1].d.keyHash);
      await found(tk.operator, '搜 寻乙');
      const name = (await searchAudits()).slice(-1)[0];
      expect(name.targetId).toBe('name');
      expect(JSON.parse(name.detail)).toMatchObject({ key: '搜**', caseNos: [helpNo] });
      expect(name.detail).not.toContain('搜寻乙');
    });

    it('records a township user trying a complainant’s name, with nothing returned', async () => {
      const other = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(complaintBody({ reporterType: 'realName', reporterName: '搜寻丁', reporterPhone: '13922228888', townshipId: 1 }));
      await act(t, tk.operator, other.body.caseNo, 'accept');
      await act(t, tk.operator, other.body.caseNo, 'assign', { townshipId: 1 });
      expect(await found(tk.township1, '搜寻丁')).toEqual([]);
      const last = (await searchAudits()).slice(-1)[0];
      expect(last).toMatchObject({ actorName: '李晓梅', targetId: 'name' });
      expect(JSON.parse(last.detail)).toMatchObject({ key: '搜**', caseNos: [] });
    });

    it('does not record a search for words that are nobody’s name, nor for a case number', async () => {
      const before = (await searchAudits()).length;
      await found(tk.supervisor, '低保');
      await found(tk.supervisor, complaintNo);
      expect((await searchAudits()).length).toBe(before);
    });

    it('records every name-shaped search by township staff, so its timing tells them nothing', async () => {
      const before = (await searchAudits()).length;
      await found(tk.township1, '低保');
      const rows = await searchAudits();
      expect(rows.length).toBe(before + 1);
      expect(rows[rows.length - 1]).toMatchObject({ actorName: '李晓梅', targetId: 'name' });
    });

    it('records an export of the ledger found by a phone', async () => {
      const res = await t.http().get(`/api/v1/cases/export?format=csv&q=${encodeURIComponent('13922224444')}`).set('Authorization', `Bearer ${tk.supervisor}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(complaintNo);
      const last = (await searchAudits()).slice(-1)[0];
      expect(JSON.parse(last.detail)).toMatchObject({ key: '139****4444', caseNos: [complaintNo], export: 'csv', rows: 1 });
    });

    it('shows the searches on the supervisor’s audit page, masked', async () => {
      const res = await (await signIn(t, 'supervisor')).get('/audit/reporters');
      expect(res.text).toContain('按电话号码查找案件（139****4444），找到 1 件');
      expect(res.text).toContain('按姓名查找案件（搜**），找到 0 件');
      expect(res.text).not.toContain('13922224444');
    });
  });

  describe('each kind is looked up through an index (EXPLAIN)', () => {
    const plan = async (user: AuthUser, q: string, leg: SearchLeg) => {
      const qb = t.app.get(CaseQueryService).filtered(user, { q }, leg).select('c.id').orderBy(leg === 'content' ? CASE_SEARCH.id : 'c.id', 'DESC').limit(21);
      const [sql, params] = qb.getQueryAndParameters();
      return queryPlan(t.dataSource, sql, params);
    };
    const as = async (username: string, recused: boolean) => ({ ...toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username }), 'token'), recused });
    const [caseNoIndex, phoneIndex, idIndex] = ['caseNo', 'reporterPhone', 'reporterIdNumber'];

    it.each([
      ['a case number', 'jz2026 000001', 'caseNo', caseNoIndex],
      ['a phone (as typed)', '0358 322 7788', 'phone0', phoneIndex],
      ['a phone (with its area code’s hyphen)', '0358 322 7788', 'phone2', phoneIndex],
      ['an ID number', '11010519491231002X', 'idNumber', idIndex],
      ['a reporter name', '搜寻甲', 'reporterName', 'IDX_cases_reporter_name_key'],
      ['a subject name', '钱多多', 'subjectName', 'IDX_cases_subject_name_key'],
    ] as const)('finds %s by its index, never reading the whole table, for county and township staff', async (_, q, leg, index) => {
      const name = index.startsWith('IDX_') ? index : await indexOnColumn(t.dataSource, 'cases', index);
      for (const user of [await as('supervisor', false), await as('township1', true), await as('operator', true)]) {
        const p = await plan(user, q, leg);
        expect(p).toMatch(usesIndex('c', name));
        expect(p).not.toMatch(readsWholeTable('c'));
        expect(p).not.toMatch(/IDX_cases_township/);
      }
    });

    it('walks the content through the full-text index', async () => {
      if (onPostgres) {
        // The GIN index of the tsvector answers each kind of content query, a 2-character word
        // among them (pg_trgm could not below three characters). Whether the list walks it, or
        // walks case_search in id order and stops at the page (a common word), is the planner's
        // choice by the word's frequency and the viewer's scope (a township's cases by its own
        // index); either way no table is read whole.
        for (const q of ['低保', '低', '钱多多', 'jz']) {
          const own = await queryPlan(t.dataSource, 'SELECT s.caseId FROM case_search s WHERE s.body @@ CAST(? AS tsquery)', [CASE_SEARCH.query(q)]);
          expect({ q, own }).toEqual({ q, own: expect.stringMatching(usesIndex('s', 'IDX_case_search_body')) });
        }
      }
      for (const user of [await as('supervisor', false), await as('township1', true)]) {
        const p = await plan(user, '低保', 'content');
        if (onPostgres) {
          expect(p).toMatch(/using (IDX_case_search_body|case_search_pkey) on case_search s|Bitmap Index Scan on IDX_case_search_body/);
          expect(p).not.toMatch(/Seq Scan/);
        } else {
          expect(p).toMatch(/SCAN s VIRTUAL TABLE INDEX/);
          expect(p).toMatch(/SEARCH c USING INTEGER PRIMARY KEY/);
          expect(p).not.toMatch(readsWholeTable('c'));
        }
      }
    });
  });

  describe('bad input', () => {
    it('refuses a 200-character search in the API with a Chinese message', async () => {
      const res = await api(tk.supervisor, '低'.repeat(200));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'q', message: '搜索词不超过50个字' }]);
    });

    it('refuses it on the page, next to the box, with no list', async () => {
      const res = await (await signIn(t, 'supervisor')).get(`/cases?q=${'a'.repeat(200)}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('搜索词不超过50个字');
      expect(res.text).not.toContain(complaintNo);
    });
  });
});
