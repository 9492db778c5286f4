import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/auth/auth-user';
import { Case } from '../../src/cases/entities/case.entity';
import { reporterFor, reporterWithheldSql } from '../../src/cases/reporter-view';
import { createDataSource } from '../../src/database/data-source';
import { testDatabase, TestDatabase } from '../utils/engine';
import { copyTemplate } from '../utils/test-app';

/**
 * The search box must not find a case by what the viewer may not learn of its reporter; its SQL
 * condition is the twin of reporterFor().withheld, checked here on every case of the demo county
 * (with disclosures, subjects on help requests and misconduct types on suggestions added) for
 * every kind of viewer.
 */
describe('reporterWithheldSql agrees with reporterFor', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let cases: Case[];

  beforeAll(async () => {
    db = await testDatabase('demo', copyTemplate);
    ds = createDataSource(db.target);
    await ds.initialize();
    const ids: { id: number }[] = await ds.query(`SELECT id FROM cases WHERE reporterType = 'realName' ORDER BY id`);
    // disclosures to the handling township and to another one; a help request naming a subject;
    // a suggestion with a misconduct type; an empty subject name (not a report)
    await ds.query(`UPDATE cases SET reporterDisclosedToTownshipId = 1 WHERE id = (SELECT id FROM cases WHERE townshipId = 1 AND kind = 'complaint' AND reporterType = 'realName' ORDER BY id LIMIT 1)`);
    await ds.query(`UPDATE cases SET reporterDisclosedToTownshipId = townshipId WHERE id IN (?, ?)`, [ids[1].id, ids[5].id]);
    await ds.query(`UPDATE cases SET reporterDisclosedToTownshipId = 2 WHERE id = ?`, [ids[9].id]);
    await ds.query(`UPDATE cases SET subjectPost = '村会计' WHERE id = (SELECT id FROM cases WHERE kind = 'helpRequest' AND reporterType = 'realName' ORDER BY id LIMIT 1)`);
    await ds.query(`UPDATE cases SET subjectName = '' WHERE id = (SELECT id FROM cases WHERE kind = 'helpRequest' AND reporterType = 'realName' ORDER BY id LIMIT 1 OFFSET 1)`);
    await ds.query(`UPDATE cases SET kind = 'suggestion', problemTypes = 'other,bribery', subjectName = NULL, subjectUnit = NULL, subjectPost = NULL WHERE id = ?`, [ids[12].id]);
    cases = await ds.getRepository(Case).find({ order: { id: 'ASC' } });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const viewer = (role: AuthUser['role'], townshipId: number | null = null): AuthUser => ({ id: 1, username: 'x', displayName: 'x', role, townshipId, via: 'session', recused: false });
  const viewers: [string, AuthUser][] = [
    ['operator', viewer('operator')],
    ['supervisor', viewer('supervisor')],
    ['township 1', viewer('township', 1)],
    ['township 2', viewer('township', 2)],
    ['township 3', viewer('township', 3)],
    ['a township user without a township', viewer('township', null)],
    ['liaison', viewer('liaison')],
    ['admin', viewer('admin')],
  ];

  it.each(viewers)('withholds the same reporters from %s', async (_, v) => {
    const rows: { id: number; w: number }[] = await ds.query(`SELECT c.id, ${reporterWithheldSql(v, 'c')} AS w FROM cases c ORDER BY c.id`);
    const sql = new Map(rows.map((r) => [r.id, !!r.w]));
    const expected = cases.map((c) => [c.id, reporterFor(v, c).withheld]);
    expect(cases.map((c) => [c.id, sql.get(c.id)])).toEqual(expected);
  });

  it('covers withheld and shown real-name reporters for township staff', () => {
    const t1 = viewers[2][1];
    const real = cases.filter((c) => c.reporterType === 'realName' && c.townshipId === 1);
    expect(real.some((c) => reporterFor(t1, c).withheld)).toBe(true);
    expect(real.some((c) => !reporterFor(t1, c).withheld)).toBe(true);
    expect(real.some((c) => reporterFor(t1, c).disclosed)).toBe(true);
  });
});
