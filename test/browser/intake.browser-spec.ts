import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { BrowserRig, serveWithBrowser, SHOTS } from '../utils/browser';
import { DEMO_PASSWORD, TestApp } from '../utils/test-app';

describe('operator in Chromium', () => {
  let rig: BrowserRig;
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await serveWithBrowser();
    ({ t, base, browser } = rig);
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterEach(() => {
    // the page's own script never fails
    expect(pageErrors).toEqual([]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('signs in, logs a call, finds it by a Chinese word and opens it', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#username', 'operator');
    await page.fill('#password', DEMO_PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${base}/cases/new`);
    await page.screenshot({ path: path.join(SHOTS, 'intake-empty.png'), fullPage: true });

    // keyboard-first: the channel has the focus; the operator types the call in order
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('channel');
    await page.selectOption('#kind', 'helpRequest');
    await page.fill('#reporterName', '田翠花');
    await page.fill('#reporterPhone', '13935551234');
    await page.fill('#reporterAddress', '城关镇王家庄村8号');
    await page.selectOption('#townshipId', { label: '城关镇' });
    await page.selectOption('#villageId', { label: '王家庄村' });
    await page.selectOption('#program', 'temporaryAssistance');
    await page.fill('#content', '来电人反映家中老人突发脑梗住院，拖拉机也坏了，急需临时救助。');
    await page.press('#content', 'Control+Enter');

    await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    const flash = await page.textContent('.flash');
    const caseNo = /JZ\d{4}-141099-\d{6}/.exec(flash ?? '')![0];
    await page.screenshot({ path: path.join(SHOTS, 'case-created.png'), fullPage: true });

    await page.click('text=案件查询');
    await page.fill('#q', '拖拉机');
    await page.press('#q', 'Enter');
    await page.waitForURL(/q=/);
    await expect(page.locator('table.cases tbody tr').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'list-search.png'), fullPage: true });
    await page.click(`text=${caseNo}`);
    await page.waitForURL(`${base}/cases/${caseNo}`);
    await expect(page.textContent('.content-text')).resolves.toContain('拖拉机也坏了');
    await expect(page.textContent('.timeline')).resolves.toContain('登记');
  });

  it('shows field messages in Chinese and the same person’s earlier case while typing', async () => {
    await page.goto(`${base}/cases/new`);
    await page.selectOption('#kind', 'helpRequest');
    await page.fill('#reporterName', '田翠花');
    await page.fill('#reporterPhone', '13935551234');
    // the panel lists the case logged in the test before
    await page.waitForSelector('#person-matches ul.matches li');
    await expect(page.textContent('#person-matches')).resolves.toContain('拖拉机');
    await page.fill('#reporterIdNumber', '110105194912310021');
    await page.selectOption('#townshipId', { label: '城关镇' });
    await page.selectOption('#program', 'ruralDibao');
    await page.fill('#content', '再次来电询问救助进度');
    await page.click('#intake-form button[type=submit]');
    await page.waitForSelector('#err-reporterIdNumber');
    await expect(page.textContent('#err-reporterIdNumber')).resolves.toContain('校验位不正确');
    await expect(page.inputValue('#content')).resolves.toBe('再次来电询问救助进度');
    await page.screenshot({ path: path.join(SHOTS, 'intake-errors.png'), fullPage: true });
  });

  it('shows likely repeats while the content is typed and saves the new call as a repeat of the chosen one', async () => {
    await page.goto(`${base}/cases/new`);
    // the refused call of the test before is kept as this tab's draft: a new call starts clean
    await Promise.all([page.waitForEvent('load'), page.click('#draft-discard')]);
    await page.selectOption('#kind', 'consultation');
    await page.selectOption('#program', 'temporaryAssistance');
    await page.check('input[name=reporterType][value=anonymous]');
    await page.fill('#content', '家中老人突发脑梗住院，拖拉机坏了，急需临时救助，问什么时候有人来。');
    await page.waitForSelector('#likely-repeats ul.matches li');
    await expect(page.textContent('#likely-repeats')).resolves.toContain('内容相似');
    // also said beside the submit button, for narrow screens where the panel is below the form
    await expect(page.isVisible('#repeat-hint')).resolves.toBe(true);
    const earlier = (await page.textContent('#likely-repeats ul.matches li a'))!;
    await page.click('#likely-repeats ul.matches li button');
    await expect(page.textContent('#repeat-choice')).resolves.toContain(earlier);
    await page.screenshot({ path: path.join(SHOTS, 'intake-repeat.png'), fullPage: true });
    await page.press('#content', 'Control+Enter');
    await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    await expect(page.textContent('main')).resolves.toContain(`本件为 ${earlier} 的重复件`);
  });

  it('hides the reporter fields for an anonymous report and offers only the chosen township’s villages', async () => {
    await page.goto(`${base}/cases/new`);
    await page.check('input[name=reporterType][value=anonymous]');
    await expect(page.isVisible('#reporterName')).resolves.toBe(false);
    await page.selectOption('#townshipId', { label: '河口镇' });
    const visible = await page.$$eval('#villageId optgroup:not([hidden])', (gs) => gs.map((g) => g.getAttribute('label')));
    expect(visible).toEqual(['河口镇']);
  });

  it('fits a narrow screen without horizontal scrolling on the intake page', async () => {
    const small = await browser.newPage({ viewport: { width: 420, height: 800 } });
    await small.context().addCookies(await page.context().cookies());
    await small.goto(`${base}/cases/new`);
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await small.screenshot({ path: path.join(SHOTS, 'intake-phone.png'), fullPage: true });
    await small.close();
  });
});
