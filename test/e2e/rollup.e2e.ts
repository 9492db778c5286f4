import { toAuthUser } from '../../src/auth/auth.service';
import type { AuthUser } from '../../src/auth/auth-user';
import { RegionsService } from '../../src/regions/regions.service';
import { RollupService } from '../../src/regions/rollup.service';
import { DashboardService } from '../../src/reports/dashboard.service';
import { User } from '../../src/users/entities/user.entity';
import { TEST_TODAY } from '../utils/clock';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

/**
 * 各县统计 computes every county's figures in one grouped computation (by the case's county): each
 * county's row must be exactly the dashboard computed for that county alone, under the same scope
 * rule (here with a recusal of the viewer). Three counties under the demo prefecture 清川市: the
 * demo county's year of cases (overdue, on time, late, called back) dealt out among them.
 */
describe('the roll-up across counties, grouped by county', () => {
  let t: TestApp;
  const period = { from: '2026-01-01', to: TEST_TODAY };
  const COUNTIES = ['141099', '141098', '141097'];
  let recusedCase: { id: number; countyCode: string };

  /** The prefecture supervisor as the auth guard makes them (their reach, their recusals). */
  async function shi(): Promise<AuthUser> {
    const u = await t.dataSource.getRepository(User).findOneByOrFail({ username: 'shi' });
    const reach = (await t.app.get(RegionsService).reach(u.regionCode))!;
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM case_recusals WHERE userId = ?', [u.id]);
    return { ...toAuthUser(u, 'session'), level: reach.level, countyCodes: reach.countyCodes, recused: Number(n) > 0 };
  }

  /** What the dashboard shows the viewer for one county: its figures, narrowed to that county alone. */
  async function dashboardOf(viewer: AuthUser, code: string) {
    const d = await t.app.get(DashboardService).compute({ ...viewer, countyCodes: [code] }, { ...period, townshipId: null });
    return { code, total: d.total, measured: d.onTime.measured, onTimeRate: d.onTime.rate, openOverdue: d.onTime.openOverdue, reached: d.satisfaction.reached, satisfactionRate: d.satisfaction.rate };
  }

  const rollupOf = async (viewer: AuthUser) =>
    (await t.app.get(RollupService).counties(viewer, period)).map(({ code, total, measured, onTimeRate, openOverdue, reached, satisfactionRate }) => ({
      code, total, measured, onTimeRate, openOverdue, reached, satisfactionRate,
    }));

  beforeAll(async () => {
    t = await createTestApp();
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    await q(`INSERT INTO regions (code, name, level, parentCode, bureauName) VALUES ('141098', '清河县', 'county', '141000', '清河县民政局'), ('141097', '清江县', 'county', '141000', '清江县民政局')`);
    // the demo county's cases dealt out among the three (ids modulo 3), clocks and callbacks with them
    await q(`UPDATE cases SET countyCode = CASE id % 3 WHEN 1 THEN '141098' WHEN 2 THEN '141097' ELSE '141099' END`);
    // the prefecture supervisor is recused from a case that is late in one county
    [recusedCase] = await q(
      `SELECT c.id, c.countyCode FROM cases c WHERE c.receivedAt >= '2026-01-01' AND EXISTS (SELECT 1 FROM case_deadlines d WHERE d.caseId = c.id AND d.status = 'met' AND d.late = TRUE) ORDER BY c.id LIMIT 1`,
    );
    await q(`INSERT INTO case_recusals (caseId, userId, reason) SELECT ?, id, 'relative' FROM users WHERE username = 'shi'`, [recusedCase.id]);
  });
  afterAll(() => t.close());

  it('gives each county exactly what the dashboard computes for that county alone', async () => {
    const viewer = await shi();
    expect([...viewer.countyCodes!].sort()).toEqual([...COUNTIES].sort());
    const rolled = await rollupOf(viewer);
    const alone = await Promise.all(COUNTIES.map((code) => dashboardOf(viewer, code)));
    expect([...rolled].sort((a, b) => a.code.localeCompare(b.code))).toEqual([...alone].sort((a, b) => a.code.localeCompare(b.code)));
    // every county has something of each kind to count, so a wrong grouping cannot agree by accident
    for (const d of alone) {
      expect(d.total).toBeGreaterThan(0);
      expect(d.openOverdue).toBeGreaterThan(0);
      expect(d.onTimeRate).not.toBeNull();
      expect(d.onTimeRate!).toBeGreaterThan(0);
      expect(d.onTimeRate!).toBeLessThan(100);
      expect(d.reached).toBeGreaterThan(0);
      expect(d.satisfactionRate).not.toBeNull();
    }
    // the three counties' figures differ, and together make the whole prefecture's dashboard
    expect(new Set(alone.map((d) => `${d.total}/${d.measured}/${d.openOverdue}`)).size).toBe(3);
    const all = await t.app.get(DashboardService).compute(viewer, { ...period, townshipId: null });
    expect(alone.reduce((a, d) => a + d.total, 0)).toBe(all.total);
    expect(alone.reduce((a, d) => a + d.measured, 0)).toBe(all.onTime.measured);
    expect(alone.reduce((a, d) => a + d.openOverdue, 0)).toBe(all.onTime.openOverdue);
    expect(alone.reduce((a, d) => a + d.reached, 0)).toBe(all.satisfaction.reached);
  });

  it('leaves out the case the viewer is recused from, as the dashboard does', async () => {
    const viewer = await shi();
    expect(viewer.recused).toBe(true);
    const withRecusal = (await rollupOf(viewer)).find((r) => r.code === recusedCase.countyCode)!;
    const unrecused = (await rollupOf({ ...viewer, id: -1 })).find((r) => r.code === recusedCase.countyCode)!;
    expect(withRecusal.total).toBe(unrecused.total - 1);
    expect(withRecusal.measured).toBe(unrecused.measured - 1);
    expect(withRecusal).toEqual(await dashboardOf(viewer, recusedCase.countyCode));
  });

  it('shows the prefecture supervisor each county’s total on 各县统计', async () => {
    const viewer = await shi();
    const html = (await (await signIn(t, 'shi')).get(`/regions?from=${period.from}&to=${period.to}`)).text;
    for (const code of COUNTIES) {
      const d = await dashboardOf(viewer, code);
      expect(html).toMatch(new RegExp(`<tr data-county="${code}">[\\s\\S]*?<td data-col="total">${d.total}</td>`));
    }
  });
});
