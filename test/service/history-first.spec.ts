import { CaseHistoryWriter } from '../../src/cases/history/case-history.writer';
import type { NewHistoryEntry } from '../../src/cases/history/history-entry';
import type { DbWriter } from '../../src/database/db-writer.service';
import { sqlOf } from '../../src/database/sql';
import { insertClocks } from '../../src/deadlines/deadlines.repository';
import { TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';

/**
 * Intake writes a new case's first history entries without reading its chain's head (there is
 * none yet) and its two clocks in one statement. The database still guards the chain: the same
 * shortcut on a case that already has entries is refused, and nothing of that write is kept.
 */
describe(`a new case's first entries and clocks (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('demo');
  const history = new CaseHistoryWriter();
  const entry = (caseId: number, note: string): NewHistoryEntry => ({
    caseId, at: new Date('2026-11-02T02:00:00Z'), actorId: 1, actorName: '测试', actorRole: 'operator',
    type: 'note', action: 'unlink-repeat', fromStatus: 'registered', toStatus: 'registered', note, data: null,
  });
  const entriesOf = (caseId: number) =>
    t.ds.manager.query('SELECT seq, note, prevHash FROM case_history WHERE caseId = ? ORDER BY seq', [caseId]) as Promise<{ seq: number; note: string | null; prevHash: string | null }[]>;
  const aCaseWithHistory = async () => {
    const [row] = (await t.ds.manager.query('SELECT caseId, COUNT(*) AS n FROM case_history GROUP BY caseId HAVING COUNT(*) >= 2 ORDER BY caseId LIMIT 1')) as { caseId: number; n: number }[];
    return { id: Number(row.caseId), n: Number(row.n) };
  };
  /** A case row with no history yet, inserted in the write, as intake does before its first entry. */
  const newCaseRow = async (m: Parameters<Parameters<DbWriter['write']>[0]>[0]) => {
    const [src] = (await m.query('SELECT id FROM cases ORDER BY id LIMIT 1')) as { id: number }[];
    const got = await sqlOf(m).get<{ id: number }>(
      `INSERT INTO cases (caseNo, countyCode, channel, kind, program, problemTypes, reporterType, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version, queryCodeHash)
       SELECT 'JZ2026-141099-999001', countyCode, channel, kind, program, '', 'anonymous', '新登记', 'normal', 'registered', receivedAt, createdById, createdAt, updatedAt, 1, 'x' FROM cases WHERE id = ? RETURNING id`,
      [src.id],
    );
    return Number(got!.id);
  };

  it('starts a new case\'s chain at 1 and 2 without reading a head; the chain continues from there', async () => {
    const id = await t.writer.write(async (m) => {
      const id = await newCaseRow(m);
      await history.appendFirst(m, [entry(id, '第一条'), entry(id, '第二条')]);
      return id;
    });
    await t.writer.write((m) => history.append(m, entry(id, '第三条')));
    const rows = await entriesOf(id);
    expect(rows.map((r) => [r.seq, r.note])).toEqual([[1, '第一条'], [2, '第二条'], [3, '第三条']]);
    expect(rows[0].prevHash).toBeNull();
    expect(rows[1].prevHash).toBeTruthy();
  });

  it('refuses the shortcut on a case that already has entries, and keeps nothing of that write', async () => {
    const c = await aCaseWithHistory();
    // better-sqlite3's errors come from outside Jest's realm, so the message is read, not toThrow'n
    const refused = await t.writer
      .write(async (m) => {
        await m.query("UPDATE cases SET content = '不应保存' WHERE id = ?", [c.id]);
        await history.appendFirst(m, [entry(c.id, '分叉')]);
      })
      .then(() => null, (e: unknown) => e);
    expect(String((refused as Error | null)?.message)).toMatch(/must continue its case's chain/);
    const rows = await entriesOf(c.id);
    expect(rows).toHaveLength(c.n);
    expect(rows.some((r) => r.note === '分叉')).toBe(false);
    const [after] = (await t.ds.manager.query('SELECT content FROM cases WHERE id = ?', [c.id])) as { content: string }[];
    expect(after.content).not.toBe('不应保存');
  });

  it('stores several clocks of a case in one call, each id the row of its own stage', async () => {
    const c = await aCaseWithHistory();
    const clock = (stage: 'countyAccept' | 'receiptNotice', dueDate: string) => ({
      caseId: c.id, stage, referralId: null, startDate: '2026-11-02', limitValue: stage === 'countyAccept' ? 1 : 15,
      unit: stage === 'countyAccept' ? ('workday' as const) : ('day' as const), ruleId: null, dueDate, missingYear: null, createdAt: new Date('2026-11-02T02:00:00Z'),
    });
    const ids = await t.writer.write((m) => insertClocks(m, [clock('receiptNotice', '2026-11-17'), clock('countyAccept', '2026-11-03')]));
    expect(ids).toHaveLength(2);
    const rows = (await t.ds.manager.query(`SELECT id, stage, dueDate FROM case_deadlines WHERE id IN (?, ?)`, ids)) as { id: number; stage: string; dueDate: string }[];
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    expect([byId.get(ids[0])?.stage, byId.get(ids[0])?.dueDate]).toEqual(['receiptNotice', '2026-11-17']);
    expect([byId.get(ids[1])?.stage, byId.get(ids[1])?.dueDate]).toEqual(['countyAccept', '2026-11-03']);
  });
});
