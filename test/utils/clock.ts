import { shanghaiDate } from '../../src/common/time';

/**
 * The instant every test app's clock starts at (CLOCK_START, set in env.ts and global-setup.ts):
 * a Friday morning in Shanghai, so the demo template and the tests see the same days on any date
 * the machine has. The clock then runs on; a test run lasts minutes, never past the day.
 */
export const TEST_CLOCK_START = '2026-11-20T10:00:00+08:00';
export const TEST_START = new Date(TEST_CLOCK_START);
/** "Today" for the app under test, in Shanghai. */
export const TEST_TODAY = shanghaiDate(TEST_START);
/**
 * "Now" for the app under test, roughly: counted from this worker's start, so it runs ahead of an
 * app made later by the time the worker spent on earlier files. For "now" to the second, ask the
 * app: `t.app.get(Clock).now()`.
 */
export function testNow(): Date {
  return new Date(TEST_START.getTime() + Math.round(performance.now()));
}
