import { CASE_STATUSES, CaseStatus } from '../../src/cases/case.enums';
import { FixedClock } from '../../src/common/clock';
import type { Role } from '../../src/users/role';
import { ACTIONS } from '../../src/workflow/transitions';
import { SPEC } from '../factories/lifecycle-spec';
import { helpRequestBody } from '../factories/case.factory';
import { act, FEEDBACK_BODY, SUBMIT_BODY, tokens, VERIFY_BODY } from '../utils/workflow';
import { apiToken, createTestApp, TestApp } from '../utils/test-app';

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
  supplement: { findings: '退回后再次入户，补充了收入证明，结论不变。' },
  'county-reply': { method: 'phone', date: '2026-09-24' },
  'county-visit': { visitors: ['王丽', '陈建国'], visitDate: '2026-09-24', findings: '县级入户核查，家庭情况属实，未发现优亲厚友。' },
  callback: { result: 'satisfied' },
  urge: { note: '请加快办理' },
  close: { reason: '匿名无法回访' },
  reopen: { reason: '重新核实' },
  'record-notice': { method: 'mail', date: '2026-09-24' },
  'request-review': { requestDate: '2026-09-24', reason: '对处理意见不服，请求复查' },
  'decide-review': { decision: 'uphold', text: '原处理意见予以维持。', date: '2026-09-24' },
  'request-rereview': { requestDate: '2026-09-24', reason: '对复查意见不服，请求复核' },
  'decide-rereview': { decision: 'alter', text: '变更原处理意见，重新核定。', date: '2026-09-24' },
  'record-death': { deathDate: '2026-09-01' },
  'record-recheck': { result: 'noChange', text: '家庭其他成员收入无变化。', date: '2026-09-24' },
};

/** Where the review sub-process (and the death re-check) must stand for each action to go ahead. */
const RULE_STATE: Record<string, string> = {
  'decide-review': `reviewState = 'reviewRequested'`,
  'request-rereview': `reviewState = 'reviewDecided', reviewDecidedOn = '2026-09-23'`,
  'decide-rereview': `reviewState = 'rereviewRequested', reviewDecidedOn = '2026-09-23'`,
  'record-recheck': `recipientDeathDate = '2026-09-01'`,
};

type R = 'operator' | 'supervisor' | 'township1' | 'liaison' | 'admin';
const ROLE_OF: Record<R, Role> = { operator: 'operator', supervisor: 'supervisor', township1: 'township', liaison: 'liaison', admin: 'admin' };

/**
 * Each action through the API, with every outcome: carried out from every state that allows it and
 * by every role that may take it (200, one history row), refused to a role that may never take it (403), refused in
 * a state that does not allow it (409), and unknown to users who may not see the case (404). The
 * whole action × state × role table is checked in the unit tier (test/unit/workflow-gate.spec.ts).
 */
describe('each action through the API: done, forbidden, not now, not visible', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>> & { shi: string };
  const clock = new FixedClock(new Date('2026-09-24T02:00:00Z'));
  beforeAll(async () => {
    t = await createTestApp({ clock });
    tk = { ...(await tokens(t)), shi: await apiToken(t, 'shi') };
  });
  afterAll(() => t.close());

  /** A consultation of township 1, put straight into `status` with what each action needs to succeed. */
  async function caseIn(status: CaseStatus, action: string): Promise<string> {
    const res = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ kind: 'consultation', townshipId: 1, villageId: null }));
    const no = res.body.caseNo;
    const [c] = await t.dataSource.query('SELECT id FROM cases WHERE caseNo = ?', [no]);
    await t.dataSource.query(
      `UPDATE cases SET status = ?, townshipId = 1, assignedAt = '2026-09-24 01:00:00.000', verifiedAt = CURRENT_TIMESTAMP, feedbackAt = CURRENT_TIMESTAMP,
       pendingExtensionDays = ?, closedAt = ?, verificationOutcome = 'true' WHERE id = ?`,
      [status, action === 'decide-extension' ? 3 : null, status === 'closed' ? '2026-09-23 02:00:00.000' : null, c.id],
    );
    if (RULE_STATE[action]) await t.dataSource.query(`UPDATE cases SET ${RULE_STATE[action]} WHERE id = ?`, [c.id]);
    // the county answers a complainant the township may not know of
    if (action === 'county-reply') await t.dataSource.query(`UPDATE cases SET kind = 'complaint', feedbackAt = NULL WHERE id = ?`, [c.id]);
    if (action === 'request-extension' || action === 'decide-extension') {
      await t.dataSource.query(
        `INSERT INTO case_deadlines (caseId, stage, startDate, limitValue, unit, ruleId, extension, dueDate, status, dueState, createdAt)
         VALUES (?, 'verify', '2026-09-24', 30, 'workday', (SELECT id FROM deadline_rules WHERE stage = 'verify' AND kind IS NULL AND program IS NULL), 0, '2026-11-09', 'open', 'ok', CURRENT_TIMESTAMP)`,
        [c.id],
      );
    }
    return no;
  }

  const roles = Object.keys(ROLE_OF) as R[];
  /** shi: the supervisor of the prefecture above the demo county. */
  const samples: [string, CaseStatus, R | 'shi', 200 | 403 | 409 | 404][] = [];
  for (const action of ACTIONS) {
    const spec = SPEC[action];
    const may = roles.find((r) => spec.who.includes(ROLE_OF[r]))!;
    // done: from every state that allows it, and by every role that may take it
    for (const st of spec.from) samples.push([action, st, may, 200]);
    for (const r of roles) if (r !== may && spec.who.includes(ROLE_OF[r])) samples.push([action, spec.from[0], r, 200]);
    const never = roles.find((r) => r !== 'liaison' && r !== 'admin' && !spec.who.includes(ROLE_OF[r]));
    if (never) samples.push([action, spec.from[0], never, 403]);
    const notNow = CASE_STATUSES.find((st) => !spec.from.includes(st));
    if (notNow) samples.push([action, notNow, may, 409]);
    samples.push([action, spec.from[0], action.length % 2 ? 'liaison' : 'admin', 404]);
    // above the county: only what the table lets a supervisor take there (督办), every other step refused
    samples.push([action, spec.from[0], 'shi', spec.aboveCounty?.includes('supervisor') ? 200 : 403]);
  }

  it('samples every action with each outcome', () => {
    expect(new Set(samples.map(([a]) => a)).size).toBe(ACTIONS.length);
    for (const code of [200, 403, 409, 404]) expect(samples.some((x) => x[3] === code)).toBe(true);
    expect(samples.filter((x) => x[2] === 'shi' && x[3] === 200).map((x) => x[0])).toEqual(['urge']);
  });

  it.each(samples)('%s from %s by %s: %d', async (action, status, role, expected) => {
    const no = await caseIn(status, action);
    const res = await act(t, tk[role], no, action, BODIES[action] ?? {});
    if (expected === 404) {
      // they cannot see the case at all: refused like a case that does not exist
      expect(res.status).toBe(404);
    } else if (expected === 403) {
      expect(res.status).toBe(403);
    } else if (expected === 409) {
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
