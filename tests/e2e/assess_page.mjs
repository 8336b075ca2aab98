// assess_page.mjs BASE USER PASSWORD - the self-assessment and SECURITY
// ACTION pages in headless Chromium (playwright-core, as dashboard.mjs):
// pre-filled items show their evidence (item 24 from the contacts), the
// owner confirms them, answers the rest, overrides one and saves; the total
// and IPA's band; the ★/★★ checklist, the policy draft downloaded and its
// publication; an incident opened from an alert on the alerts page; the
// English switch. Every step waits for the page's state. Prints TAP.
import { openBrowser, TIMEOUT } from './browser_tap.mjs';
import { readFileSync } from 'node:fs';

const [base, user, password] = process.argv.slice(2);
const { page, text, step, login, finish } = await openBrowser();
const item = (no) => page.locator(`[data-testid=item-${no}]`);
function bandOf(total) {
  return total >= 100 ? 'entry' : total >= 70 ? 'incomplete' : total >= 50 ? 'insufficient' : 'urgent';
}
try {
  await login(base, user, password);
  await step('the self-assessment page: 25 items in three parts, in Japanese', async () => {
    await page.locator('nav a[href="#/assess"]').click();
    await page.locator('[data-testid=assess]').waitFor({ timeout: TIMEOUT });
    const counts = [];
    for (const p of [1, 2, 3]) counts.push(await page.locator(`[data-testid=part-${p}] [data-testid^=item-]`).count());
    return (await text()).includes('5分でできる情報セキュリティ自社診断') && counts.join() === '5,13,7';
  });
  await step('items 1-4 are pre-filled from the weak host\'s scan, with findings as evidence', async () => {
    for (const no of [1, 2, 3, 4]) await page.locator(`[data-testid=prefilled-${no}]`).waitFor({ timeout: TIMEOUT });
    const ev = await page.locator('[data-testid=evidence-3]').innerText();
    return ev.includes('根拠') && ev.length > 10;
  });
  await step('item 24 is pre-filled "done" from the incident contacts, shown as evidence', async () => {
    const ev = await page.locator('[data-testid=evidence-24]').innerText();
    return (await item(24).getAttribute('data-answer')) === '4' && ev.includes('情報セキュリティ責任者') &&
      ev.includes('ITベンダー');
  });
  await step('the total and band are shown before answering (provisional)', async () =>
    (await text()).includes('暫定'));
  await step('confirm the pre-filled answers, answer the rest, override item 24, save', async () => {
    await page.locator('button', { hasText: '自動入力の回答をすべて確定する' }).click();
    for (let no = 1; no <= 25; no++) {
      if (((await item(no).getAttribute('data-answer')) || '') === '') {
        await item(no).locator('button[data-answer="4"]').click();
        await page.locator(`[data-testid=item-${no}][data-answer="4"]`).waitFor({ timeout: TIMEOUT });
      }
    }
    await item(24).locator('button[data-answer="0"]').click();
    await page.locator('[data-testid=item-24][data-answer="0"]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid=as-save]').click();
    await page.locator('[data-testid=as-history] tbody tr').first().waitFor({ timeout: TIMEOUT });
    return (await page.locator('[data-testid=as-history] tbody tr').count()) === 1;
  });
  await step('after saving: 25 answered, item 24 is the owner\'s 0, the contacts still shown as evidence', async () => {
    await page.locator('[data-testid=item-24][data-source=manual]').waitFor({ timeout: TIMEOUT });
    const t = await text();
    return t.includes('回答済み 25/25') && (await item(24).getAttribute('data-answer')) === '0' &&
      t.includes('調査結果では: 実施している');
  });
  await step('the band matches IPA\'s bands for the total, with the next step', async () => {
    const total = Number(await page.locator('[data-testid=as-total]').innerText());
    const band = await page.locator('[data-testid=as-band]').getAttribute('data-band');
    const next = await page.locator('[data-testid=as-next]').innerText();
    return band === bandOf(total) && total < 100 && next.startsWith('次にすること') && next.length > 12;
  });
  await step('SECURITY ACTION page: a self-declaration (宣言), never 認定; the assessment is done for ★★', async () => {
    await page.locator('nav a[href="#/action"]').click();
    await page.locator('[data-testid=sa]').waitFor({ timeout: TIMEOUT });
    const t = await text();
    return t.includes('宣言') && !t.includes('認定') &&
      (await page.locator('[data-testid=s2-assess]').getAttribute('data-done')) === '1' &&
      (await page.locator('[data-testid=s2-drafted]').getAttribute('data-done')) === '0' &&
      (await page.locator('[data-testid=star2]').getAttribute('data-ready')) === '0';
  });
  await step('★ lists the five basics; the weak host\'s failing checks are named', async () => {
    const b = await page.locator('[data-testid=basic-3]').innerText();
    return (await page.locator('[data-testid^=basic-]').count()) === 5 &&
      (await page.locator('[data-testid=star1]').getAttribute('data-ready')) === '0' && b.includes('office-pc-weak') && b.includes('パスワード');
  });
  let draft = '';
  await step('download the policy draft with the company, representative and date', async () => {
    await page.fill('[data-testid=policy-draft] input[name=company]', '株式会社まもり商事');
    await page.fill('[data-testid=policy-draft] input[name=representative]', '山田 太郎');
    await page.fill('[data-testid=policy-draft] input[name=date]', '2026-12-01');
    const [dl] = await Promise.all([
      page.waitForEvent('download', { timeout: TIMEOUT }),
      page.locator('[data-testid=policy-draft] button[type=submit]').click(),
    ]);
    draft = readFileSync(await dl.path(), 'utf8');
    return dl.suggestedFilename() === 'security-policy-2026-12-01.html';
  });
  await step('the draft has the usual headings, the company, the representative and the date, no 認定', async () =>
    ['情報セキュリティ基本方針', '経営者の責任', '社内体制', '従業員', '法令', '事故', '株式会社まもり商事', '山田 太郎',
      '2026年12月1日'].every((w) => draft.includes(w)) && !draft.includes('認定'));
  await step('the draft is recorded; publish it; ★★ is ready', async () => {
    await page.locator('[data-testid=s2-drafted][data-done="1"]').waitFor({ timeout: TIMEOUT });
    await page.fill('[data-testid=policy-publish] input[name=where]', '社内掲示板');
    await page.locator('[data-testid=policy-publish] button[type=submit]').click();
    await page.locator('[data-testid=s2-published][data-done="1"]').waitFor({ timeout: TIMEOUT });
    return (await page.locator('[data-testid=star2]').getAttribute('data-ready')) === '1' &&
      (await page.locator('[data-testid=s2-published]').innerText()).includes('社内掲示板');
  });
  await step('alerts page: "handle as an incident" opens an incident from the alert', async () => {
    await page.locator('nav a[href="#/alerts"]').click();
    await page.locator('[data-testid=alert-incident]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid=alert-incident]').first().click();
    await page.locator('[data-testid=incident]').waitFor({ timeout: TIMEOUT });
    const t = await text();
    return page.url().includes('#/incidents/1') && t.includes('1. 検知・初動対応') && t.includes('#1');
  });
  await step('the incident is linked to its alert', async () => {
    const r = await page.request.get(base + '/api/incidents/1');
    const v = await r.json();
    return r.status() === 200 && v.alert_id > 0;
  });
  await step('the English switch: the assessment in English', async () => {
    await page.locator('nav a[href="#/assess"]').click();
    await page.locator('[data-testid=assess]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid=lang]').click();
    await page.locator('[data-testid=assess]', { hasText: "IPA's 5-minute" }).waitFor({ timeout: TIMEOUT });
    return (await page.locator('[data-testid=as-next]').innerText()).startsWith('Next step');
  });
} finally {
  await finish();
}
