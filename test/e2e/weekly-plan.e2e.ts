import { caseScopeSql } from '../../src/cases/case-access';
import { toAuthUser } from '../../src/auth/auth.service';
import { sqlOf, Sql } from '../../src/database/sql';
import { User } from '../../src/users/entities/user.entity';
import { casesClosed, casesVisited, focusComplaints, homeVisitsMade, misconductReceived, onlineAccepted, overdueAsOf, receivedByKind, townshipWeek } from '../../src/reports/reports.repository';
import { queryPlan, readsWholeTable, usesIndex } from '../utils/plan';
import { onPostgres } from '../utils/engine';
import { createTestApp, TestApp } from '../utils/test-app';

/**
 * The reports cost what their period holds: each of their queries reads the period's cases,
 * history entries and clocks through an index, never the whole of cases or case_history (EXPLAIN).
 */
describe('the weekly and monthly reports read their period through indexes (EXPLAIN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // The plans asked about are those for a county's years of cases. SQLite's statistics of the
    // 240 demo cases (taken at start-up) rightly tell it to read such small tables whole; without
    // statistics it plans as for any size. PostgreSQL's planner is not told the demo's sizes.
    if (!onPostgres) await t.dataSource.query('DELETE FROM sqlite_stat1').then(() => t.dataSource.query('ANALYZE sqlite_schema'));
  });
  afterAll(() => t.close());

  /** Every statement the report functions run, with its parameters (the statements run too). */
  function recording(): { sql: Sql; seen: { text: string; params: unknown[] }[] } {
    const real = sqlOf(t.dataSource.manager);
    const seen: { text: string; params: unknown[] }[] = [];
    const keep = <R>(f: (text: string, params?: readonly unknown[]) => Promise<R>) => (text: string, params: readonly unknown[] = []) => {
      seen.push({ text, params: [...params] });
      return f(text, params);
    };
    return { sql: { engine: real.engine, all: keep(real.all.bind(real)), get: keep(real.get.bind(real)), rows: keep(real.rows.bind(real)), run: keep(real.run.bind(real)) } as Sql, seen };
  }

  const at = ['2026-02-25 16:00:00.000', '2026-03-04 16:00:00.000'] as const;
  const days = ['2026-02-26', '2026-03-05'] as const;
  const asOf = { day: '2026-03-05', at: '2026-03-04 16:00:00.000' };

  it.each(['supervisor', 'township1'])('the weekly report as %s: every query on cases and history uses an index', async (username) => {
    const user = toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username }), 'token');
    const scope = caseScopeSql(user);
    const { sql, seen } = recording();
    await receivedByKind(sql, at, scope);
    await townshipWeek(sql, at, asOf, scope);
    await casesClosed(sql, at, scope);
    await misconductReceived(sql, at, scope);
    await homeVisitsMade(sql, days, scope);
    await overdueAsOf(sql, asOf, scope);
    await focusComplaints(sql, ['favouritism', 'bribery', 'opaqueHandling'], at, scope);
    const plans = await Promise.all(seen.map(async (s) => ({ text: s.text, plan: await queryPlan(t.dataSource, s.text, s.params) })));
    for (const { text, plan } of plans) {
      for (const alias of ['c', 'cr', 'cc', 'h', 'd', 'd2']) expect({ text, plan }).toEqual({ text, plan: expect.not.stringMatching(readsWholeTable(alias)) });
    }
    const planOf = (fragment: string) => plans.find((p) => p.text.includes(fragment))!.plan;
    expect(planOf('visitDate')).toMatch(usesIndex('h', 'IDX_case_history_visit_date'));
    expect(planOf('UNION ALL SELECT d2.caseId')).toMatch(usesIndex('d2', 'IDX_case_deadlines_closed'));
    // the county's week by the closing time (a township's may go by its own cases instead, also an index)
    if (username === 'supervisor') expect(planOf('c.closedAt >= ? AND c.closedAt < ? AND')).toMatch(usesIndex('c', 'IDX_cases_closed'));
  });

  it('the monthly statistics read the accepted and visited cases of the month through an index', async () => {
    const scope = caseScopeSql(toAuthUser(await t.dataSource.getRepository(User).findOneByOrFail({ username: 'supervisor' }), 'token'));
    const { sql, seen } = recording();
    await onlineAccepted(sql, at, scope, null);
    await casesVisited(sql, 'verify', days, scope, null);
    await casesVisited(sql, 'county-visit', days, scope, 1);
    for (const s of seen) {
      const plan = await queryPlan(t.dataSource, s.text, s.params);
      expect(plan).not.toMatch(readsWholeTable('h'));
      expect(plan).toMatch(usesIndex('h', s.text.includes('visitDate') ? 'IDX_case_history_visit_date' : 'IDX_case_history_action_at'));
    }
  });
});
