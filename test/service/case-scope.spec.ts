import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/auth/auth-user';
import { applyCaseScope, caseScopeSql } from '../../src/cases/case-access';
import { Case } from '../../src/cases/entities/case.entity';
import { createDataSource } from '../../src/database/data-source';
import { applyReferralScope, referralScopeSql } from '../../src/referrals/referral-access';
import { Referral } from '../../src/referrals/entities/referral.entity';
import { testDatabase, type TestDatabase } from '../utils/engine';
import { copyTemplate } from '../utils/test-app';

/**
 * The one scope rule has two wordings, a query-builder condition and raw SQL (for the queues,
 * counts and reports). Both are checked here, on the demo county with recusals added, against
 * the rule written out independently in plain code from DOMAIN §2 and §7.
 */
describe('the case scope rule and its SQL twin', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let users: (AuthUser & { recusedFrom: Set<number> })[];
  let cases: { id: number; townshipId: number | null; assignedAt: string | null; countyCode: string }[];
  let leadsOfCase: Map<number, { referralId: number; handlerId: number }[]>;
  let leads: { id: number; handlerId: number; countyCode: string; caseIds: number[] }[];

  beforeAll(async () => {
    db = await testDatabase('demo', copyTemplate);
    ds = createDataSource(db.target);
    await ds.initialize();
    // a second county beside the demo county, both under the demo prefecture; every tenth case
    // (and every tenth lead) is that county's
    await ds.query(`INSERT INTO regions (code, name, level, parentCode, bureauName) VALUES ('141098', '清河县', 'county', '141000', '清河县民政局')`);
    await ds.query(`UPDATE cases SET countyCode = '141098' WHERE id % 10 = 0`);
    await ds.query(`UPDATE referrals SET countyCode = '141098' WHERE id % 10 = 0`);
    const all: { id: number; username: string; displayName: string; role: AuthUser['role']; townshipId: number | null; regionCode: string }[] = await ds.query(
      'SELECT id, username, displayName, role, townshipId, regionCode FROM users ORDER BY id',
    );
    cases = await ds.query('SELECT id, townshipId, assignedAt, countyCode FROM cases ORDER BY id');
    // recuse every user from a few cases: some handed to their township, some not, one referred
    const referred: { caseId: number }[] = await ds.query('SELECT caseId FROM referral_cases ORDER BY caseId');
    for (const [i, u] of all.entries()) {
      const pick = [cases[i * 7].id, cases[i * 7 + 3].id, ...(u.role === 'township' ? cases.filter((c) => c.townshipId === u.townshipId && c.assignedAt).slice(0, 2).map((c) => c.id) : []), referred[i % referred.length].caseId];
      for (const caseId of new Set(pick)) await ds.query(`INSERT INTO case_recusals (caseId, userId, reason) VALUES (?, ?, 'subject') ON CONFLICT DO NOTHING`, [caseId, u.id]);
    }
    const recusals: { caseId: number; userId: number }[] = await ds.query('SELECT caseId, userId FROM case_recusals');
    // the prefecture's supervisor reaches both counties; everyone else their own county
    const reach = (code: string) => (code === '141000' ? ['141098', '141099'] : [code]);
    users = all.map((u) => ({ ...u, countyCodes: reach(u.regionCode), via: 'session' as const, recused: true, recusedFrom: new Set(recusals.filter((r) => r.userId === u.id).map((r) => r.caseId)) }));
    const links: { referralId: number; caseId: number; handlerId: number; countyCode: string }[] = await ds.query(
      'SELECT rc.referralId, rc.caseId, r.handlerId, r.countyCode FROM referral_cases rc JOIN referrals r ON r.id = rc.referralId',
    );
    leadsOfCase = new Map();
    for (const l of links) leadsOfCase.set(l.caseId, [...(leadsOfCase.get(l.caseId) ?? []), l]);
    const byLead = new Map<number, { id: number; handlerId: number; countyCode: string; caseIds: number[] }>();
    for (const l of links) byLead.set(l.referralId, { id: l.referralId, handlerId: l.handlerId, countyCode: l.countyCode, caseIds: [...(byLead.get(l.referralId)?.caseIds ?? []), l.caseId] });
    leads = [...byLead.values()];
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** DOMAIN §2 and §7, as plain code. */
  function maySee(u: (typeof users)[number], c: (typeof cases)[number]): boolean {
    if (!u.countyCodes!.includes(c.countyCode)) return false;
    if (u.recusedFrom.has(c.id)) return false;
    switch (u.role) {
      case 'operator':
      case 'supervisor':
        return true;
      case 'township':
        return c.townshipId === u.townshipId && c.assignedAt !== null;
      case 'liaison':
        return (leadsOfCase.get(c.id) ?? []).some((l) => l.handlerId === u.id);
      default:
        return false;
    }
  }

  it('has users of every role with recusals, and referred cases, in two counties', () => {
    expect(new Set(cases.map((c) => c.countyCode))).toEqual(new Set(['141098', '141099']));
    expect(new Set(leads.map((l) => l.countyCode)).size).toBeGreaterThan(0);
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['admin', 'operator', 'supervisor', 'liaison', 'township']));
    expect(users.every((u) => u.recusedFrom.size >= 2)).toBe(true);
    expect(leads.length).toBeGreaterThan(0);
  });

  it('gives every user the same cases through the query builder, the raw SQL and the rule itself', async () => {
    for (const u of users) {
      const expected = cases.filter((c) => maySee(u, c)).map((c) => c.id);
      const viaBuilder = (await applyCaseScope(ds.getRepository(Case).createQueryBuilder('c').select('c.id', 'id'), u).orderBy('c.id').getRawMany<{ id: number }>()).map((r) => r.id);
      const scope = caseScopeSql(u);
      const viaSql = ((await ds.query(`SELECT c.id FROM cases c WHERE ${scope.sql} ORDER BY c.id`, scope.params)) as { id: number }[]).map((r) => r.id);
      expect({ user: u.username, ids: viaBuilder }).toEqual({ user: u.username, ids: expected });
      expect({ user: u.username, ids: viaSql }).toEqual({ user: u.username, ids: expected });
    }
  });

  it('skips the recusal check only for a user known to have none', async () => {
    const township = users.find((u) => u.role === 'township')!;
    const scope = caseScopeSql({ ...township, recused: false });
    const ids = ((await ds.query(`SELECT c.id FROM cases c WHERE ${scope.sql}`, scope.params)) as { id: number }[]).map((r) => r.id);
    const inTownship = cases.filter((c) => township.recusedFrom.has(c.id) && c.countyCode === '141099' && c.townshipId === township.townshipId && c.assignedAt).map((c) => c.id);
    expect(inTownship.length).toBeGreaterThan(0);
    expect(ids).toEqual(expect.arrayContaining(inTownship));
    const unknown = caseScopeSql({ ...township, recused: undefined });
    const ids2 = ((await ds.query(`SELECT c.id FROM cases c WHERE ${unknown.sql}`, unknown.params)) as { id: number }[]).map((r) => r.id);
    expect(ids2.some((id) => township.recusedFrom.has(id))).toBe(false);
  });

  it('shows a lead to supervisors and its liaison only, and never to a user recused from one of its cases', async () => {
    for (const u of users) {
      const expected = leads
        .filter((l) => u.countyCodes!.includes(l.countyCode) && (u.role === 'supervisor' || (u.role === 'liaison' && l.handlerId === u.id)) && !l.caseIds.some((id) => u.recusedFrom.has(id)))
        .map((l) => l.id)
        .sort((a, b) => a - b);
      const viaBuilder = (await applyReferralScope(ds.getRepository(Referral).createQueryBuilder('r').select('r.id', 'id'), u).orderBy('r.id').getRawMany<{ id: number }>()).map((r) => r.id);
      const s = referralScopeSql(u);
      const viaSql = ((await ds.query(`SELECT r.id FROM referrals r WHERE ${s.sql} ORDER BY r.id`, s.params)) as { id: number }[]).map((r) => r.id);
      expect({ user: u.username, ids: viaBuilder }).toEqual({ user: u.username, ids: expected });
      expect({ user: u.username, ids: viaSql }).toEqual({ user: u.username, ids: expected });
    }
  });
});
