import * as fs from 'fs';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { TMP_DIR } from './paths';
import { createTestApp, TestApp } from './test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with the flags this closed network and root need (STACK.md
 * pitfall 7). Playwright gives every launch a fresh, empty profile directory of its own.
 */
export async function launchChromium(): Promise<{ browser: Browser; cleanup: () => Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (.ci/run does this)`);
  // Chromium hangs under libfaketime: it runs on the real clock. The app's clock is its own
  // (CLOCK_START) and the session cookie carries no expiry date, so the two need not agree.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME'))) as Record<string, string>;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    cleanup: () => browser.close(),
  };
}

export const SHOTS = path.join(TMP_DIR, 'screenshots');

export interface BrowserRig {
  t: TestApp;
  base: string;
  browser: Browser;
  close: () => Promise<void>;
}

/** The real app on a random local port with a fresh demo database, and Chromium to drive it. */
export async function serveWithBrowser(opts: Parameters<typeof createTestApp>[0] = {}): Promise<BrowserRig> {
  const t = await createTestApp(opts);
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const { browser, cleanup } = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
  return {
    t,
    base,
    browser,
    close: async () => {
      await cleanup();
      await t.close();
    },
  };
}
