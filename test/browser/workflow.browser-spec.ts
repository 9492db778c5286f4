import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BrowserRig, serveWithBrowser, SHOTS } from '../utils/browser';
import { DEMO_PASSWORD, TestApp } from '../utils/test-app';

describe('a whole journey with three users in Chromium', () => {
  let rig: BrowserRig;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await serveWithBrowser();
    ({ t, base, browser } = rig);
  });
  afterAll(async () => {
    await rig?.close();
  });

  async function signedIn(username: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForLoadState('load');
    return page;
  }

  /** Opens an action's form on the case page, lets `fill` complete it, and submits it. */
  async function doAction(page: Page, caseNo: string, action: string, fill: (p: Page) => Promise<void> = async () => {}) {
    await page.goto(`${base}/cases/${caseNo}`);
    await page.click(`#act-${action} > summary`);
    await fill(page);
    await page.click(`#act-${action} button[type=submit]`);
    await page.waitForURL(`${base}/cases/${caseNo}`);
    await expect(page.textContent('.flash')).resolves.toContain('已完成');
  }

  it('operator logs and assigns, township verifies, supervisor sends back then approves, operator calls back', async () => {
    const operator = await signedIn('operator');
    await operator.selectOption('#kind', 'helpRequest');
    await operator.fill('#reporterName', '孙桂兰');
    await operator.fill('#reporterPhone', '13734567890');
    await operator.selectOption('#townshipId', { label: '城关镇' });
    await operator.selectOption('#program', 'ruralDibao');
    await operator.fill('#content', '来电人丈夫去年因病去世，本人腿脚残疾，独自抚养孙子，申请农村低保。');
    await operator.press('#content', 'Control+Enter');
    await operator.waitForURL(/\/cases\/JZ\d{4}-141099-\d{6}$/);
    const caseNo = /JZ\d{4}-141099-\d{6}/.exec(operator.url())![0];

    await doAction(operator, caseNo, 'accept');
    await operator.goto(`${base}/cases/${caseNo}`);
    await operator.click('#act-assign > summary');
    await expect(operator.textContent('#act-assign')).resolves.toMatch(/签收期限 \d{4}-\d{2}-\d{2}/);
    await operator.selectOption('#assign-township', { label: '城关镇' });
    await operator.fill('#assign-note', '请核实家庭收入和残疾情况');
    await operator.click('#act-assign button[type=submit]');
    await operator.waitForURL(`${base}/cases/${caseNo}`);

    const township = await signedIn('township1');
    await township.goto(`${base}/queues/inbox`);
    await expect(township.textContent('table.queue')).resolves.toContain(caseNo);
    await township.screenshot({ path: path.join(SHOTS, 'township-inbox.png'), fullPage: true });
    await doAction(township, caseNo, 'acknowledge');
    await doAction(township, caseNo, 'verify', async (p) => {
      await p.fill('#v-investigators', '李晓梅、张建华');
      await p.check('#act-verify input[name=methods][value=homeVisit]');
      await p.fill('#v-findings', '入户核实，该户2人，本人二级肢体残疾，无固定收入，符合农村低保条件。');
      await p.check('#act-verify input[name=outcome][value=true]');
    });
    await doAction(township, caseNo, 'feedback', async (p) => {
      await p.check('#act-feedback input[name=method][value=phone]');
      await p.fill('#f-content', '已电话告知反映人核实情况及后续审批程序。');
    });
    await doAction(township, caseNo, 'submit', async (p) => p.fill('#s-reply', '您好，经入户核实，您家庭符合农村低保条件，已报县民政局审批，请留意村务公开栏的公示。'));

    const supervisor = await signedIn('supervisor');
    await supervisor.goto(`${base}/queues/review`);
    await expect(supervisor.textContent('main')).resolves.toContain(caseNo);
    await doAction(supervisor, caseNo, 'send-back', async (p) => p.fill('#sb-reason', '请补充残疾证复印件'));
    // the reason heads the township's page; it supplements the verification before resubmitting
    await township.goto(`${base}/cases/${caseNo}`);
    await expect(township.textContent('.sent-back')).resolves.toContain('请补充残疾证复印件');
    await doAction(township, caseNo, 'supplement', async (p) => p.fill('#su-findings', '已补充残疾证复印件，核实结论不变。'));
    // the draft is kept for the resubmission; the county edits it on approval
    await doAction(township, caseNo, 'submit', async (p) => expect(p.inputValue('#s-reply')).resolves.toContain('经入户核实'));
    await doAction(supervisor, caseNo, 'approve', async (p) => {
      await expect(p.inputValue('#ap-reply')).resolves.toContain('请留意村务公开栏的公示');
      await p.fill('#ap-reply', '您好，经入户核实，您家庭符合农村低保条件，县民政局已批准自下月起按月发放，咨询电话0351-7654321。');
    });
    await doAction(operator, caseNo, 'callback', async (p) => {
      await p.check('#act-callback input[name=result][value=satisfied]');
      await p.fill('#cb-note', '反映人表示满意');
    });

    await operator.goto(`${base}/cases/${caseNo}`);
    await expect(operator.textContent('h1')).resolves.toContain('已办结');
    const timeline = (await operator.textContent('.timeline')) ?? '';
    for (const step of ['登记（热线电话）', '受理', '交办城关镇', '签收', '核实：属实', '答复反映人（电话）', '提交审核', '退回重办', '审核通过', '回访：满意']) {
      expect(timeline).toContain(step);
    }
    expect(timeline.match(/提交审核/g)).toHaveLength(2);
    await operator.screenshot({ path: path.join(SHOTS, 'case-closed.png'), fullPage: true });

    // the 处理意见书 carries the approved reply, masked, and none of the township's notes
    await operator.goto(`${base}/cases/${caseNo}/print/reply`);
    const letter = (await operator.textContent('.sheet')) ?? '';
    expect(letter).toContain('县民政局已批准自下月起按月发放');
    expect(letter).toContain('0351-***4321');
    expect(letter).not.toContain('二级肢体残疾');
    expect(letter).toContain('孙**：');
    await operator.screenshot({ path: path.join(SHOTS, 'reply-letter.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a refused action in Chinese on the page', async () => {
    const township = await signedIn('township1');
    const [row] = await t.dataSource.query(`SELECT caseNo FROM cases WHERE townshipId = 1 AND status = 'verifying' AND (verifiedAt IS NULL OR feedbackAt IS NULL) LIMIT 1`);
    await township.goto(`${base}/cases/${row.caseNo}`);
    await township.click('#act-submit > summary');
    await township.click('#act-submit button[type=submit]');
    await expect(township.textContent('.error-summary')).resolves.toContain('提交审核前须先记录核实情况');
  });
});
