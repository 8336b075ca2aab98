// incident_page.mjs BASE USER PASSWORD - the incidents page in headless
// Chromium (playwright-core, as dashboard.mjs): log in, open an incident
// from a real alert, walk its first step, mark a PPC case and see the
// countdowns, close it; the risk ledger (add, CSV) and the threats page.
// Prints TAP.
import { openBrowser, TIMEOUT } from './browser_tap.mjs';

const [base, user, password] = process.argv.slice(2);
const { page, text, step, login, finish } = await openBrowser();
try {
  await login(base, user, password);
  await step('the incidents page is in the menu, in Japanese', async () => {
    await page.locator('nav a[href="#/incidents"]').click();
    await page.locator('[data-testid=incidents]').waitFor({ timeout: TIMEOUT });
    return (await text()).includes('インシデント対応（IPAの3ステップ）');
  });
  await step('open an incident from alert 1', async () => {
    await page.selectOption('select[name=kind]', 'leak');
    await page.selectOption('select[name=alert]', '1');
    await page.locator('[data-testid=incident-open] button[type=submit]').click();
    await page.locator('[data-testid=incident]').waitFor({ timeout: TIMEOUT });
    return (await text()).includes('1. 検知・初動対応') && (await text()).includes('3. 復旧・再発防止');
  });
  await step('tick the first item of step 1', async () => {
    const box = page.locator('[data-testid=step-detect] input[data-item="detect.report"]');
    // A click, not check(): the box follows the server's answer, not the click.
    await box.click();
    await page.locator('[data-testid=step-detect] .small', { hasText: '1/' }).waitFor({ timeout: TIMEOUT });
    return await box.isChecked();
  });
  await step('mark "wrongful purpose": the PPC countdowns appear (the alert is months old: overdue), the final one at 60 days', async () => {
    await page.locator('input[data-case=wrongful]').click();
    await page.locator('[data-testid=deadline-ppc_final]').waitFor({ timeout: TIMEOUT });
    const t = await page.locator('[data-testid=deadlines]').innerText();
    return t.includes('60日') && (t.includes('残り') || t.includes('期限切れ'));
  });
  await step('the PPC is listed as a must', async () => (await text()).includes('義務'));
  await step('close the incident', async () => {
    await page.locator('[data-testid=close]').click();
    await page.locator('[data-testid=close]', { hasText: '再開する' }).waitFor({ timeout: TIMEOUT });
    return (await text()).includes('完了');
  });
  await step('the list shows it with its countdowns', async () => {
    await page.locator('text=← 一覧へ').click();
    await page.locator('[data-testid=incident-1]').waitFor({ timeout: TIMEOUT });
    // The list is reloaded on the way back: wait for the fresh one.
    await page.locator('[data-testid=incidents]', { hasText: '完了' }).waitFor({ timeout: TIMEOUT });
    return true;
  });
  await step('risk page: add an asset with personal data, see risk 6 (high)', async () => {
    await page.locator('nav a[href="#/risk"]').click();
    await page.locator('[data-testid=risk]').waitFor({ timeout: TIMEOUT });
    await page.fill('[data-testid=risk-add] input[name=name]', '顧客名簿');
    await page.selectOption('[data-testid=risk-add] select[name=threat]', '3');
    await page.selectOption('[data-testid=risk-add] select[name=weakness]', '2');
    await page.locator('[data-testid=risk-add] input[name=personal]').click();
    await page.locator('[data-testid=risk-add] button[type=submit]').click();
    await page.locator('[data-testid=risk-value-1]', { hasText: '6' }).waitFor({ timeout: TIMEOUT });
    return (await page.locator('[data-testid=risk-value-1]').innerText()).includes('高');
  });
  await step('the risk sheet downloads as CSV with a BOM and the asset', async () => {
    const href = await page.locator('[data-testid=risk-csv]').getAttribute('href');
    const r = await page.request.get(base + href);
    const b = await r.body();
    return r.status() === 200 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf &&
      b.toString('utf8').includes('顧客名簿') && b.toString('utf8').includes('\r\n');
  });
  await step('threats page: the imported advisories and the top-10 threats', async () => {
    await page.locator('nav a[href="#/threats"]').click();
    await page.locator('[data-testid=top10]').waitFor({ timeout: TIMEOUT });
    const t = await text();
    return t.includes('ランサム攻撃による被害') && t.includes('WordPress に関するソフトウェア更新情報') &&
      t.includes('出典: JVN iPedia');
  });
  await step('threats page: the WordPress advisory is marked as concerning the company, naming the package', async () => {
    const mine = page.locator('[data-testid=advisories-mine]');
    const t = await mine.innerText();
    return t.includes('WordPress に関するソフトウェア更新情報') && t.includes('自社に関係') &&
      t.includes('wordpress') && (await mine.locator('li.adv-mine').count()) === 1;
  });
} finally {
  await finish();
}
