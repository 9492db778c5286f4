import { CASE_STATUSES, CaseStatus } from '../../src/cases/case.enums';
import { FixedClock } from '../../src/common/clock';
import { ACTIONS } from '../../src/workflow/transitions';
import { helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { createTestApp, TestApp } from '../utils/test-app';

/**
 * Every action from every state for every role. The expectations are written out here from
 * DOMAIN §5, independently of the lifecycle table in src/, so that a wrong row there fails.
 */
type R = 'operator' | 'supervisor' | 'township1' | 'liaison' | 'admin';
const COUNTY: R[] = ['operator', 'supervisor'];
const SPEC: Record<string, { from: CaseStatus[]; who: R[] }> = {
  accept: { from: ['registered'], who: COUNTY },
  'not-accept': { from: ['registered'], who: COUNTY },
  answer: { from: ['registered'], who: COUNTY },
  assign: { from: ['accepted'], who: COUNTY },
  acknowledge: { from: ['assigned'], who: ['township1'] },
  object: { from: ['assigned', 'verifying'], who: ['township1'] },
  'decide-objection': { from: ['objecting'], who: ['supervisor'] },
  verify: { from: ['verifying'], who: ['township1'] },
  feedback: { from: ['verifying'], who: ['township1'] },
  submit: { from: ['verifying'], who: ['township1'] },
  approve: { from: ['inReview'], who: ['supervisor'] },
  'send-back': { from: ['inReview'], who: ['supervisor'] },
  'request-extension': { from: ['verifying'], who: ['township1'] },
  'decide-extension': { from: ['verifying', 'objecting', 'inReview'], who: ['supervisor'] },
  'county-visit': { from: ['verifying', 'inReview'], who: COUNTY },
  callback: { from: ['approved'], who: COUNTY },
  urge: { from: ['accepted', 'assigned', 'verifying', 'objecting', 'inReview', 'approved'], who: ['supervisor'] },
  close: { from: ['approved'], who: COUNTY },
  reopen: { from: ['closed'], who: ['supervisor'] },
};

const BODIES: Record<string, object> = {
  'not-accept': { reason: '不属于民政部门职责' },
  answer: { answer: '已解答政策。' },
  assign: { townshipId: 1 },
  object: { reasons: '不属于本镇管辖范围' },
  'decide-objection': { decision: 'keep', reason: '属于本镇' },
  verify: VERIFY_BODY,
  feedback: FEEDBACK_BODY,
  submit: SUBMIT_BODY,
  approve: { replyText: '经核实，您反映的情况已按政策处理，如有疑问请致电县民政局。' },
  'send-back': { reason: '材料不全' },
  'request-extension': { days: 3, reason: '需要补充材料' },
  'decide-extension': { decision: 'approve' },
  'county-visit': { visitors: ['王丽', '陈建国'], visitDate: '2026-09-24', findings: '县级入户核查，家庭情况属实，未发现优亲厚友。' },
  callback: { result: 'satisfied' },
  urge: { note: '请加快办理' },
  close: { reason: '匿名无法回访' },
  reopen: { reason: '重新核实' },
};

describe('every action × every state × every role', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  const clock = new FixedClock(new Date('2026-09-24T02:00:00Z'));
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = await tokens(t);
  });
  afterAll(() => t.close());

  /** A consultation of township 1, put straight into `status` with what each action needs to succeed. */
  async function caseIn(status: CaseStatus, action: string): Promise<string> {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ kind: 'consultation', townshipId: 1, villageId: null }));
    const no = res.body.caseNo;
    const [c] = await t.dataSource.query('SELECT id FROM cases WHERE caseNo = ?', [no]);
    await t.dataSource.query(
      `UPDATE cases SET status = ?, townshipId = 1, assignedAt = datetime('2026-09-24 01:00:00'), verifiedAt = datetime('now'), feedbackAt = datetime('now'),
       pendingExtensionDays = ?, closedAt = CASE WHEN ? = 'closed' THEN datetime('now') END WHERE id = ?`,
      [status, action === 'decide-extension' ? 3 : null, status, c.id],
    );
    if (action === 'request-extension' || action === 'decide-extension') {
      await t.dataSource.query(
        `INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, ruleId, extension, dueDate, status, dueState, createdAt)
         VALUES (?, 'verify', '2026-09-24', 30, 'workday', (SELECT id FROM deadline_rules WHERE stage = 'verify' AND kind IS NULL AND program IS NULL), 0, '2026-11-09', 'open', 'ok', datetime('now'))`,
        [c.id],
      );
    }
    return no;
  }

  const cases: [string, CaseStatus, R][] = [];
  for (const action of ACTIONS) for (const status of CASE_STATUSES) for (const role of ['operator', 'supervisor', 'township1', 'liaison', 'admin'] as R[]) cases.push([action, status, role]);

  it('covers 19 actions, 8 states and 5 roles', () => {
    expect(cases).toHaveLength(19 * 8 * 5);
    expect(Object.keys(SPEC).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(cases)('%s from %s by %s', async (action, status, role) => {
    const no = await caseIn(status, action);
    const res = await act(t, tk[role], no, action, BODIES[action] ?? {});
    const spec = SPEC[action];
    if (role === 'liaison' || role === 'admin') {
      // they cannot see the case at all: refused like a case that does not exist
      expect(res.status).toBe(404);
    } else if (!spec.who.includes(role)) {
      expect(res.status).toBe(403);
    } else if (!spec.from.includes(status)) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: 'transition_not_allowed', from: status, action });
    } else {
      expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
      const [h] = await t.dataSource.query(
        `SELECT h.action, h.fromStatus FROM case_history h JOIN cases c ON c.id = h.caseId WHERE c.caseNo = ? ORDER BY h.id DESC LIMIT 1`,
        [no],
      );
      expect(h).toEqual({ action, fromStatus: status });
    }
  });
});
