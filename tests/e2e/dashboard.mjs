// dashboard.mjs BASE USER PASSWORD OUTDIR EXPECT_JSON - drives the real
// dashboard in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core) and prints TAP. EXPECT_JSON names what the database holds
// (score, hostname, a package, the first vulnerability) so each page is
// checked against real data.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [base, user, password, outdir, expectPath, setupLink] = process.argv.slice(2);
const expect = JSON.parse(readFileSync(expectPath, 'utf8'));
const require = createRequire(process.env.PLAYWRIGHT_DIR + '/');
const { chromium } = require('playwright-core');

let n = 0, failed = 0;
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
    ok(false, desc, (e && e.message) + '\npage: ' + (await page.locator('body').innerText().catch(() => '?')).slice(0, 400));
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const context = await browser.newContext({
  ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 }, locale: 'ja-JP',
});
const page = await context.newPage();
const consoleLines = [];
page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
// Violations reported by the page itself (init scripts are not subject to the CSP).
await context.addInitScript(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
});

const text = () => page.locator('body').innerText();
// Generous: under ASan on a loaded 2-core machine a login (argon2id) and the first page can take long.
const TIMEOUT = 60000;

try {
  const resp = await page.goto(base + '/', { waitUntil: 'load' });
  const csp = resp.headers()['content-security-policy'] || '';
  ok(/default-src 'self'/.test(csp) && /frame-ancestors 'none'/.test(csp) && !/unsafe-inline/.test(csp),
    'the page is served with a strict CSP', csp);
  ok(resp.headers()['x-content-type-options'] === 'nosniff', 'X-Content-Type-Options: nosniff');
  ok(!!resp.headers()['referrer-policy'], 'Referrer-Policy is set');
  await step('the one-time setup link logs the administrator in and leaves the address bar', async () => {
    // Opened in a tab that already shows the login page: only the fragment changes.
    await page.getByRole('button', { name: 'ログイン' }).waitFor({ timeout: TIMEOUT });
    await page.goto(setupLink, { waitUntil: 'load' });
    await page.locator('[data-testid=score]').waitFor({ timeout: TIMEOUT });
    return !page.url().includes('setup') && (await text()).includes('admin');
  });
  await step('settings: an administrator sees the users of the tenant', async () => {
    await page.click('nav a[href="#/settings"]');
    const users = page.locator('[data-testid=users]');
    await users.waitFor({ timeout: TIMEOUT });
    const s = await users.innerText();
    return s.includes('admin') && s.includes('管理者') && s.includes(user) && s.includes('担当者');
  });
  await step('settings: an administrator makes a one-time enrolment token', async () => {
    await page.getByRole('button', { name: 'エージェント用トークンを作る' }).click();
    const box = page.locator('[data-testid=token-new]');
    await box.waitFor({ timeout: TIMEOUT });
    const s = await box.innerText();
    await page.locator('[data-testid=tokens]', { hasText: '未使用' }).waitFor({ timeout: TIMEOUT });
    return s.includes('この画面でしか表示されません') && s.includes('mamori agent --enrol ' + base + ' ');
  });
  await step('settings: agents are listed (none enrolled here)', async () => {
    return (await page.locator('[data-testid=agents]').innerText()).includes('まだ登録されたエージェントはありません');
  });
  await step('settings: the network sensor\'s status (its last statistics, in Japanese)', async () => {
    const s = await page.locator('[data-testid=sensors]').innerText();
    return s.includes('mirror-port-pc') && s.includes(String(expect.sensor_packets)) && s.includes('取りこぼし');
  });
  await step('logout returns to the login page', async () => {
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('button', { name: 'ログイン' }).waitFor({ timeout: TIMEOUT });
    const r = await page.evaluate(async () => (await fetch('/api/me')).status);
    return r === 401;
  });
  await page.goto(base + '/#/overview', { waitUntil: 'load' });
  await step('the login page is in Japanese', async () => {
    await page.getByRole('button', { name: 'ログイン' }).waitFor({ timeout: TIMEOUT });
    return (await text()).includes('ユーザー名');
  });
  await step('a wrong password is refused on the page', async () => {
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await page.getByText('ユーザー名またはパスワードが違います').waitFor({ timeout: TIMEOUT });
    return true;
  });
  await step('login leads to the overview', async () => {
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=score]').waitFor({ timeout: TIMEOUT });
    return true;
  });

  // Overview.
  await step('overview: score, grade and trend from the stored scans', async () => {
    const s = await page.locator('[data-testid=score]').innerText();
    return s.includes('総合スコア') && s.includes(String(expect.score)) && /前回|初回/.test(s);
  });
  await step('overview: the five basics (5か条) in Japanese', async () => {
    const s = await page.locator('[data-testid=basics]').innerText();
    return s.includes('情報セキュリティ5か条') && s.includes('パスワードを強化する') &&
      s.includes('共有設定を見直す');
  });
  await step('overview: 「今すぐやること」 lists three actions', async () => {
    const items = page.locator('[data-testid=todo] li');
    return (await page.locator('[data-testid=todo]').innerText()).includes('今すぐやること') &&
      (await items.count()) === 3;
  });
  // The monthly report: the month picker lists the months with scans, newest
  // first; the PDF is checked with poppler (text, page 1 as PNG kept beside
  // the screenshot), the HTML for the same month too.
  let month = '';
  await step('overview: the report month picker lists the months with scans, newest first', async () => {
    const sel = page.locator('[data-testid=report-month]');
    await sel.waitFor({ timeout: TIMEOUT });
    const opts = await sel.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const api = await page.evaluate(async () => (await fetch('/api/report/months')).json());
    month = opts.length ? opts[0][0] : '';
    const [y, m] = month.split('-').map(Number);
    return opts.length >= 1 && opts.map((o) => o[0]).join() === api.months.map((x) => x.month).join() &&
      opts.map((o) => o[0]).join() === opts.map((o) => o[0]).sort().reverse().join() &&
      opts[0][1].startsWith(`${y}年${m}月（スキャン `);
  });
  const pdfPath = outdir + '/dashboard-report.pdf';
  await step('overview: the PDF report downloads through the month picker', async () => {
    await page.selectOption('[data-testid=report-month]', month);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT * 2 }),
      page.click('[data-testid=report-pdf]')]);
    await dl.saveAs(pdfPath);
    await page.locator('[data-testid=report-msg]').waitFor({ timeout: TIMEOUT });
    return dl.suggestedFilename() === `mamori-report-${month}.pdf` &&
      readFileSync(pdfPath).subarray(0, 5).toString() === '%PDF-';
  });
  await step('the PDF: pdftotext finds the Japanese title, the month and this computer', async () => {
    const txt = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    const [y, m] = month.split('-').map(Number);
    return txt.includes(`月次セキュリティレポート ${y}年${m}月`) && txt.includes('今月のまとめ') &&
      txt.includes(expect.hostname);
  });
  await step('the PDF: pdftoppm renders page 1 (kept as ' + outdir + '/dashboard-report-1.png)', async () => {
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath,
      outdir + '/dashboard-report-1']);
    const png = readFileSync(outdir + '/dashboard-report-1.png');
    return png.subarray(1, 4).toString() === 'PNG' && png.length > 10000;
  });
  await step('overview: the HTML report of the same month downloads with the scanned computer', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }),
      page.click('[data-testid=report-html]')]);
    const body = readFileSync(await dl.path(), 'utf8');
    return dl.suggestedFilename() === `mamori-report-${month}.html` &&
      body.includes('月次セキュリティレポート') && body.includes(expect.hostname);
  });
  await step('overview: Japanese text is drawn with a CJK font (fonts-noto-cjk)', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid=basics] h2' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const names = fonts.map((f) => f.familyName).join(', ');
    console.log('# fonts used for the basics heading: ' + names);
    return fonts.some((f) => /CJK|Noto Sans JP/i.test(f.familyName));
  });
  await page.screenshot({ path: outdir + '/dashboard-overview.png', fullPage: true });
  ok(true, 'overview screenshot kept as ' + outdir + '/dashboard-overview.png');

  // Computers and software.
  await page.click('nav a[href="#/assets"]');
  await step('assets: this computer with its last-seen time', async () => {
    const hosts = page.locator('[data-testid=hosts]');
    await hosts.waitFor({ timeout: TIMEOUT });
    const s = await hosts.innerText();
    return s.includes('機器') && s.includes(expect.hostname) && s.includes('最終確認');
  });
  await step('assets: the software list filters to a real package', async () => {
    await page.fill('[data-testid=software] input', expect.package);
    const s = await page.locator('[data-testid=software] tbody').innerText();
    return s.includes(expect.package);
  });
  await step('assets: findings in Japanese with what to do', async () => {
    const s = await page.locator('[data-testid=findings]').innerText();
    return s.includes('指摘事項') && s.includes('やること');
  });

  // Vulnerabilities.
  await page.click('nav a[href="#/vulns"]');
  await step('vulns: fix-first order, a known-exploited one first', async () => {
    const first = page.locator('li.vuln').first();
    await first.waitFor({ timeout: TIMEOUT });
    const s = await first.innerText();
    return s.includes(expect.first_cve) && s.includes('悪用確認済み');
  });

  // Alerts: acknowledge the first open one.
  await page.click('nav a[href="#/alerts"]');
  let firstId = null;
  await step('alerts: cards say what happened, how serious, what to do now', async () => {
    const card = page.locator('[data-testid=alert]').first();
    await card.waitFor({ timeout: TIMEOUT });
    const s = await card.innerText();
    return s.includes('何が起きたか') && s.includes('今すぐやること') && s.includes('未対応');
  });
  await step('alerts: acknowledge moves the alert to 確認済み', async () => {
    const open = await page.locator('[data-testid=alert]').count();
    await page.locator('[data-testid=alert]').first().getByRole('button', { name: '確認した' }).click();
    await page.locator('[data-testid=alert][data-state=acknowledged]').first().waitFor({ timeout: TIMEOUT });
    const st = await page.evaluate(async () => {
      const r = await fetch('/api/alerts?state=all&limit=500');
      return (await r.json()).filter((a) => a.state === 'acknowledged').map((a) => a.id);
    });
    firstId = st[0];
    return open >= 1 && st.length === 1;
  });
  await step('alerts: the timeline shows the acknowledgement', async () => {
    const card = page.locator('[data-testid=alert][data-state=acknowledged]').first();
    await card.getByRole('button', { name: '経過' }).click();
    await card.locator('.timeline li', { hasText: '確認' }).first().waitFor({ timeout: TIMEOUT });
    return firstId !== null;
  });

  // Settings.
  await page.click('nav a[href="#/settings"]');
  await step('settings: the account, and users for administrators only', async () => {
    await page.getByText('ユーザー一覧は管理者だけが見られます').waitFor({ timeout: TIMEOUT });
    return (await text()).includes(user + ' · 担当者');
  });

  // English, remembered across a reload.
  await page.click('nav a[href="#/overview"]');
  await page.locator('[data-testid=score]').waitFor({ timeout: TIMEOUT });
  await page.click('[data-testid=lang]');
  await step('English switch: the overview in English', async () => {
    await page.getByText('Do this now').waitFor({ timeout: TIMEOUT });
    const s = await text();
    return s.includes('Overall score') && s.includes('The five basics') && !s.includes('総合スコア');
  });
  await step('the English choice is remembered after a reload', async () => {
    await page.reload();
    await page.getByText('Overall score').waitFor({ timeout: TIMEOUT });
    return (await text()).includes('Vulnerabilities');
  });
  await page.screenshot({ path: outdir + '/dashboard-overview-en.png', fullPage: true });

  const violations = await page.evaluate(() => window.__csp);
  const cspLines = consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l));
  ok(violations.length === 0 && cspLines.length === 0, 'no CSP violations',
    violations.concat(cspLines).join('\n'));
  const errors = consoleLines.filter((l) => /^(error|pageerror)/.test(l) && !/status of 4\d\d/.test(l));
  ok(errors.length === 0, 'no script errors in the console', errors.join('\n'));
} catch (e) {
  ok(false, 'the browser session ran to the end', e && e.stack);
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
