import { checkTransitions, TRANSITIONS, Transition } from '../../src/workflow/transitions';

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
