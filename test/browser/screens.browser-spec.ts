import * as fs from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CALLBACK_RESULTS, CASE_STATUSES, CHANNELS, CLOSE_REASONS, FEEDBACK_METHODS, KINDS, PROBLEM_TYPES, PROGRAMS, REPORTER_TYPES, URGENCIES, VERIFICATION_OUTCOMES, VERIFY_METHODS } from '../../src/cases/case.enums';
import { DEADLINE_STATUS_LABELS } from '../../src/deadlines/clock-view';
import { STAGES } from '../../src/deadlines/stages';
import { DISPOSAL_LABELS, REFERRAL_ACTIONS, REFERRAL_STATUS_LABELS } from '../../src/referrals/referral.labels';
import { BrowserRig, serveWithBrowser, SHOTS } from '../utils/browser';
import { DEMO_PASSWORD, TestApp } from '../utils/test-app';

/**
 * The main pages of every role, as a person sees them in Chromium at 1366×768 and at 420 px:
 * nothing wider than the screen, no stored code word or reference to our working documents in the
 * visible text, and no axe-core violation.
 */

/**
 * Code words that are stored but must never be read on screen (the lead's deadline panel showed
 * "met"). Role codes are left out: the demo accounts' user names are operator, supervisor …, and a
 * user name is data, not a status.
 */
const CODE_WORDS = new Set<string>([
  ...CASE_STATUSES, ...CHANNELS, ...KINDS, ...PROGRAMS, ...PROBLEM_TYPES, ...REPORTER_TYPES, ...URGENCIES, ...CLOSE_REASONS,
  ...VERIFICATION_OUTCOMES, ...CALLBACK_RESULTS, ...VERIFY_METHODS, ...FEEDBACK_METHODS, ...STAGES,
  ...Object.keys(DEADLINE_STATUS_LABELS), ...Object.keys(REFERRAL_STATUS_LABELS), ...Object.keys(DISPOSAL_LABELS), ...Object.keys(REFERRAL_ACTIONS),
  'ok', 'dueSoon', 'overdue', 'workday', 'day', 'keep', 'reassign', 'approve', 'refuse',
]);

/** Our working documents, the counties they come from, issues and guide sections. */
const REFERENCES = /种子|seed|DOMAIN|§\s*\d|永福县|文水县|彭水县|沁源县|宁夏|\bissues?\b/i;

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  page: string;
  what: string;
}

describe('every main page in Chromium, wide and narrow', () => {
  let rig: BrowserRig;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let ids: { townshipCase: string; countyCase: string; leadNo: string; townshipId: number; spotCheckId: number | null; userId: number };

  beforeAll(async () => {
    rig = await serveWithBrowser();
    ({ t, base, browser } = rig);
    const q = async <T>(sql: string): Promise<T> => (await t.dataSource.query(sql))[0] as T;
    const township = await q<{ townshipId: number }>(`SELECT townshipId FROM users WHERE username = 'township1'`);
    const townshipCase = await q<{ caseNo: string }>(
      `SELECT caseNo FROM cases WHERE townshipId = ${township.townshipId} AND status = 'verifying' AND id NOT IN (SELECT caseId FROM case_recusals) ORDER BY id LIMIT 1`,
    );
    const countyCase = await q<{ caseNo: string }>(`SELECT c.caseNo FROM cases c JOIN referral_cases rc ON rc.caseId = c.id ORDER BY c.id LIMIT 1`);
    const lead = await q<{ leadNo: string }>(`SELECT r.leadNo FROM referrals r JOIN users u ON u.id = r.handlerId WHERE u.username = 'liaison' ORDER BY r.id LIMIT 1`);
    const spot = await q<{ id: number } | undefined>(`SELECT id FROM spot_checks ORDER BY id LIMIT 1`);
    const user = await q<{ id: number }>(`SELECT id FROM users WHERE username = 'township1'`);
    ids = { townshipCase: townshipCase.caseNo, countyCase: countyCase.caseNo, leadNo: lead.leadNo, townshipId: township.townshipId, spotCheckId: spot?.id ?? null, userId: user.id };
  });
  afterAll(async () => {
    await rig?.close();
  });

  const PAGES: Record<string, () => string[]> = {
    anonymous: () => ['/login', '/lookup'],
    operator: () => ['/cases/new', '/cases', `/cases/${ids.countyCase}`, '/queues/triage', '/queues/review', '/notifications', '/reports/monthly', '/reports/weekly', '/calendar/calculator', '/home', '/account/password'],
    township1: () => ['/queues/inbox', '/cases', `/cases/${ids.townshipCase}`, '/notifications', '/home'],
    supervisor: () => [
      '/queues/triage', '/queues/review', '/queues/overdue', '/cases', '/cases?deadline=overdue&sort=overdueDays', `/cases/${ids.countyCase}`, '/reports/dashboard', '/regions',
      '/spot-checks', ...(ids.spotCheckId ? [`/spot-checks/${ids.spotCheckId}`] : []), '/referrals', `/referrals/${ids.leadNo}`, '/relatives', '/relatives/new', '/audit/reporters', '/notifications',
      // the county's own deadline rules and rest days, beside the shared ones
      '/admin/deadline-rules', '/admin/calendar',
    ],
    liaison: () => ['/referrals', `/referrals/${ids.leadNo}`, `/cases/${ids.countyCase}`, '/notifications'],
    admin: () => ['/admin/users', '/admin/users/new', `/admin/users/${ids.userId}/edit`, '/admin/townships', `/admin/townships/${ids.townshipId}`, '/admin/deadline-rules', '/admin/calendar', '/calendar/calculator'],
  };

  async function contextFor(user: string, width: number, height: number, javaScriptEnabled = true): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', javaScriptEnabled });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`${user}: ${e.message}`));
    if (user !== 'anonymous') {
      await page.goto(`${base}/login`);
      await page.fill('#username', user);
      await page.fill('#password', DEMO_PASSWORD);
      await page.press('#password', 'Enter');
      await page.waitForLoadState('load');
      if (page.url().includes('/login')) throw new Error(`sign-in as ${user} failed`);
    }
    return page;
  }

  /** Opens each page at one size and notes everything wrong with it. */
  async function survey(user: string, width: number, height: number): Promise<{ overflow: Finding[]; words: Finding[]; axe: Finding[] }> {
    const page = await contextFor(user, width, height);
    const found = { overflow: [] as Finding[], words: [] as Finding[], axe: [] as Finding[] };
    for (const url of PAGES[user]()) {
      const res = await page.goto(`${base}${url}`);
      expect([url, res?.status()]).toEqual([url, 200]);
      const name = `${user} ${url} @${width}`;
      // wider than the screen: the page scrolls sideways (a table may scroll inside its own box)
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      if (widths.doc > widths.view) found.overflow.push({ page: name, what: `${widths.doc}px wide` });
      const text = await page.evaluate(() => document.body.innerText);
      for (const word of text.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []) if (CODE_WORDS.has(word)) found.words.push({ page: name, what: word });
      const ref = REFERENCES.exec(text);
      if (ref) found.words.push({ page: name, what: ref[0] });
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
        return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      for (const v of violations) found.axe.push({ page: name, what: v });
      if (width < 500) {
        const file = `narrow-${user}-${url.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'root'}.png`;
        await page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
      } else {
        const file = `wide-${user}-${url.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'root'}.png`;
        await page.screenshot({ path: path.join(SHOTS, file) });
      }
    }
    await page.context().close();
    return found;
  }

  for (const user of ['anonymous', 'operator', 'township1', 'supervisor', 'liaison', 'admin']) {
    it(`${user}: fits 1366×768 and 420 px, shows no code words or references, and axe finds no violation`, async () => {
      const wide = await survey(user, 1366, 768);
      const narrow = await survey(user, 420, 860);
      expect([...wide.overflow, ...narrow.overflow]).toEqual([]);
      expect([...wide.words, ...narrow.words]).toEqual([]);
      expect([...wide.axe, ...narrow.axe]).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }

  it('at 420 px the header is one line and the menu opens and closes from its button by keyboard', async () => {
    const page = await contextFor('supervisor', 420, 860);
    await page.goto(`${base}/queues/triage`);
    const bar = await page.locator('header.topbar').boundingBox();
    expect(bar!.height).toBeLessThan(56);
    await expect(page.locator('#site-menu').isVisible()).resolves.toBe(false);
    const toggle = page.locator('button.menu-toggle');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    // keyboard only: Tab to the button, Enter opens, the links can be reached, Escape closes
    for (let i = 0; i < 5 && !(await toggle.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(toggle.evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(page.locator('#site-menu a[href="/queues/overdue"]').isVisible()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.closest('#site-menu') !== null)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect(page.locator('#site-menu').isVisible()).resolves.toBe(false);
    await expect(toggle.evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'narrow-menu-closed.png') });
    await page.keyboard.press('Space');
    await page.screenshot({ path: path.join(SHOTS, 'narrow-menu-open.png') });
    await expect(page.locator('#site-menu').isVisible()).resolves.toBe(true);
  });

  it('without scripts the narrow menu is simply shown open', async () => {
    const page = await contextFor('supervisor', 420, 860, false);
    await page.goto(`${base}/queues/triage`);
    await expect(page.locator('button.menu-toggle').isVisible()).resolves.toBe(false);
    await expect(page.locator('#site-menu a[href="/queues/overdue"]').isVisible()).resolves.toBe(true);
  });

  it('the township inbox at 420 px shows 期限 and 状态 first, within the screen', async () => {
    const page = await contextFor('township1', 420, 860);
    await page.goto(`${base}/queues/inbox`);
    const heads = await page.locator('table.queue thead th').allTextContents();
    expect(heads.slice(0, 2)).toEqual(['期限', '状态']);
    const second = await page.locator('table.queue thead th').nth(1).boundingBox();
    expect(second!.x + second!.width).toBeLessThanOrEqual(420);
    const firstRow = await page.locator('table.queue tbody tr').first().locator('td').first().textContent();
    expect(firstRow).toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
