const { chromium } = require('playwright-core');
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const shot = async (user, urls) => {
    const p = await b.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await p.goto('http://127.0.0.1:3000/login');
    await p.fill('#username', user); await p.fill('#password', 'demo1234'); await p.press('#password', 'Enter');
    await p.waitForLoadState('networkidle');
    for (const [u, f] of urls) { await p.goto('http://127.0.0.1:3000' + u); await p.waitForLoadState('networkidle'); await p.screenshot({ path: `/tmp/${f}.png`, fullPage: true }); }
    await p.close();
  };
  await shot('liaison', [['/home', 'liaison-home'], ['/referrals', 'liaison-referrals']]);
  await shot('supervisor', [['/reports/dashboard', 'dash'], ['/relatives', 'relatives'], ['/spot-checks', 'spots']]);
  await b.close();
})();
