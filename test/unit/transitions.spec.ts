import type { ReviewState } from '../../src/cases/case.enums';
import { checkTransitions, REVIEW_STEPS, ReviewAction, reviewStepAllowed, TRANSITIONS, Transition } from '../../src/workflow/transitions';

describe('the lifecycle table', () => {
  it('passes its start-up check', () => {
    expect(() => checkTransitions()).not.toThrow();
  });

  it('stops the start when an action appears twice', () => {
    expect(() => checkTransitions([...TRANSITIONS, TRANSITIONS[0]])).toThrow(/accept appears twice/);
  });

  it('stops the start when a state cannot be left or reached', () => {
    const withoutCallbackAndClose = TRANSITIONS.filter((t) => t.action !== 'callback' && t.action !== 'close');
    expect(() => checkTransitions(withoutCallbackAndClose)).toThrow(/state approved has no way out/);
    const withoutAssign = TRANSITIONS.filter((t) => t.action !== 'assign');
    expect(() => checkTransitions(withoutAssign)).toThrow(/action assign has no transition/);
  });

  it('stops the start on an unknown state or role', () => {
    const bad: Transition = { ...TRANSITIONS[0], to: 'lost' as never, roles: ['janitor' as never] };
    expect(() => checkTransitions([bad, ...TRANSITIONS.slice(1)])).toThrow(/unknown role janitor[\s\S]*unknown next state lost/);
  });
});

describe('the review sub-process of a closed case (复查 then 复核)', () => {
  it('goes request → decision → request → decision, each step once', () => {
    const order: [ReviewAction, ReviewState | null][] = [
      ['request-review', null],
      ['decide-review', 'reviewRequested'],
      ['request-rereview', 'reviewDecided'],
      ['decide-rereview', 'rereviewRequested'],
    ];
    let state: ReviewState | null = null;
    for (const [action, from] of order) {
      expect([action, state]).toEqual([action, from]);
      expect(reviewStepAllowed(action, state)).toBe(true);
      state = REVIEW_STEPS[action].to;
    }
    expect(state).toBe('rereviewDecided');
  });

  it('refuses a decision before its request, 复核 before the 复查 decision, and anything after 复核', () => {
    expect(reviewStepAllowed('decide-review', null)).toBe(false);
    expect(reviewStepAllowed('request-rereview', null)).toBe(false);
    expect(reviewStepAllowed('request-rereview', 'reviewRequested')).toBe(false);
    expect(reviewStepAllowed('request-review', 'reviewDecided')).toBe(false);
    for (const a of Object.keys(REVIEW_STEPS) as ReviewAction[]) expect([a, reviewStepAllowed(a, 'rereviewDecided')]).toEqual([a, false]);
  });

  it('keeps the review actions to closed cases, in the lifecycle table', () => {
    for (const a of Object.keys(REVIEW_STEPS) as ReviewAction[]) expect(TRANSITIONS.find((t) => t.action === a)!.from).toEqual(['closed']);
  });
});
