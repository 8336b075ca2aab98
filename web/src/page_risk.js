// page_risk.js - the risk analysis: the information asset ledger with each
// asset's risk value (computed by the server, common/risk.c), computers
// pulled in from the inventory, a new asset, and the CSV for Excel.
import { useState } from 'preact/hooks';
import { get, post } from './api.js';
import { t, pick } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

function AddForm({ onDone }) {
  const [f, setF] = useState({ name: '', c: 2, i: 2, a: 2, threat: 2, weakness: 3, personal: false });
  const [err, setErr] = useState('');
  const set = (k, v) => setF(Object.assign({}, f, { [k]: v }));
  const submit = (e) => {
    e.preventDefault();
    post('/api/risk', f).then(() => { setErr(''); onDone(); }, (x) => setErr(x.message));
  };
  const num = (k) => html`<label>${t('risk_' + k)} <select name=${k} value=${String(f[k])}
    onChange=${(e) => set(k, Number(e.target.value))}>${[1, 2, 3].map((n) => html`<option key=${n}
    value=${String(n)}>${n}</option>`)}</select></label>`;
  return html`<form class="card" onSubmit=${submit} data-testid="risk-add"><h2>${t('risk_add')}</h2>
    <label>${t('risk_name')} <input name="name" value=${f.name} onInput=${(e) => set('name', e.target.value)} /></label>
    ${['c', 'i', 'a', 'threat', 'weakness'].map(num)}
    <label><input type="checkbox" name="personal" checked=${f.personal}
      onChange=${(e) => set('personal', e.target.checked)} /> ${t('risk_personal')}</label>
    ${err && html`<p class="error" role="alert">${err}</p>`}
    <button type="submit">${t('risk_add_button')}</button></form>`;
}

export function Risk({ me }) {
  const [st, reload] = useLoad(() => get('/api/risk'));
  const canEdit = me && me.role !== 'viewer';
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const d = st.data;
  return html`<div class="stack">
    <section class="card" data-testid="risk"><h2>${t('risk_title')}</h2>
      <p class="muted small">${t('risk_hint')}</p>
      <p><a href="/api/risk.csv" download="risk-ledger.csv" data-testid="risk-csv">${t('risk_csv')}</a>
        ${canEdit && html` <button type="button" class="link" data-testid="risk-import"
          onClick=${() => post('/api/risk-import').then(reload)}>${t('risk_import')}</button>`}</p>
      ${d.assets.length ? html`<table class="risk"><thead><tr><th>${t('risk_name')}</th><th>C</th><th>I</th>
        <th>A</th><th>${t('risk_importance')}</th><th>${t('risk_likelihood')}</th><th>${t('risk_value')}</th>
        <th>${t('risk_treatment')}</th></tr></thead><tbody>${d.assets.map((a) => html`<tr key=${a.id}
          class=${'risk-' + a.level}><td>${a.name}${a.personal ? ' ★' : ''}</td><td>${a.c}</td><td>${a.i}</td>
          <td>${a.a}</td><td>${a.importance}</td><td>${a.likelihood}</td>
          <td data-testid=${'risk-value-' + a.id}>${a.risk} ${pick(a.level_text)}</td>
          <td>${pick(a.treatment_text)}</td></tr>`)}</tbody></table>`
        : html`<p>${t('risk_none')}</p>`}
    </section>
    ${canEdit && html`<${AddForm} onDone=${reload} />`}
  </div>`;
}
