// page_threats.js - know the threats (5か条 #5): the imported IPA / JVN
// advisories, those naming software on the company's computers first and
// marked, and IPA's top-10 threats of the year explained.
import { get } from './api.js';
import { t, pick, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

export function Threats() {
  const [st, reload] = useLoad(() => Promise.all([get('/api/advisories?mine=1'),
    get('/api/advisories?limit=50'), get('/api/threats')]));
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const [mine, all, top] = st.data;
  const item = (a) => html`<li key=${a.id} class=${a.concerns_us ? 'adv adv-mine' : 'adv'}>
    ${a.concerns_us && html`<span class="badge badge-kev">${t('adv_mine')}</span> `}
    <a href=${a.link} rel="noopener noreferrer" target="_blank">${a.title}</a>
    <span class="muted small"> ${a.adv_id} ${a.severity} ${formatTime(a.published_at)}</span>
    ${a.concerns_us && html`<div class="small">${t('adv_installed')} ${a.matched.join(', ')}
      (${a.hosts.join(', ')})</div>`}</li>`;
  return html`<div class="stack">
    <section class="card" data-testid="advisories-mine"><h2>${t('adv_mine_title')}</h2>
      ${mine.advisories.length ? html`<ul>${mine.advisories.map(item)}</ul>` : html`<p>${t('adv_mine_none')}</p>`}
    </section>
    <section class="card" data-testid="advisories"><h2>${t('adv_all_title', { n: all.total })}</h2>
      ${all.advisories.length ? html`<ul>${all.advisories.map(item)}</ul>` : html`<p>${t('adv_none')}</p>`}
      <p class="muted small">${pick(all.credit)}</p></section>
    <section class="card" data-testid="top10"><h2>${pick(top.source)}</h2>
      <ol>${top.threats.map((x) => html`<li key=${x.rank}><strong>${pick(x.title)}</strong>
        <div>${pick(x.what)}</div><div class="todo-action">${pick(x.todo)}</div></li>`)}</ol></section>
  </div>`;
}
