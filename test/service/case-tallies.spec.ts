import { fromDbDateTime, parseShanghaiDateTime, shanghaiDate, toDbDateTime } from '../../src/common/time';
import { storedTallies, talliesFromCases } from '../utils/tallies';
import { caseScopeSql } from '../../src/cases/case-access';
import type { AuthUser } from '../../src/auth/auth-user';
import { compactCaseTallies } from '../../src/reports/case-tallies.repository';
import { countsSourceFor, DashboardCases, splitByMonth, supervisionCounts } from '../../src/reports/reports.repository';
import { insertClock } from '../../src/deadlines/deadlines.repository';
import { onPostgres, TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';
import { queryPlan } from '../utils/plan';

type Row = Record<string, unknown>;

/**
 * The roll-up across counties reads its counts from per-county-and-day tallies the database keeps
 * of the cases. Here: they hold for every case of the demo county, they follow writes of every
 * column they count (by hand in SQL, as a repair would be, and through a clock's own trigger),
 * PostgreSQL's appended changes fold in without changing a figure, and the counts read from them
 * are the counts read from the cases one by one, over several periods and days.
 */
describe(`the case tallies follow the cases (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('demo');

  const query = (q: string, p?: unknown[]) => t.ds.query(q, p) as Promise<Row[]>;
  const stored = () => storedTallies(query);
  const fromCases = () => talliesFromCases(query);
  const months = async () => expect(await storedTallies(query, 'month')).toEqual(await talliesFromCases(query, 'month'));

  it('count every case of the demo county once', async () => {
    const expected = await fromCases();
    const total = [...expected.values()].reduce((a, n) => a + n, 0);
    expect(total).toBeGreaterThan(200);
    // fewer rows than cases, or they would save nothing
    expect(expected.size).toBeLessThan(total);
    expect(await stored()).toEqual(expected);
    await months();
  });

  it('follow a write of each column they count, and of a clock', async () => {
    const [a, b] = (await t.ds.query(`SELECT id FROM cases WHERE status = 'closed' ORDER BY id LIMIT 2`)) as { id: number }[];
    await t.ds.query(`UPDATE cases SET callbackResult = 'dissatisfied' WHERE id = ?`, [a.id]);
    await t.ds.query(`UPDATE cases SET receivedAt = ? WHERE id = ?`, ['2026-03-01 17:30:00.000', b.id]);
    await t.ds.query(`UPDATE cases SET kind = 'consult', callbackResult = NULL WHERE id = ?`, [b.id]);
    // another county's case: a new key
    await t.ds.query(`UPDATE cases SET countyCode = '500101' WHERE id = ?`, [a.id]);
    // a write that changes nothing they count leaves them as they were
    const before = await stored();
    await t.ds.query(`UPDATE cases SET content = content || '。' WHERE id = ?`, [a.id]);
    expect(await stored()).toEqual(before);
    // a clock opened late in the past: the case's timeliness columns change, and so its tally
    const [open] = (await t.ds.query(`SELECT id FROM cases WHERE clocksOpen = FALSE AND status = 'closed' ORDER BY id DESC LIMIT 1`)) as { id: number }[];
    await insertClock(t.ds.manager, { caseId: Number(open.id), stage: 'redo', referralId: null, startDate: '2019-12-01', limitValue: 5, unit: 'workday', ruleId: null, dueDate: '2019-12-06', missingYear: null, createdAt: new Date() });
    const after = await fromCases();
    expect(after).not.toEqual(before);
    expect(await stored()).toEqual(after);
    expect([...after.keys()].some((k) => k.startsWith('500101|'))).toBe(true);
    await months();
  });

  it('fold their appended changes in without changing a count', async () => {
    await t.ds.query(`UPDATE cases SET callbackResult = 'unreachable' WHERE status = 'closed'`);
    const changes = async () => Number(((await t.ds.query('SELECT COUNT(*) AS n FROM case_tally_changes')) as Row[])[0].n);
    // PostgreSQL appends each change; SQLite writes the tallies at once
    if (onPostgres) expect(await changes()).toBeGreaterThan(0);
    else expect(await changes()).toBe(0);
    const before = await stored();
    await t.writer.write((m) => compactCaseTallies(m));
    expect(await changes()).toBe(0);
    expect(await stored()).toEqual(before);
    expect(await stored()).toEqual(await fromCases());
    await months();
    // no tally left at 0
    for (const table of ['case_tallies', 'case_month_tallies']) expect(Number(((await t.ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE n <= 0`)) as Row[])[0].n)).toBe(0);
  });

  it('leave no tally at 0: SQLite at once, PostgreSQL when folding, found by a partial index', async () => {
    await t.writer.write((m) => compactCaseTallies(m));
    const zeros = async () => Number(((await t.ds.query(`SELECT (SELECT COUNT(*) FROM case_tallies WHERE n = 0) + (SELECT COUNT(*) FROM case_month_tallies WHERE n = 0) AS n`)) as Row[])[0].n);
    // a case alone in its day's tally moves to another: that tally comes to 0
    const [alone] = (await t.ds.query(`SELECT c.id FROM cases c JOIN case_tallies t ON t.countyCode = c.countyCode AND t.kind = c.kind AND t.n = 1 AND t.day = ${onPostgres ? `to_char(c.receivedAt AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')` : `date(c.receivedAt, '+8 hours')`} ORDER BY c.id LIMIT 1`)) as { id: number }[];
    expect(alone).toBeDefined();
    await t.ds.query(`UPDATE cases SET receivedAt = ? WHERE id = ?`, ['2020-06-15 02:00:00.000', alone.id]);
    if (onPostgres) {
      await t.writer.write((m) => compactCaseTallies(m));
      for (const table of ['case_tallies', 'case_month_tallies']) expect(await queryPlan(t.ds, `DELETE FROM ${table} WHERE n = 0`)).toContain(`IDX_${table}_empty`);
    }
    expect(await zeros()).toBe(0);
    expect(await stored()).toEqual(await fromCases());
  });

  it('give the supervision counts the cases give, by county and in all, over any period and on any day', async () => {
    // some of the demo's cases in a second county, so that grouping by county means something
    await t.ds.query(`UPDATE cases SET countyCode = '500101' WHERE id % 3 = 0`);
    const [range] = (await t.ds.query('SELECT MIN(receivedAt) AS lo, MAX(receivedAt) AS hi FROM cases')) as Row[];
    const lo = shanghaiDate(fromDbDateTime(range.lo as string));
    const hi = shanghaiDate(fromDbDateTime(range.hi as string));
    const mid = shanghaiDate(new Date((fromDbDateTime(range.lo as string).getTime() + fromDbDateTime(range.hi as string).getTime()) / 2));
    const [county] = (await t.ds.query('SELECT DISTINCT countyCode AS c FROM cases WHERE id % 3 <> 0')) as Row[];
    const counties = [String(county.c), '500101'];
    const cases = (from: string, to: string, today: string): DashboardCases => {
      // as the dashboard makes them: the Shanghai days as instants, the last day included
      const at: [string, string] = [toDbDateTime(parseShanghaiDateTime(from)!), toDbDateTime(new Date(parseShanghaiDateTime(to)!.getTime() + 86400_000))];
      return { at, days: { from, to }, townshipId: null, scope: { sql: `c.countyCode IN (?, ?)`, params: counties }, wholeCounties: counties, today };
    };
    let compared = 0;
    // mid's whole month, and the months around it from their first day to the last (whole months alone)
    const monthOf = (d: string) => [`${d.slice(0, 7)}-01`, new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).toISOString().slice(0, 10)];
    const [m0, m1] = monthOf(mid);
    // PostgreSQL: first with the demo's changes appended (its template's were never folded), then folded
    for (const folded of [false, true]) {
      if (folded) await t.writer.write((m) => compactCaseTallies(m));
      for (const [from, to] of [
        [lo, hi],
        [lo, mid],
        [mid, hi],
        [mid, mid],
        [m0, m1],
        [monthOf(lo)[0], m1],
        [m0, monthOf(hi)[1]],
      ]) {
        for (const today of [lo, mid, hi, '2099-01-01']) {
          const f = cases(from, to, today);
          expect(countsSourceFor(f)).toBe('tallies');
          for (const grouping of ['all', 'county'] as const) {
            const byCases = await supervisionCounts(t.ds.manager, f, grouping, 'cases');
            expect(await supervisionCounts(t.ds.manager, f, grouping, 'tallies')).toEqual(byCases);
            compared += [...byCases.values()].reduce((a, x) => a + x.byKind.reduce((s, k) => s + k.n, 0), 0);
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // the whole range, on a late day: cases were measured, late and overdue, so the equality above says something
    const all = (await supervisionCounts(t.ds.manager, cases(lo, hi, '2099-01-01'), 'county', 'cases')).get(counties[1])!;
    expect(all.measured).toBeGreaterThan(0);
    expect(all.openOverdue).toBeGreaterThan(0);
    expect(all.callbacks.length).toBeGreaterThan(1);
  });

  it('are read by the months a period holds whole and its days before and after them', () => {
    expect(splitByMonth('2026-01-15', '2026-04-10')).toEqual({ months: ['2026-02', '2026-03'], days: [['2026-01-15', '2026-01-31'], ['2026-04-01', '2026-04-10']] });
    expect(splitByMonth('2026-01-01', '2026-03-31')).toEqual({ months: ['2026-01', '2026-03'], days: [] });
    expect(splitByMonth('2025-12-04', '2026-12-04')).toEqual({ months: ['2026-01', '2026-11'], days: [['2025-12-04', '2025-12-31'], ['2026-12-01', '2026-12-04']] });
    expect(splitByMonth('2024-02-01', '2024-02-29')).toEqual({ months: ['2024-02', '2024-02'], days: [] });
    expect(splitByMonth('2024-02-01', '2024-02-28')).toEqual({ months: null, days: [['2024-02-01', '2024-02-28']] });
    expect(splitByMonth('2026-03-05', '2026-03-05')).toEqual({ months: null, days: [['2026-03-05', '2026-03-05']] });
    expect(splitByMonth('2026-03-05', '2026-04-20')).toEqual({ months: null, days: [['2026-03-05', '2026-04-20']] });
  });

  it('are read only for whole counties: a county role, not recused', () => {
    const user = (role: string, recused: boolean | undefined, countyCodes = ['141002', '141003']) => ({ id: 7, role, countyCodes, townshipId: 2, recused }) as unknown as AuthUser;
    expect(caseScopeSql(user('supervisor', false)).counties).toEqual(['141002', '141003']);
    expect(caseScopeSql(user('operator', false)).counties).toEqual(['141002', '141003']);
    // recused from some case, or not known not to be: those cases are left out one by one
    expect(caseScopeSql(user('supervisor', true)).counties).toBeNull();
    expect(caseScopeSql(user('supervisor', undefined)).counties).toBeNull();
    for (const role of ['township', 'liaison', 'admin']) expect(caseScopeSql(user(role, false)).counties).toBeNull();
    expect(caseScopeSql(user('supervisor', false, [])).counties).toBeNull();
  });

  it('are not read for a township, or for a scope with more in it than whole counties', () => {
    const f: DashboardCases = { at: ['a', 'b'], days: { from: 'a', to: 'b' }, townshipId: null, scope: { sql: '1 = 1', params: [] }, wholeCounties: ['141002'], today: '2026-12-01' };
    expect(countsSourceFor(f)).toBe('tallies');
    expect(countsSourceFor({ ...f, townshipId: 3 })).toBe('cases');
    expect(countsSourceFor({ ...f, wholeCounties: null })).toBe('cases');
  });
});
