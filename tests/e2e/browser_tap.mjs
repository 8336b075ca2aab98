// browser_tap.mjs - what the Chromium page tests share: Debian's headless
// Chromium through playwright-core (PLAYWRIGHT_DIR), a Japanese context,
// TAP output, and step(): a check that waits for the page's state and
// reports the page text when it fails.
import { createRequire } from 'node:module';

// Generous: under ASan on a loaded 2-core machine a login (argon2id) and the first page can take long.
export const TIMEOUT = 60000;

export async function openBrowser() {
  const require = createRequire(process.env.PLAYWRIGHT_DIR + '/');
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'ja-JP', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let n = 0, failed = 0;
  const text = () => page.locator('body').innerText();
  function ok(cond, desc, detail) {
    n++;
    console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${desc}`);
    if (!cond) {
      failed++;
      if (detail !== undefined) console.log('# ' + String(detail).split('\n').join('\n# '));
    }
  }
  async function step(desc, fn) {
    try { ok(await fn(), desc); } catch (e) {
      ok(false, desc, (e && e.message) + '\npage: ' + (await text().catch(() => '?')).slice(0, 400));
    }
  }
  async function login(base, user, password) {
    await page.goto(base + '/', { waitUntil: 'load' });
    await step('log in', async () => {
      await page.fill('input[name=username]', user);
      await page.fill('input[name=password]', password);
      await page.locator('button[type=submit]').click();
      await page.locator('nav[aria-label=main]').waitFor({ timeout: TIMEOUT });
      return true;
    });
  }
  // Closes the browser, prints the plan and exits 1 when a check failed.
  async function finish() {
    ok(errors.length === 0, 'no page errors', errors.join('\n'));
    await browser.close();
    console.log(`1..${n}`);
    process.exit(failed ? 1 : 0);
  }
  return { page, text, ok, step, login, finish };
}
