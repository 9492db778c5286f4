import { toAuthUser } from '../../src/auth/auth.service';
import { CaseQueryService } from '../../src/cases/case-query.service';
import { ListCasesDto } from '../../src/cases/dto/list-cases.dto';
import { User } from '../../src/users/entities/user.entity';
import { TEST_TODAY } from '../utils/clock';
import { onPostgres } from '../utils/engine';
import { tokens } from '../utils/workflow';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

type Item = { caseNo: string; deadline: string | null; dueState: string | null; overdue: { days: number; unit: string } | null };

/** The case list (page and API) filtered by overdue / due within N days and sorted by deadline. */
describe('the case list by deadline', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const api = (query: string, token = tk.supervisor) => t.http().get(`/api/v1/cases?${query}`).set('Authorization', `Bearer ${token}`);

  /** Every page of a query, following nextCursor. */
  async function all(query: string, token = tk.supervisor): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const res = await api(`${query}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }

  const addDays = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

  it('lists only cases past their deadline with the overdue filter, each with its days overdue', async () => {
    const items = await all('deadline=overdue');
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE dueDate < ?`, [TEST_TODAY]);
    expect(items.length).toBe(n);
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(i.deadline! < TEST_TODAY).toBe(true);
      expect(i.overdue!.days).toBeGreaterThan(0);
    }
    // with a deadline filter and no sort chosen: earliest deadline first (the filter's index order)
    const deadlines = items.map((i) => i.deadline!);
    expect([...deadlines].sort()).toEqual(deadlines);
    // newest received first only when asked for
    const byReceived = await all('deadline=overdue&sort=received');
    const expected = await t.dataSource.query(`SELECT caseNo FROM cases WHERE dueDate < ? ORDER BY receivedAt DESC, id DESC`, [TEST_TODAY]);
    expect(byReceived.map((i) => i.caseNo)).toEqual(expected.map((r: { caseNo: string }) => r.caseNo));
  });

  it('lists cases due from today to N days ahead with the due-within filter', async () => {
    const items = await all('deadline=dueWithin&withinDays=10');
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE dueDate >= ? AND dueDate <= ?`, [TEST_TODAY, addDays(TEST_TODAY, 10)]);
    expect(items.length).toBe(n);
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(i.deadline! >= TEST_TODAY && i.deadline! <= addDays(TEST_TODAY, 10)).toBe(true);
      expect(i.overdue).toBeNull();
    }
  });

  it('sorts by deadline, earliest first, across pages without losing or repeating a case', async () => {
    const items = await all('sort=due');
    const expected = await t.dataSource.query(`SELECT caseNo FROM cases WHERE dueDate IS NOT NULL ORDER BY dueDate, id`);
    expect(items.map((i) => i.caseNo)).toEqual(expected.map((r: { caseNo: string }) => r.caseNo));
  });

  it('sorts by deadline, latest first, across pages', async () => {
    const items = await all('sort=dueDesc');
    const expected = await t.dataSource.query(`SELECT caseNo FROM cases WHERE dueDate IS NOT NULL ORDER BY dueDate DESC, id DESC`);
    expect(items.map((i) => i.caseNo)).toEqual(expected.map((r: { caseNo: string }) => r.caseNo));
  });

  it('sorts by days overdue, most first, with a filter combined', async () => {
    const items = await all('sort=overdueDays&kind=helpRequest');
    expect(items.length).toBeGreaterThan(0);
    const days = items.map((i) => i.overdue!.days);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE dueDate < ? AND kind = 'helpRequest'`, [TEST_TODAY]);
    expect(items.length).toBe(n);
  });

  it('keeps the township to its own cases when sorting by deadline', async () => {
    const items = await all('sort=due', tk.township1);
    expect(items.length).toBeGreaterThan(0);
    const [{ townshipId }] = await t.dataSource.query(`SELECT townshipId FROM users WHERE username = 'township1'`);
    const theirs = await t.dataSource.query(`SELECT caseNo FROM cases WHERE townshipId = ?`, [townshipId]);
    const set = new Set(theirs.map((r: { caseNo: string }) => r.caseNo));
    expect(items.every((i) => set.has(i.caseNo))).toBe(true);
  });

  it('refuses a cursor of another order and bad values, in Chinese', async () => {
    const first = await api('sort=due&limit=3');
    const wrong = await api(`limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toContainEqual({ field: 'cursor', message: '翻页参数不正确，请从第一页重新查询' });
    const bad = await api('deadline=late&withinDays=200&sort=deadline');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'deadline', message: '期限条件不在可选范围内' },
        { field: 'withinDays', message: '天数应为0至90的整数' },
        { field: 'sort', message: '排序方式不在可选范围内' },
      ]),
    );
  });

  it('shows the filters, the deadline column and the days overdue on the page', async () => {
    const sup = await signIn(t, 'supervisor');
    const res = await sup.get('/cases?deadline=overdue&sort=overdueDays');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<option value="overdue" selected>已超期</option>');
    expect(res.text).toContain('<option value="overdueDays" selected>超期天数（最多在前）</option>');
    expect(res.text).toMatch(/<span class="tag overdue">超期 \d+ 个工作日<\/span>/);
    const next = /href="(\/cases\?[^"]*cursor=[^"]+)"/.exec(res.text);
    if (next) expect((await sup.get(next[1].replace(/&amp;/g, '&'))).status).toBe(200);
    const bad = await sup.get('/cases?sort=fastest');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('排序方式不在可选范围内');
  });

  it('uses the deadline index for the sort and the filters (the query plan), without sorting the table', async () => {
    const svc = t.app.get(CaseQueryService);
    const supervisor = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor' }), 'session');
    // SQLite: EXPLAIN QUERY PLAN. PostgreSQL: EXPLAIN, with sequential scans priced out, since on a
    // test database of a few hundred cases reading the whole table is cheaper than any index; what
    // is checked is that the query's filters and order fit the index, so that at 1M cases it is used.
    const plan = async (f: Partial<ListCasesDto>) => {
      const [sql, params] = svc.pageQuery(supervisor, f as ListCasesDto).qb.getQueryAndParameters();
      if (!onPostgres) {
        const rows: { detail: string }[] = await t.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params);
        return rows.map((r) => r.detail).join('\n');
      }
      return t.dataSource.transaction(async (m) => {
        // the planner's statistics of the rows as they are (as autovacuum keeps them on a real server)
        await m.query('ANALYZE cases');
        await m.query('SET LOCAL enable_seqscan = off');
        const rows: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN ${sql}`, params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    const usesIndex = onPostgres ? /Index Scan (Backward )?using "?IDX_cases_due\b"? on cases c/ : /(SCAN|SEARCH) c USING INDEX IDX_cases_due\b/;
    const sorts = onPostgres ? /\bSort\b/ : /TEMP B-TREE FOR ORDER BY/;
    for (const f of [{ sort: 'due' }, { sort: 'dueDesc' }, { sort: 'overdueDays' }, { deadline: 'overdue' }, { deadline: 'dueWithin', withinDays: 5 }] as Partial<ListCasesDto>[]) {
      const p = await plan(f);
      expect([f, p]).toEqual([f, expect.stringMatching(usesIndex)]);
      expect([f, p]).toEqual([f, expect.not.stringMatching(sorts)]);
    }
  });
});
