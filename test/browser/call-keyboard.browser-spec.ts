import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { BrowserRig, serveWithBrowser, SHOTS } from '../utils/browser';
import { DEMO_PASSWORD } from '../utils/test-app';

/** Issue 10 §5: an operator logging calls by keyboard, and the draft of the call kept in the tab. */
describe('an operator on the phone, in Chromium', () => {
  let rig: BrowserRig;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];
  const posts: string[] = [];

  beforeAll(async () => {
    rig = await serveWithBrowser();
    ({ base, browser } = rig);
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/cases') posts.push(r.url());
    });
    await page.goto(`${base}/login`);
    await page.fill('#username', 'operator');
    await page.fill('#password', DEMO_PASSWORD);
    // Enter still signs in: the sign-in form keeps it
    await page.press('#password', 'Enter');
    await page.waitForURL(`${base}/cases/new`);
  });
  afterEach(() => expect(pageErrors).toEqual([]));
  afterAll(async () => {
    await rig?.close();
  });

  const active = () => page.evaluate(() => document.activeElement?.id ?? null);
  const caseNoOf = (url: string) => /JZ\d{4}-141099-\d{6}/.exec(url)![0];

  it('logs five calls by keyboard: Tab goes on, Enter never submits, Ctrl+Enter saves', async () => {
    const calls = [
      { name: '邵桂兰', phone: '13935550101', content: ['老伴瘫痪在床，', '申请低保。'], program: 'ruralDibao' },
      { name: '黄德旺', phone: '13935550102', content: ['房屋漏雨，', '申请临时救助。'], program: 'temporaryAssistance' },
      { name: '吕秀珍', phone: '13935550103', content: ['孙子上学困难，', '问能否救助。'], program: 'temporaryAssistance' },
      { name: '郝建军', phone: '13935550104', content: ['残疾无业，', '申请低保。'], program: 'urbanDibao' },
    ];
    const saved: string[] = [];
    for (const [i, call] of calls.entries()) {
      await page.goto(`${base}/cases/new`);
      // autofocus lands on the first field once the page has rendered (later on a loaded machine)
      await page.waitForFunction(() => document.activeElement?.id === 'channel', null, { timeout: 5000 }).catch(() => undefined);
      await expect(active()).resolves.toBe('channel');
      await page.selectOption('#kind', 'helpRequest');
      await page.focus('#reporterName');
      await page.keyboard.type(call.name);
      await page.keyboard.press('Tab');
      await expect(active()).resolves.toBe('reporterPhone');
      await page.keyboard.type(call.phone);
      // out of habit: Enter in a field saves nothing and stays on the form
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      expect(posts).toHaveLength(i);
      expect(page.url()).toBe(`${base}/cases/new`);
      await page.keyboard.press('Tab');
      await expect(active()).resolves.toBe('reporterIdNumber');
      await page.keyboard.press('Tab');
      await expect(active()).resolves.toBe('reporterAddress');
      await page.keyboard.type('城关镇东关社区');
      await page.selectOption('#townshipId', { label: '城关镇' });
      await page.selectOption('#program', call.program);
      await page.focus('#content');
      await page.keyboard.type(call.content[0]);
      // in the content, Enter is a new line
      await page.keyboard.press('Enter');
      await page.keyboard.type(call.content[1]);
      await expect(page.inputValue('#content')).resolves.toBe(call.content.join('\n'));
      expect(posts).toHaveLength(i);
      await page.keyboard.press('Control+Enter');
      await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
      saved.push(caseNoOf(page.url()));
      await expect(page.textContent('.content-text')).resolves.toContain(call.content[1]);
    }
    // the fifth: a consultation answered on the spot, saved and closed with its own button, by keyboard
    await page.goto(`${base}/cases/new`);
    await expect(page.isVisible('#submit-answer')).resolves.toBe(false);
    await page.selectOption('#kind', 'consultation');
    await page.selectOption('#program', 'temporaryAssistance');
    await page.focus('#reporterName');
    await page.keyboard.type('宋玉梅');
    await page.keyboard.press('Tab');
    await page.keyboard.type('13935550105');
    await page.focus('#content');
    await page.keyboard.type('咨询临时救助的申请条件。');
    await page.focus('#answer');
    await page.keyboard.type('因突发事件导致基本生活暂时困难的家庭可以申请，到乡镇民政办提出。');
    await page.focus('#submit-answer');
    await page.screenshot({ path: path.join(SHOTS, 'intake-answer-on-the-spot.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    saved.push(caseNoOf(page.url()));
    await expect(page.textContent('.flash')).resolves.toContain('已登记并当场解答办结');
    await expect(page.textContent('h1')).resolves.toContain('已办结');
    expect(new Set(saved).size).toBe(5);
    expect(posts).toHaveLength(5);
  });

  it('puts the cursor in the first wrong field after a refused submission, and the summary links to each field', async () => {
    await page.goto(`${base}/cases/new`);
    await page.selectOption('#kind', 'helpRequest');
    await page.fill('#reporterName', '童金花');
    await page.fill('#reporterPhone', '1381234');
    await page.fill('#reporterIdNumber', '990105194912310023');
    await page.selectOption('#townshipId', { label: '城关镇' });
    await page.selectOption('#program', 'ruralDibao');
    await page.press('#reporterIdNumber', 'Control+Enter');
    await page.waitForSelector('#err-reporterPhone');
    await expect(active()).resolves.toBe('reporterPhone');
    const links = await page.$$eval('.error-summary a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    expect(links).toEqual([
      ['#reporterPhone', expect.stringContaining('请输入有效的手机号')],
      ['#reporterIdNumber', expect.stringContaining('前两位不是有效的省级行政区划代码')],
      ['#content', expect.any(String)],
    ]);
    await page.screenshot({ path: path.join(SHOTS, 'intake-error-summary.png'), fullPage: true });
    await page.click('.error-summary a[data-field="content"]');
    await expect(active()).resolves.toBe('content');
    await page.click('.error-summary a[data-field="reporterIdNumber"]');
    await expect(active()).resolves.toBe('reporterIdNumber');
    // what was typed is still there
    await expect(page.inputValue('#reporterName')).resolves.toBe('童金花');
  });

  it('keeps the draft in this tab only: restored after a reload, cleared once the call is saved', async () => {
    await page.goto(`${base}/cases/new`);
    // the refused form of the test before left its draft: start clean
    if (await page.isVisible('#draft-discard')) {
      await Promise.all([page.waitForEvent('load'), page.click('#draft-discard')]);
    }
    await expect(page.isVisible('#draft-restored')).resolves.toBe(false);
    await page.selectOption('#kind', 'helpRequest');
    await page.fill('#reporterName', '常二娃');
    await page.fill('#reporterPhone', '13935550199');
    await page.selectOption('#townshipId', { label: '城关镇' });
    await page.selectOption('#villageId', { label: '王家庄村' });
    await page.selectOption('#program', 'temporaryAssistance');
    await page.fill('#content', '家中失火，急需临时救助。');
    await page.reload();
    await expect(page.isVisible('#draft-restored')).resolves.toBe(true);
    await expect(page.inputValue('#reporterName')).resolves.toBe('常二娃');
    await expect(page.inputValue('#reporterPhone')).resolves.toBe('13935550199');
    await expect(page.inputValue('#villageId')).resolves.not.toBe('');
    await expect(page.inputValue('#content')).resolves.toBe('家中失火，急需临时救助。');
    // in the tab's sessionStorage, never localStorage
    const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage).filter((k) => k.startsWith('duban.draft.')), local: localStorage.length }));
    expect(stored.session).toHaveLength(1);
    expect(stored.local).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'intake-draft-restored.png'), fullPage: true });
    await page.press('#content', 'Control+Enter');
    await page.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    await expect(page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('duban.draft.')))).resolves.toEqual([]);
    await page.goto(`${base}/cases/new`);
    await expect(page.isVisible('#draft-restored')).resolves.toBe(false);
    await expect(page.inputValue('#reporterName')).resolves.toBe('');
    await expect(page.inputValue('#content')).resolves.toBe('');
  });

  it('logs a caller chasing an open case as a 催办 on it from the likely-repeat panel', async () => {
    await page.goto(`${base}/cases/new`);
    await page.selectOption('#kind', 'helpRequest');
    await page.fill('#reporterName', '常二娃');
    await page.fill('#reporterPhone', '13935550199');
    await page.fill('#content', '上次反映家中失火的事，问什么时候有人来。');
    await page.waitForSelector('#likely-repeats ul.matches li button.chase');
    await expect(page.textContent('#likely-repeats')).resolves.toContain('王家庄村');
    const target = (await page.textContent('#likely-repeats ul.matches li a'))!;
    await page.click('#likely-repeats ul.matches li button.chase');
    await page.waitForURL(`${base}/cases/${target}`);
    await expect(page.textContent('.flash')).resolves.toContain('已记录反映人催办（本案第 1 次）');
    await expect(page.textContent('.chase-count')).resolves.toContain('催办 1 次');
    await expect(page.textContent('.timeline')).resolves.toContain('问什么时候有人来');
  });
});
