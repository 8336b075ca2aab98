// page_settings.js - the caller's account, the language, the tenant's users,
// the enrolled agents and sensors (revoke), the sensors' status and one-time enrolment tokens
// (administrators create them; the token is shown once).
import { useState } from 'preact/hooks';
import { get, post, del } from './api.js';
import { t, getLang, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

function AdminOnly({ st, reload, note, children }) {
  if (st.error && st.error.status === 403) return html`<p class="muted">${note}</p>`;
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  return children;
}

function Users() {
  const [st, reload] = useLoad(() => get('/api/users'));
  return html`<${AdminOnly} st=${st} reload=${reload} note=${t('users_admin_only')}>
    ${st.data && html`<table class="table" data-testid="users"><thead><tr><th>${t('user_name')}</th>
    <th>${t('user_role')}</th><th>${t('user_created')}</th><th>${t('user_last')}</th></tr></thead>
    <tbody>${st.data.map((u) => html`<tr key=${u.id}><td>${u.username}</td><td>${t('role_' + u.role)}</td>
      <td>${formatTime(u.created_at)}</td><td>${formatTime(u.last_seen)}</td></tr>`)}</tbody></table>`}
  <//>`;
}

function Agents({ admin }) {
  const [st, reload] = useLoad(() => get('/api/agents'));
  const [error, setError] = useState('');
  async function revoke(a) {
    if (!confirm(t('agent_revoke_confirm'))) return;
    try { await del('/api/agents/' + a.id); reload(); } catch (e) { setError(e.message); }
  }
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  if (st.data.length === 0) return html`<p data-testid="agents">${t('agents_none')}</p>`;
  return html`<div data-testid="agents">${error && html`<p class="error-text">${error}</p>`}
    <table class="table"><thead><tr><th>${t('agent_name')}</th><th>${t('agent_kind')}</th>
    <th>${t('agent_host')}</th><th>${t('agent_enrolled')}</th><th>${t('agent_last')}</th>
    <th>${t('agent_state')}</th><th></th></tr></thead>
    <tbody>${st.data.map((a) => html`<tr key=${a.id}><td>${a.name}</td><td>${a.kind}</td><td>${a.hostname}</td>
      <td>${formatTime(a.enrolled_at)}</td><td>${formatTime(a.last_seen)}</td>
      <td>${a.revoked_at ? t('agent_revoked') : t('agent_active')}
        ${a.spool_records ? html` <span class="muted small">${t('agent_spool', { n: a.spool_records })}</span>` : null}
        ${a.dropped ? html` <span class="error-text small">${t('agent_dropped', { n: a.dropped })}</span>` : null}</td>
      <td>${admin && !a.revoked_at && html`<button type="button" onClick=${() => revoke(a)}>${t('agent_revoke')}</button>`}</td>
    </tr>`)}</tbody></table></div>`;
}

// What each network sensor last reported about itself (GET /api/sensors).
function Sensors() {
  const [st, reload] = useLoad(() => get('/api/sensors'));
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  if (st.data.length === 0) return html`<p data-testid="sensors">${t('sensors_none')}</p>`;
  return html`<div data-testid="sensors"><p class="muted small">${t('sensors_hint')}</p>
    <table class="table"><thead><tr><th>${t('sensor_name')}</th><th>${t('sensor_updated')}</th>
    <th>${t('sensor_packets')}</th><th>${t('sensor_drops')}</th><th>${t('sensor_anomalies')}</th>
    <th>${t('sensor_flows')}</th><th>${t('sensor_evicted')}</th></tr></thead>
    <tbody>${st.data.map((x) => html`<tr key=${x.sensor}><td>${x.sensor || '—'}</td>
      <td>${formatTime(Math.round(x.updated_at / 1000))}</td><td>${x.packets}</td>
      <td class=${x.kernel_drops + x.kernel_ifdrops ? 'error-text' : ''}>${x.kernel_drops + x.kernel_ifdrops}</td>
      <td>${x.anomalies}</td><td>${x.flows}</td><td>${x.flows_evicted}</td></tr>`)}</tbody></table></div>`;
}

function Tokens() {
  const [st, reload] = useLoad(() => get('/api/tokens'));
  const [fresh, setFresh] = useState(null);
  const [error, setError] = useState('');
  async function create(kind) {
    setError('');
    try { setFresh(await post('/api/tokens', { kind })); reload(); } catch (e) { setError(e.message); }
  }
  return html`<${AdminOnly} st=${st} reload=${reload} note=${t('tokens_admin_only')}>
    <div class="actions">
      <button type="button" class="primary" onClick=${() => create('agent')}>${t('token_create')}</button>
      <button type="button" onClick=${() => create('sensor')}>${t('token_create_sensor')}</button>
    </div>
    ${error && html`<p class="error-text">${error}</p>`}
    ${fresh && html`<div class="card token-new" data-testid="token-new"><p>${t('token_new')}</p>
      <p class="mono token">${fresh.token}</p><p>${t('token_command')}</p>
      <p class="mono">mamori agent --enrol ${location.origin} ${fresh.token}</p></div>`}
    ${st.data && (st.data.length === 0 ? html`<p>${t('tokens_none')}</p>` : html`<table class="table" data-testid="tokens">
      <thead><tr><th>#</th><th>${t('token_kind')}</th><th>${t('token_expires')}</th><th>${t('token_state')}</th></tr></thead>
      <tbody>${st.data.map((k) => html`<tr key=${k.id}><td>${k.id}</td><td>${k.kind}</td>
        <td>${formatTime(k.expires_at)}</td><td>${t('token_' + k.state)}</td></tr>`)}</tbody></table>`)}
  <//>`;
}

export function Settings({ me, onLang }) {
  const admin = me.role === 'admin';
  return html`<div class="stack">
    <section class="card"><h2>${t('account_title')}</h2>
      <p>${me.username} · ${t('role_' + me.role)}</p></section>
    <section class="card"><h2>${t('language_title')}</h2>
      <p>${getLang() === 'ja' ? '日本語' : 'English'}</p>
      <button type="button" onClick=${onLang}>${t('switch_lang')}</button></section>
    <section class="card"><h2>${t('users_title')}</h2><${Users} />
      <p class="muted small">${t('users_add_hint')}</p></section>
    <section class="card"><h2>${t('agents_title')}</h2><${Agents} admin=${admin} /></section>
    <section class="card"><h2>${t('sensors_title')}</h2><${Sensors} /></section>
    <section class="card"><h2>${t('tokens_title')}</h2><${Tokens} /></section>
  </div>`;
}
