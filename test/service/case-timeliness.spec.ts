import { CASE_CLOCK_COLUMNS, TIMELINESS_STAGES } from '../../src/database/migrations/1765800000000-CaseTimeliness';
import { insertClock } from '../../src/deadlines/deadlines.repository';
import { ON_TIME_STAGES } from '../../src/deadlines/stages';
import { Clock, expectedTimeliness as expected, Summary, timelinessOfAll } from '../utils/timeliness';
import { onPostgres, TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';

/** An instant as both engines take it bound as text. */
const NOW = '2026-12-01 02:00:00.000';

/**
 * The on-time figures read what a case's clocks say about its timeliness from four columns of
 * the case, which the database keeps from the clocks by triggers. Here: they hold on every case
 * of the demo county (made through the app's own services), and they follow every kind of write
 * of a clock, done by hand in SQL as a repair would be.
 */
describe(`a case's timeliness columns follow its clocks (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('demo');
  const columns = CASE_CLOCK_COLUMNS.map((c) => `c.${c}`).join(', ');

  const summaryOf = async (caseId: number): Promise<Summary> => {
    const [r] = (await t.ds.query(`SELECT ${columns} FROM cases c WHERE c.id = ?`, [caseId])) as Record<string, unknown>[];
    return { clocksLate: !!r.clocksLate, clocksMet: !!r.clocksMet, clocksOpen: !!r.clocksOpen, clocksOpenDue: (r.clocksOpenDue as string | null) ?? null };
  };
  const clocksOf = async (caseId: number) => (await t.ds.query('SELECT caseId, stage, referralId, status, late, dueDate FROM case_deadlines WHERE caseId = ?', [caseId])) as Clock[];

  it('are judged by the same clocks as the on-time rule', () => {
    expect([...TIMELINESS_STAGES]).toEqual([...ON_TIME_STAGES]);
  });

  it('hold on every case of the demo county', async () => {
    const { stored, fromClocks } = await timelinessOfAll((q, p) => t.ds.query(q, p));
    expect(stored.length).toBeGreaterThan(200);
    expect(stored).toEqual(fromClocks);
    // the demo has each kind, so the comparison above says something
    for (const key of ['clocksLate', 'clocksMet', 'clocksOpen'] as const) expect(fromClocks.filter((x) => x[key]).length).toBeGreaterThan(0);
  });

  it('follow an insert, an update and a delete of a clock, and ignore a lead\'s clocks and the notice clock', async () => {
    const [row] = (await t.ds.query(`SELECT c.id FROM cases c WHERE c.clocksOpen = TRUE AND c.clocksLate = FALSE AND c.clocksOpenDue IS NOT NULL ORDER BY c.id LIMIT 1`)) as { id: number }[];
    const caseId = Number(row.id);
    const before = await summaryOf(caseId);
    const clock = (stage: string, dueDate: string, referralId: number | null = null) =>
      insertClock(t.ds.manager, { caseId, stage: stage as never, referralId, startDate: '2019-12-01', limitValue: 5, unit: 'workday', ruleId: null, dueDate, missingYear: null, createdAt: new Date() });

    // an earlier due date: the case is due then
    const redo = await clock('redo', '2020-01-01');
    expect(await summaryOf(caseId)).toEqual({ ...before, clocksOpenDue: '2020-01-01' });
    // met late: late, and finished by the township
    await t.ds.query(`UPDATE case_deadlines SET status = 'met', late = TRUE, closedAt = ? WHERE id = ?`, [NOW, redo]);
    expect(await summaryOf(caseId)).toEqual({ ...before, clocksLate: true, clocksMet: true });
    expect(await summaryOf(caseId)).toEqual(expected(await clocksOf(caseId)));
    // deleted (a repair): as it was
    await t.ds.query('DELETE FROM case_deadlines WHERE id = ?', [redo]);
    expect(await summaryOf(caseId)).toEqual(before);

    // neither a lead's clock nor the 书面告知 clock is a timeliness clock
    const [lead] = (await t.ds.query('SELECT id FROM referrals ORDER BY id LIMIT 1')) as { id: number }[];
    expect(lead).toBeDefined();
    await clock('liaisonAcknowledge', '2020-01-01', Number(lead.id));
    await clock('receiptNotice', '2020-01-01');
    expect(await summaryOf(caseId)).toEqual(before);

    // every open clock of the case met on time: nothing runs, nothing is late
    await t.ds.query(`UPDATE case_deadlines SET status = 'met', late = FALSE, closedAt = ? WHERE caseId = ? AND status = 'open'`, [NOW, caseId]);
    expect(await summaryOf(caseId)).toEqual({ ...(await summaryOf(caseId)), clocksOpen: false, clocksOpenDue: null, clocksLate: false });
    expect(await summaryOf(caseId)).toEqual(expected(await clocksOf(caseId)));
  });

  it('leave the case unwritten when a clock changes only in what they do not read (the scan\'s marks)', async () => {
    const [row] = (await t.ds.query(`SELECT d.id, d.caseId FROM case_deadlines d WHERE d.status = 'open' AND d.stage = 'verify' ORDER BY d.id LIMIT 1`)) as { id: number; caseId: number }[];
    // PostgreSQL: the row version of the case; SQLite: the rows written on the connection
    const written = async () =>
      String(((await t.ds.query(onPostgres ? 'SELECT xmin::text AS v FROM cases WHERE id = ?' : 'SELECT total_changes() AS v', onPostgres ? [row.caseId] : [])) as { v: unknown }[])[0].v);
    const before = await written();
    await t.ds.query(`UPDATE case_deadlines SET dueState = 'overdue' WHERE id = ?`, [row.id]);
    // SQLite counts the clock's own row; PostgreSQL's case row is the one it was
    expect(await written()).toBe(onPostgres ? before : String(Number(before) + 1));
    if (onPostgres) {
      // the same due date written again (a recompute that finds nothing to change): still the same row
      await t.ds.query(`UPDATE case_deadlines SET dueDate = dueDate WHERE id = ?`, [row.id]);
      expect(await written()).toBe(before);
    }
  });
});
