// page_vulns.js - vulnerabilities in the order to fix them: known exploited
// (CISA KEV) first, then those an update fixes, then by exploit likelihood.
// The order comes from the server (storage/store_dashboard.c).
import { get } from './api.js';
import { t, getLang, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

function action(v) {
  if (v.kev) return t('vuln_action_kev');
  return t('vuln_action_' + (['fixable', 'unfixed', 'minor'].includes(v.state) ? v.state : 'unfixed'));
}

function Vuln({ v }) {
  const desc = getLang() === 'ja' && v.jvn_title_ja ? v.jvn_title_ja : v.description;
  return html`<li class=${'vuln' + (v.kev ? ' vuln-kev' : '')}>
    <div class="vuln-head">
      <strong class="mono">${v.cve}</strong>
      <span>${v.package}</span><span class="muted">${v.hostname}</span>
      ${v.kev && html`<span class="badge badge-kev">${t('vuln_kev')}</span>`}
      ${v.kev_ransomware && html`<span class="badge badge-kev">${t('vuln_ransomware')}</span>`}
      <span class=${'badge badge-' + v.state}>${t('vuln_' + v.state)}</span>
    </div>
    ${desc && html`<p class="vuln-desc">${desc}</p>`}
    <p class="vuln-meta muted small">
      ${v.kev_due_date && html`<span>${t('vuln_due', { d: v.kev_due_date })}</span>`}
      ${v.epss !== null && html`<span>${t('vuln_epss', { p: (v.epss * 100).toFixed(1) })}</span>`}
      ${v.cvss !== null && html`<span>${t('vuln_cvss', { s: v.cvss.toFixed(1) })}</span>`}
    </p>
    <p class="todo-action">${action(v)}</p>
  </li>`;
}

export function Vulns() {
  const [st, reload] = useLoad(() => get('/api/vulns'));
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const d = st.data;
  if (d.hosts_checked === 0) {
    return html`<section class="card" data-testid="vulns"><h2>${t('vulns_title')}</h2>
      <p>${t('vulns_none_checked')}</p><p class="muted">${t('vulns_none_checked_hint')}</p></section>`;
  }
  const checked = d.items.length ? d.items[0].checked_at : 0;
  return html`<div class="stack">
    <section class="card" data-testid="vulns"><h2>${t('vulns_title')}</h2>
      <dl class="stats">
        <div><dt>${t('vulns_kev')}</dt><dd class=${d.kev ? 'bad' : ''}>${d.kev}</dd></div>
        <div><dt>${t('vulns_fixable')}</dt><dd>${d.fixable}</dd></div>
        <div><dt>${t('vulns_total')}</dt><dd>${d.total}</dd></div>
        <div><dt>${t('vulns_hosts')}</dt><dd>${d.hosts_checked}</dd></div>
      </dl>
      ${checked ? html`<p class="muted small">${formatTime(checked)}</p>` : null}
      ${d.total === 0 ? html`<p>${t('vulns_none')}</p>` : html`<ol class="vulns">
        ${d.items.map((v) => html`<${Vuln} v=${v} key=${v.cve + v.package + v.host_id} />`)}</ol>
        <p class="muted small">${t('vuln_shown', { n: d.total, m: d.items.length })}</p>`}
    </section>
  </div>`;
}
