// page_alerts.js - alerts as cards an office manager can act on: what
// happened, how serious, what to do now; acknowledge / resolve (operator or
// admin) and the timeline of each.
import { useState } from 'preact/hooks';
import { get, post } from './api.js';
import { t, pick, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed, Severity } from './ui.js';

function part(a, key) {
  return a.text ? pick({ en: a.text.en && a.text.en[key], ja: a.text.ja && a.text.ja[key] }) : '';
}

function Timeline({ id }) {
  const [st] = useLoad(() => get('/api/alerts/' + id), [id]);
  if (!st.data) return html`<${Loading} />`;
  return html`<ol class="timeline">${(st.data.timeline || []).map((s, i) => html`<li key=${i}>
    <span class="muted small">${formatTime(s.at > 1e11 ? Math.round(s.at / 1000) : s.at)}</span>
    <span>${t('step_' + s.kind)}</span>${s.actor && html`<span class="muted"> ${s.actor}</span>`}
    ${s.note && html`<span> — ${s.note}</span>`}</li>`)}</ol>`;
}

function AlertCard({ a, canChange, changed }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [open, setOpen] = useState(false);
  async function set(state) {
    setBusy(true);
    setError('');
    try {
      await post('/api/alerts/' + a.id, { state });
      changed();
    } catch (err) {
      setError(err.status === 403 ? t('alert_forbidden') : err.message);
    } finally {
      setBusy(false);
    }
  }
  // An incident record from this alert, then its page; the kind is a first
  // guess the owner can change there (other when nothing fits).
  async function openIncident() {
    setBusy(true);
    setError('');
    try {
      const rule = (a.rule_id || '') + ' ' + (a.message || '');
      const kind = /ransom/i.test(rule) ? 'ransomware' : /malware|virus|ioc|clamav/i.test(rule) ? 'malware'
        : /deface|website/i.test(rule) ? 'defacement' : 'other';
      const v = await post('/api/incidents', { alert_id: a.id, kind });
      location.hash = '#/incidents/' + v.id;
    } catch (err) {
      setError(err.status === 403 ? t('alert_forbidden') : err.message);
      setBusy(false);
    }
  }
  const when = Math.round(a.last_ts / 1000);
  return html`<li class=${'card alert sev-border-' + a.severity} data-testid="alert" data-state=${a.state}>
    <div class="alert-head">
      <${Severity} level=${a.severity} />
      <span class=${'badge state-' + a.state}>${t('alert_state_' + a.state)}</span>
      <span class="muted small">${formatTime(when)}${a.count > 1 ? ' · ' + t('alert_count', { n: a.count }) : ''}</span>
    </div>
    <h3>${t('alert_what')}</h3>
    <p class="alert-what">${part(a, 'what') || a.message}</p>
    <p class="muted small">${[a.host && t('alert_host', { h: a.host }), a.source_ip && t('alert_from', { ip: a.source_ip }),
      a.user && t('alert_user', { u: a.user })].filter(Boolean).join(' · ')}</p>
    ${part(a, 'why') && html`<h3>${t('alert_serious')}</h3><p>${part(a, 'why')}</p>`}
    <h3>${t('alert_do')}</h3>
    <p class="todo-action">${part(a, 'action') || t('todo_alert_action')}</p>
    ${error && html`<p class="error-text" role="alert">${error}</p>`}
    <div class="actions">
      ${canChange && a.state === 'new' && html`<button type="button" class="primary" disabled=${busy}
        onClick=${() => set('acknowledged')}>${t('alert_ack')}</button>`}
      ${canChange && a.state !== 'resolved' && html`<button type="button" disabled=${busy}
        onClick=${() => set('resolved')}>${t('alert_resolve')}</button>`}
      ${canChange && a.state === 'resolved' && html`<button type="button" disabled=${busy}
        onClick=${() => set('new')}>${t('alert_reopen')}</button>`}
      ${canChange && html`<button type="button" data-testid="alert-incident" disabled=${busy}
        onClick=${openIncident}>${t('alert_incident')}</button>`}
      <button type="button" class="link" onClick=${() => setOpen(!open)}>${t('alert_timeline')}</button>
    </div>
    ${open && html`<${Timeline} id=${a.id} />`}
  </li>`;
}

export function Alerts({ me }) {
  const [all, setAll] = useState(false);
  const [st, reload] = useLoad(() => get('/api/alerts?state=' + (all ? 'all' : 'open') + '&limit=200'), [all]);
  const canChange = me && (me.role === 'admin' || me.role === 'operator');
  return html`<section class="stack" data-testid="alerts">
    <div class="card row"><h2>${t('alerts_title')}</h2>
      <div class="seg" role="group">
        <button type="button" class=${all ? '' : 'on'} onClick=${() => setAll(false)}>${t('alerts_open')}</button>
        <button type="button" class=${all ? 'on' : ''} onClick=${() => setAll(true)}>${t('alerts_all')}</button>
      </div></div>
    ${st.error ? html`<${Failed} error=${st.error} retry=${reload} />` : !st.data ? html`<${Loading} />`
      : st.data.length === 0 ? html`<p class="card">${all ? t('alerts_none_all') : t('alerts_none')}</p>`
      : html`<ul class="alerts">${st.data.map((a) => html`<${AlertCard} key=${a.id + a.state} a=${a}
          canChange=${canChange} changed=${reload} />`)}</ul>`}
  </section>`;
}
