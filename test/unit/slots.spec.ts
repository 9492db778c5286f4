import { Slots } from '../../src/common/slots';

describe('places for long work (Slots)', () => {
  afterEach(() => jest.useRealTimers());

  it('gives at most `max` places at once and refuses at once when it may not wait', async () => {
    const s = new Slots(2, 0);
    const a = await s.take();
    const b = await s.take();
    expect(a && b).toBeTruthy();
    expect(await s.take()).toBeNull();
    expect(s.taken).toBe(2);
    a!();
    a!(); // a second release gives nothing back twice
    expect(s.taken).toBe(1);
    const c = await s.take();
    expect(c).toBeTruthy();
    expect(await s.take()).toBeNull();
  });

  it('hands a freed place to the first in line, in the order they came, and refuses one that waited too long', async () => {
    jest.useFakeTimers();
    const s = new Slots(1, 1000);
    const first = (await s.take())!;
    const order: string[] = [];
    const second = s.take().then((r) => (order.push('second'), r));
    const third = s.take().then((r) => (order.push('third'), r));
    jest.advanceTimersByTime(500);
    first();
    const got = await second;
    expect(got).toBeTruthy();
    expect(s.taken).toBe(1);
    // the third waits on behind the second, and is refused when its second runs out
    jest.advanceTimersByTime(600);
    expect(await third).toBeNull();
    expect(order).toEqual(['second', 'third']);
    got!();
    expect(s.taken).toBe(0);
  });
});
