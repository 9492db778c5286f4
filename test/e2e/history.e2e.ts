import { verifyHistory } from '../../src/cases/history/history-verify';
import { verifyHistoryFile, verifyHistoryPostgres } from '../../src/cli/verify-history';
import { FixedClock } from '../../src/common/clock';
import { CalendarAdminService } from '../../src/deadlines/calendar-admin.service';
import { DeadlineScanService } from '../../src/jobs/deadline-scan.service';
import { helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, getCase, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

// Thursday 2026-09-24, 10:00 in Shanghai
const START = new Date('2026-09-24T02:00:00Z');
const DAY = 86400_000;

describe('the case history (全过程资料)', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const clock = new FixedClock(START);
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
  });
  afterAll(() => t.close());
  const at = async (d: Date) => {
    clock.set(d);
    tk = await tokens(t);
  };
  const newCase = async () =>
    (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 1, villageId: null }))).body.caseNo as string;
  // what `npm run verify-history` checks, through the app's own connection (either engine)
  const verifyAll = async () => {
    const findings: string[] = [];
    const summary = await verifyHistory(t.dataSource.manager, (f) => findings.push(f.message));
    return { findings, summary };
  };

  it('titles each entry of the timeline by what happened, in the API and on the case page', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    const township = (await act(t, tk.operator, no, 'assign', { townshipId: 1 })).body.townshipName;
    await act(t, tk.township1, no, 'acknowledge');
    await act(t, tk.township1, no, 'request-extension', { days: 5, reason: '需调取银行流水' });
    await act(t, tk.supervisor, no, 'decide-extension', { decision: 'approve', days: 3 });
    await act(t, tk.township1, no, 'verify', VERIFY_BODY);
    await act(t, tk.township1, no, 'feedback', FEEDBACK_BODY);
    await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    await act(t, tk.supervisor, no, 'send-back', { reason: '请补充收入证明' });
    await act(t, tk.township1, no, 'supplement', { findings: '补充了家庭成员的收入证明，结论不变。' });
    await act(t, tk.township1, no, 'submit', SUBMIT_BODY);
    await act(t, tk.supervisor, no, 'approve');
    await act(t, tk.operator, no, 'callback', { result: 'unreachable' });
    await act(t, tk.operator, no, 'callback', { result: 'satisfied' });

    const titles = [
      '登记（热线电话）', '受理', `交办${township}`, '签收', '延期申请 5 个工作日', '同意延期 3 个工作日', '核实：属实', '答复反映人（电话）',
      '提交审核', '退回重办', '补充核实情况', '提交审核', '审核通过', '回访：无法联系（第 1 次）', '回访：满意',
    ];
    const c = await getCase(t, tk.supervisor, no);
    expect(c.history.map((h: { title: string }) => h.title)).toEqual(titles);
    expect(c.history.map((h: { seq: number }) => h.seq)).toEqual(titles.map((_, i) => i + 1));
    // the stored fields stay in the API as they were
    expect(c.history[6]).toMatchObject({ type: 'transition', action: 'verify', fromStatus: 'verifying', toStatus: 'verifying', data: { outcome: 'true', visitDate: VERIFY_BODY.visitDate } });

    const page = (await (await signIn(t, 'supervisor')).get(`/cases/${no}`)).text;
    const timeline = page.slice(page.indexOf('class="timeline"'));
    const shown = [...timeline.matchAll(/<div class="t-head"><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    expect(shown).toEqual(titles);
    expect(timeline).not.toContain('状态变更');
    expect(timeline).toContain('（已受理 → 已交办）');
  });

  it('titles an objection decided by reassigning with the new township', async () => {
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    await act(t, tk.township1, no, 'object', { reasons: '该村已划归其他乡镇' });
    const moved = (await act(t, tk.supervisor, no, 'decide-objection', { decision: 'reassign', townshipId: 2, reason: '改派' })).body.townshipName;
    const titles = (await getCase(t, tk.supervisor, no)).history.map((h: { title: string }) => h.title);
    expect(titles.slice(-2)).toEqual(['乡镇提出异议', `异议处理：改派${moved}`]);
  });

  it('chains what the scan and a calendar change write in bulk, several entries of one case in one batch, so every chain verifies', async () => {
    await at(START);
    const cases = [await newCase(), await newCase(), await newCase()];
    for (const no of cases) {
      await act(t, tk.operator, no, 'accept');
      await act(t, tk.operator, no, 'assign', { townshipId: 1 });
    }
    // two months on: signing for it, verification and the 60-day overall clock are all overdue
    await at(new Date(START.getTime() + 70 * DAY));
    const scan = await t.app.get(DeadlineScanService).scan();
    expect(scan.overdue).toBeGreaterThanOrEqual(9);
    const admin = { id: 0, username: 'admin', displayName: '系统管理员', role: 'admin' as const, townshipId: null, via: 'session' as const };
    // a rest day before their verification clocks end moves them (one entry per clock that moved)
    const changed = await t.app.get(CalendarAdminService).setDay(admin, { date: '2026-10-12', type: 'off', name: '测试调休' });
    expect(changed.changed).toBeGreaterThan(0);

    const titles = (await getCase(t, tk.supervisor, cases[0])).history.map((h: { title: string }) => h.title);
    expect(titles).toEqual(expect.arrayContaining(['超期（乡镇签收）', '超期（核实反馈）', '超期（信访事项办理（总时限））', '期限调整（核实反馈）']));
    const { findings, summary } = await verifyAll();
    expect(findings).toEqual([]);
    expect(summary.entries).toBeGreaterThan(0);
  });

  it('has npm run verify-history find every chain intact, and name an entry changed behind the triggers, on the file or the PostgreSQL database', async () => {
    const run = async () => {
      const lines: string[] = [];
      const code = t.target.engine === 'postgres' ? await verifyHistoryPostgres(t.target.url, (l) => lines.push(l)) : verifyHistoryFile(t.target.path, (l) => lines.push(l));
      return { code, findings: lines.slice(0, -1), summary: lines[lines.length - 1] };
    };
    const intact = await run();
    expect(intact).toMatchObject({ code: 0, findings: [] });
    expect(intact.summary).toMatch(/全部完好/);

    // someone with the database's keys switches the append-only trigger off, edits a note, and switches it on again
    await at(START);
    const no = await newCase();
    await act(t, tk.operator, no, 'accept');
    const [{ id }] = await t.dataSource.query('SELECT id FROM cases WHERE caseNo = ?', [no]);
    if (t.target.engine === 'postgres') {
      await t.dataSource.query('ALTER TABLE case_history DISABLE TRIGGER case_history_no_update');
      await t.dataSource.query(`UPDATE case_history SET note = '改过的记录' WHERE caseId = ? AND seq = 2`, [id]);
      await t.dataSource.query('ALTER TABLE case_history ENABLE TRIGGER case_history_no_update');
    } else {
      const [{ sql }] = await t.dataSource.query(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'case_history_no_update'`);
      await t.dataSource.query('DROP TRIGGER case_history_no_update');
      await t.dataSource.query(`UPDATE case_history SET note = '改过的记录' WHERE caseId = ? AND seq = 2`, [id]);
      await t.dataSource.query(sql);
    }
    const changed = await run();
    expect(changed).toMatchObject({ code: 1, findings: [`${no} 第 2 条办理记录被改动：内容与它的哈希不符`] });
    expect(changed.summary).toContain('发现 1 处问题，涉及 1 件案件');
  });
});
