import { CASE_STATUSES, CaseStatus } from '../../src/cases/case.enums';
import type { Role } from '../../src/users/role';
import { ACTIONS, gate, takenAboveCounty, TRANSITION_BY_ACTION } from '../../src/workflow/transitions';
import { SPEC } from '../factories/lifecycle-spec';

/**
 * Every action from every state for every role, against the table. The expectations
 * (test/factories/lifecycle-spec.ts) are written from DOMAIN §5, independently of the lifecycle
 * table in src/, so that a wrong row there fails. (The HTTP test samples each outcome through the API, with the 404 of users who may not
 * see the case at all.)
 */
const ROLES: Role[] = ['operator', 'supervisor', 'township', 'liaison', 'admin'];
const cases: [string, CaseStatus, Role][] = [];
for (const action of ACTIONS) for (const status of CASE_STATUSES) for (const role of ROLES) cases.push([action, status, role]);

describe('the lifecycle gate: every action × every state × every role', () => {
  it('covers every action (21), 8 states and 5 roles', () => {
    expect(ACTIONS.length).toBeGreaterThanOrEqual(21);
    expect(cases).toHaveLength(ACTIONS.length * 8 * 5);
    expect(Object.keys(SPEC).sort()).toEqual([...ACTIONS].sort());
  });

  it('refuses, or lets through, exactly as DOMAIN §5 says', () => {
    const wrong: string[] = [];
    for (const [action, status, role] of cases) {
      const spec = SPEC[action];
      const expected = !spec.who.includes(role) ? 'forbidden' : !spec.from.includes(status) ? 'notAllowed' : 'ok';
      const got = gate(TRANSITION_BY_ACTION.get(action as (typeof ACTIONS)[number])!, role, status);
      if (got !== expected) wrong.push(`${action} from ${status} by ${role}: ${got}, expected ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(['prefecture', 'province'] as const)('lets a %s user take only what DOMAIN §5 lets them above a county (督办 by a supervisor)', (level) => {
    const wrong: string[] = [];
    for (const [action, status, role] of cases) {
      const spec = SPEC[action];
      const expected = !(spec.aboveCounty ?? []).includes(role) ? 'forbidden' : !spec.from.includes(status) ? 'notAllowed' : 'ok';
      const got = gate(TRANSITION_BY_ACTION.get(action as (typeof ACTIONS)[number])!, role, status, level);
      if (got !== expected) wrong.push(`${action} from ${status} by ${level} ${role}: ${got}, expected ${expected}`);
    }
    expect(wrong).toEqual([]);
    expect(cases.filter(([a, s, r]) => gate(TRANSITION_BY_ACTION.get(a as (typeof ACTIONS)[number])!, r, s, level) === 'ok').map(([a]) => a)).toEqual(
      Array(6).fill('urge'),
    );
  });

  it('lets the auth guard pass above a county exactly the actions someone there may take', () => {
    expect(ACTIONS.filter((a) => takenAboveCounty(a))).toEqual(ACTIONS.filter((a) => (SPEC[a].aboveCounty ?? []).length > 0));
    expect(ACTIONS.filter((a) => takenAboveCounty(a))).toEqual(['urge']);
    expect(takenAboveCounty('no-such-step')).toBe(false);
  });
});
