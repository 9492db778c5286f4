import type { RegionLevel } from '../regions/entities/region.entity';
import { CASE_STATUSES, CaseStatus, ReviewState } from '../cases/case.enums';
import { ROLES, Role } from '../users/role';

export const ACTIONS = [
  'accept',
  'not-accept',
  'answer',
  'assign',
  'acknowledge',
  'object',
  'decide-objection',
  'verify',
  'supplement',
  'feedback',
  'submit',
  'approve',
  'send-back',
  'request-extension',
  'decide-extension',
  'county-visit',
  'county-reply',
  'callback',
  'urge',
  'close',
  'reopen',
  'record-notice',
  'request-review',
  'decide-review',
  'request-rereview',
  'decide-rereview',
  'record-death',
  'record-recheck',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface Transition {
  action: ActionName;
  label: string;
  from: readonly CaseStatus[];
  roles: readonly Role[];
  /** The next state: fixed, or chosen by one field of the input. */
  to: CaseStatus | { field: string; map: Record<string, CaseStatus> };
  /** Input fields the action cannot go without (the DTO enforces them; listed here for docs and forms). */
  required: readonly string[];
  /**
   * Roles of a prefecture or province (above a county) who may take it too, on a case of a county
   * below them. Above a county, users read and urge: every action without this is refused to them.
   */
  aboveCounty?: readonly Role[];
}

const COUNTY: readonly Role[] = ['operator', 'supervisor'];
const SUPERVISOR: readonly Role[] = ['supervisor'];
const TOWNSHIP: readonly Role[] = ['township'];
const OPEN_AFTER_ACCEPT: readonly CaseStatus[] = ['accepted', 'assigned', 'verifying', 'objecting', 'inReview', 'approved'];
/** Once accepted or not: open, or closed (a notice or a re-check may be recorded after closing). */
const DECIDED: readonly CaseStatus[] = [...OPEN_AFTER_ACCEPT, 'closed'];
const KEEP = { field: '', map: {} } as const;

/**
 * DOMAIN §5 as data: the one table of who may do what in which state, and what state follows.
 * Checked at start-up (checkTransitions) and by a table-driven test of every action × state ×
 * role. Services look actions up here; controllers never set a status.
 */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', label: '受理', from: ['registered'], roles: COUNTY, to: 'accepted', required: [] },
  { action: 'not-accept', label: '不予受理', from: ['registered'], roles: COUNTY, to: 'closed', required: ['reason'] },
  { action: 'answer', label: '当场解答', from: ['registered'], roles: COUNTY, to: 'closed', required: ['answer'] },
  { action: 'assign', label: '交办乡镇', from: ['accepted'], roles: COUNTY, to: 'assigned', required: ['townshipId'] },
  { action: 'acknowledge', label: '签收', from: ['assigned'], roles: TOWNSHIP, to: 'verifying', required: [] },
  { action: 'object', label: '退回（提出异议）', from: ['assigned', 'verifying'], roles: TOWNSHIP, to: 'objecting', required: ['reasons'] },
  {
    action: 'decide-objection',
    label: '处理异议',
    from: ['objecting'],
    roles: SUPERVISOR,
    to: { field: 'decision', map: { reassign: 'assigned', keep: 'verifying' } },
    required: ['decision', 'reason'],
  },
  { action: 'verify', label: '记录核实情况', from: ['verifying'], roles: TOWNSHIP, to: 'verifying', required: ['investigators', 'visitDate', 'methods', 'findings', 'outcome'] },
  // After 退回重办 the township records a new verification, or this supplement to the one it has.
  { action: 'supplement', label: '补充核实情况', from: ['verifying'], roles: TOWNSHIP, to: 'verifying', required: ['findings'] },
  { action: 'feedback', label: '记录答复反映人', from: ['verifying'], roles: TOWNSHIP, to: 'verifying', required: ['method', 'date', 'content'] },
  { action: 'submit', label: '提交审核', from: ['verifying'], roles: TOWNSHIP, to: 'inReview', required: [] },
  { action: 'approve', label: '审核通过', from: ['inReview'], roles: SUPERVISOR, to: 'approved', required: [] },
  { action: 'send-back', label: '退回重办', from: ['inReview'], roles: SUPERVISOR, to: 'verifying', required: ['reason'] },
  { action: 'request-extension', label: '申请延期', from: ['verifying'], roles: TOWNSHIP, to: 'verifying', required: ['reason', 'days'] },
  { action: 'decide-extension', label: '审批延期', from: ['verifying', 'objecting', 'inReview'], roles: SUPERVISOR, to: { field: 'decision', map: {} }, required: ['decision'] },
  // 近亲属备案 (单独登记) cases need a county home visit before approval (seed 002).
  { action: 'county-visit', label: '县级入户核查', from: ['verifying', 'inReview'], roles: COUNTY, to: { field: '', map: {} }, required: ['visitors', 'visitDate', 'findings'] },
  // The county answers a reporter withheld from the township (reporter-view.ts replyBy).
  { action: 'county-reply', label: '县级答复反映人', from: ['approved'], roles: COUNTY, to: 'approved', required: ['method', 'date'] },
  {
    action: 'callback',
    label: '回访',
    from: ['approved'],
    roles: COUNTY,
    // A third unreachable attempt closes the case (WorkflowService, UNREACHABLE_ATTEMPTS).
    to: { field: 'result', map: { satisfied: 'closed', basicallySatisfied: 'closed', dissatisfied: 'verifying', unreachable: 'approved' } },
    required: ['result'],
  },
  // 督办 of one case, by the county's supervisor or by a supervisor of the prefecture or province above it
  { action: 'urge', label: '督办', from: OPEN_AFTER_ACCEPT, roles: SUPERVISOR, aboveCounty: SUPERVISOR, to: { field: '', map: {} }, required: ['note'] },
  { action: 'close', label: '办结', from: ['approved'], roles: COUNTY, to: 'closed', required: ['reason'] },
  { action: 'reopen', label: '重新办理', from: ['closed'], roles: SUPERVISOR, to: 'accepted', required: ['reason'] },
  // 书面告知 (《信访工作条例》第二十三条): the county records the notice of acceptance or non-acceptance
  // it sent; the kind follows the decision, so not before it.
  { action: 'record-notice', label: '记录书面告知', from: DECIDED, roles: COUNTY, to: KEEP, required: ['method', 'date'] },
  // 复查/复核 (第三十五条、第三十六条) of a closed case, a sub-process of its own (REVIEW_STEPS): the
  // county's staff log the reporter's request, the supervisor records the decision.
  { action: 'request-review', label: '登记复查申请', from: ['closed'], roles: COUNTY, to: KEEP, required: ['requestDate', 'reason'] },
  { action: 'decide-review', label: '记录复查意见', from: ['closed'], roles: SUPERVISOR, to: KEEP, required: ['decision', 'text', 'date'] },
  { action: 'request-rereview', label: '登记复核申请', from: ['closed'], roles: COUNTY, to: KEEP, required: ['requestDate', 'reason'] },
  { action: 'decide-rereview', label: '记录复核意见', from: ['closed'], roles: SUPERVISOR, to: KEEP, required: ['decision', 'text', 'date'] },
  // 低保对象死亡后家庭复核 (3 months from the death, seed 000): whoever learns of the death records
  // it; the township (which does the re-check) or the county records the result.
  { action: 'record-death', label: '记录低保对象死亡', from: DECIDED, roles: ['operator', 'supervisor', 'township'], to: KEEP, required: ['deathDate'] },
  { action: 'record-recheck', label: '记录死亡后家庭复核', from: DECIDED, roles: ['operator', 'supervisor', 'township'], to: KEEP, required: ['result', 'text', 'date'] },
];

export type ReviewAction = 'request-review' | 'decide-review' | 'request-rereview' | 'decide-rereview';

/**
 * The review sub-process of a closed case as its own small table: from which review state each
 * step may be taken and the state it leads to. 复核 is the last word (第三十六条: 不再受理).
 */
export const REVIEW_STEPS: Readonly<Record<ReviewAction, { from: readonly (ReviewState | null)[]; to: ReviewState }>> = {
  'request-review': { from: [null], to: 'reviewRequested' },
  'decide-review': { from: ['reviewRequested'], to: 'reviewDecided' },
  'request-rereview': { from: ['reviewDecided'], to: 'rereviewRequested' },
  'decide-rereview': { from: ['rereviewRequested'], to: 'rereviewDecided' },
};

export function isReviewAction(a: ActionName): a is ReviewAction {
  return a in REVIEW_STEPS;
}

/** Whether the review step may be taken from the case's review state. */
export function reviewStepAllowed(a: ReviewAction, state: ReviewState | null): boolean {
  return REVIEW_STEPS[a].from.includes(state);
}

/**
 * Whether `role` may take the action from `status`, by the table alone: 'forbidden' (403) when
 * the role may never take it, 'notAllowed' (409) when the state does not allow it now. Whether
 * the user may see the case at all (404) is the scope rule's, checked before this.
 */
export function gate(t: Transition, role: Role, status: CaseStatus, level: RegionLevel = 'county'): 'ok' | 'forbidden' | 'notAllowed' {
  // above a county, users read and urge; they take none of a county's other steps
  if (!(level === 'county' ? t.roles : (t.aboveCounty ?? [])).includes(role)) return 'forbidden';
  if (!t.from.includes(status)) return 'notAllowed';
  return 'ok';
}

/**
 * Whether anyone above a county may ever take the action (the auth guard lets such a request
 * through to the gate above only then; every other change stays refused to them at the door).
 */
export function takenAboveCounty(action: string): boolean {
  return !!TRANSITION_BY_ACTION.get(action as ActionName)?.aboveCounty?.length;
}

/** Three unreachable callbacks close the case as unreachable. */
export const UNREACHABLE_ATTEMPTS = 3;

export const TRANSITION_BY_ACTION: ReadonlyMap<ActionName, Transition> = new Map(TRANSITIONS.map((t) => [t.action, t]));

/**
 * The state after `t` from `from` with this input. An empty map means the action keeps the state
 * (urge, decide-extension).
 */
export function nextState(t: Transition, from: CaseStatus, input: Record<string, unknown>): CaseStatus | null {
  if (typeof t.to === 'string') return t.to;
  if (!t.to.field) return from;
  if (Object.keys(t.to.map).length === 0) return from;
  return t.to.map[String(input[t.to.field])] ?? null;
}

/** Start-up check: every action once, known states and roles, every open state has a way on. */
export function checkTransitions(table: readonly Transition[] = TRANSITIONS): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of table) {
    if (seen.has(t.action)) problems.push(`action ${t.action} appears twice`);
    seen.add(t.action);
    if (!(ACTIONS as readonly string[]).includes(t.action)) problems.push(`unknown action ${t.action}`);
    for (const s of t.from) if (!CASE_STATUSES.includes(s)) problems.push(`${t.action}: unknown state ${s}`);
    for (const r of [...t.roles, ...(t.aboveCounty ?? [])]) if (!ROLES.includes(r)) problems.push(`${t.action}: unknown role ${r}`);
    if (!t.roles.length) problems.push(`${t.action}: nobody may take it`);
    const targets = typeof t.to === 'string' ? [t.to] : Object.values(t.to.map);
    for (const s of targets) if (!CASE_STATUSES.includes(s)) problems.push(`${t.action}: unknown next state ${s}`);
  }
  for (const a of ACTIONS) if (!seen.has(a)) problems.push(`action ${a} has no transition`);
  // every state but closed can move on; every state is reachable from registered
  for (const s of CASE_STATUSES) {
    if (!table.some((t) => t.from.includes(s) && (typeof t.to === 'string' ? t.to !== s : Object.values(t.to.map).some((x) => x !== s)))) {
      problems.push(`state ${s} has no way out`);
    }
  }
  const reached = new Set<CaseStatus>(['registered']);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of table) {
      if (!t.from.some((s) => reached.has(s))) continue;
      for (const s of typeof t.to === 'string' ? [t.to] : Object.values(t.to.map)) {
        if (!reached.has(s)) {
          reached.add(s);
          grew = true;
        }
      }
    }
  }
  for (const s of CASE_STATUSES) if (!reached.has(s)) problems.push(`state ${s} cannot be reached`);
  if (problems.length) throw new Error(`Invalid case lifecycle table:\n  - ${problems.join('\n  - ')}`);
}
