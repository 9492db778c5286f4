import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { BrowserRig, serveWithBrowser, SHOTS } from '../utils/browser';
import { DEMO_PASSWORD, TestApp } from '../utils/test-app';

/** A session idle time of 6 seconds, so that a call "outlasts" it within the test. */
const IDLE_SECONDS = 6;

/** Issue 10 §5: the session of an operator on a long call, with the intake form open. */
describe('the intake form keeps the session, in Chromium', () => {
  let rig: BrowserRig;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await serveWithBrowser({ env: { SESSION_IDLE_MINUTES: String(IDLE_SECONDS / 60) } });
    ({ t, base, browser } = rig);
  });
  afterEach(() => expect(pageErrors).toEqual([]));
  afterAll(async () => {
    delete process.env.SESSION_IDLE_MINUTES;
    await rig?.close();
  });

  async function signedIn(): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/login`);
    await page.fill('#username', 'operator');
    await page.fill('#password', DEMO_PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${base}/cases/new`);
    return page;
  }
  async function typeCall(page: Page, name: string) {
    await page.selectOption('#kind', 'helpRequest');
    await page.fill('#reporterName', name);
    await page.fill('#reporterPhone', '13935557788');
    await page.selectOption('#townshipId', { label: '城关镇' });
    await page.selectOption('#program', 'temporaryAssistance');
  }

  /** Cases of one reporter: the scenarios run at the same time, so none counts the whole table. */
  async function casesOf(reporterName: string): Promise<number> {
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM cases WHERE reporterName = ?', [reporterName]);
    return Number(row.n);
  }

  async function idleControl() {
    const page = await signedIn();
    // a page without the intake form: nothing keeps the session
    await page.goto(`${base}/cases`);
    await page.waitForTimeout((IDLE_SECONDS + 2) * 1000);
    await page.goto(`${base}/cases`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  }

  async function typedThrough() {
    const page = await signedIn();
    await typeCall(page, '包凤英');
    await page.fill('#content', '来电人反映老人独居无人照料，申请临时救助。');
    // typing for twice the idle time, a few characters a second, in a field that asks the server
    // nothing (the content and the phone fetch likely repeats and earlier cases, which would keep
    // the session alive by themselves)
    await page.focus('#reporterAddress');
    const started = Date.now();
    while (Date.now() - started < IDLE_SECONDS * 2 * 1000) {
      await page.keyboard.type('东');
      await page.waitForTimeout(700);
    }
    expect(await casesOf('包凤英')).toBe(0);
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    await expect(page.textContent('.flash')).resolves.toContain('已登记');
    expect(await casesOf('包凤英')).toBe(1);
    await page.context().close();
  }

  async function endedAnyway() {
    const page = await signedIn();
    await typeCall(page, '柴秀兰');
    await page.fill('#content', '来电人反映冬季取暖困难，申请临时救助。');
    // the operator leaves the form (no focus in it, no typing): no keep-alive, the session ends
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // (a last ping may follow the typing by one interval, a third of the idle time)
    await page.waitForTimeout((IDLE_SECONDS * 2 + 2) * 1000);
    await page.click('#intake-form button[value="register"]');
    await page.waitForURL(/\/login\?expired=1&next=%2Fcases%2Fnew$/);
    await expect(page.textContent('main')).resolves.toContain('登录已超时');
    await page.screenshot({ path: path.join(SHOTS, 'intake-session-expired.png'), fullPage: true });
    await page.fill('#username', 'operator');
    await page.fill('#password', DEMO_PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${base}/cases/new`);
    await expect(page.isVisible('#draft-restored')).resolves.toBe(true);
    await expect(page.inputValue('#reporterName')).resolves.toBe('柴秀兰');
    await expect(page.inputValue('#reporterPhone')).resolves.toBe('13935557788');
    await expect(page.inputValue('#content')).resolves.toBe('来电人反映冬季取暖困难，申请临时救助。');
    expect(await casesOf('柴秀兰')).toBe(0);
    await page.press('#content', 'Control+Enter');
    await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    expect(await casesOf('柴秀兰')).toBe(1);
    await page.context().close();
  }

  // The three sessions wait out the idle time side by side (each in its own browser context, as
  // three operators would), and each test awaits its own.
  const runs: Partial<Record<'control' | 'typed' | 'lost', Promise<void>>> = {};
  beforeAll(() => {
    runs.control = idleControl();
    runs.typed = typedThrough();
    runs.lost = endedAnyway();
    // a failure is reported by the test that awaits it, not as an unhandled rejection
    for (const r of Object.values(runs)) r!.catch(() => undefined);
  });

  it('ends an idle session after the idle time (the control)', async () => {
    await runs.control;
  });

  it('keeps the session past the idle time while the call is typed, and saves it', async () => {
    await runs.typed;
  });

  it('loses nothing typed when the session ends anyway: sign in again and the form comes back filled in', async () => {
    await runs.lost;
  });
});
