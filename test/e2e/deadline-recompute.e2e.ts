import { FixedClock } from '../../src/common/clock';
import { toDbDateTime } from '../../src/common/time';
import { helpRequestBody } from '../factories/case.factory';
import { act, getCase, tokens } from '../utils/workflow';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

/** The recomputation after a calendar change is a job: it shows its progress and survives a restart. */
describe('recomputing the deadlines as a job', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z')); // Monday 2026-03-02
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  const job = (holder: string, expiresAt: Date, state: Record<string, unknown>) =>
    t.dataSource.query(
      `INSERT INTO job_leases (name, holder, expiresAt, lastResult) VALUES ('deadline-recompute', ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt, lastResult = excluded.lastResult`,
      [holder, toDbDateTime(expiresAt), JSON.stringify(state)],
    );
  const state = async () => JSON.parse((await t.dataSource.query(`SELECT lastResult FROM job_leases WHERE name = 'deadline-recompute'`))[0].lastResult);

  it('shows the administrator how far a recomputation running elsewhere is, on the calendar page', async () => {
    // another instance holds the job and is 40,000 clocks in
    await job('other-instance', new Date('2026-03-02T03:00:00Z'), { pending: true, gen: 1, reason: '节假日日历调整（2026-03-03）', actorName: '系统管理员', total: 100000, lastId: 40000, checked: 40000, changed: 12, missing: 0 });
    const page = await (await signIn(t, 'admin')).get('/admin/calendar');
    expect(page.text).toContain('正在重新计算期限：已完成 40,000 / 100,000');
    await job('', new Date(0), { pending: false, gen: 1, reason: '', actorName: '', total: 0, lastId: 0, checked: 0, changed: 0, missing: 0 });
    expect((await (await signIn(t, 'admin')).get('/admin/calendar')).text).not.toContain('正在重新计算期限');
  });

  it('goes on at the next start with a recomputation the stopped process had not finished', async () => {
    const no = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null }))).body.caseNo;
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    expect((await getCase(t, tk.supervisor, no)).deadline).toBe('2026-03-04');
    // As a process leaves it that stopped right after the administrator's change was written:
    // the day is a rest day, the recomputation asked for and held by an instance that is gone.
    await t.dataSource.query(`INSERT INTO calendar_days (date, year, type, name) VALUES ('2026-03-03', 2026, 'off', '临时调整')`);
    await job('gone-instance', new Date('2026-03-01T00:00:00Z'), { pending: true, gen: 7, reason: '节假日日历调整（2026-03-03）', actorName: '系统管理员', total: 1, lastId: 0, checked: 0, changed: 0, missing: 0 });
    const second = await createTestApp({ target: t.target, clock });
    try {
      for (let i = 0; i < 100 && (await state()).pending; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await state()).toMatchObject({ pending: false, gen: 7 });
      const after = await getCase(t, tk.supervisor, no);
      expect(after.deadline).toBe('2026-03-05');
      const note = after.history.find((h: { type: string; action: string }) => h.type === 'deadline' && h.action === 'recompute');
      expect(note.note).toBe('节假日日历调整（2026-03-03）：乡镇签收期限由 2026-03-04 改为 2026-03-05');
    } finally {
      await second.close();
    }
  });
});
