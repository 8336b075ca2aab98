// page_incidents.js - incident response in IPA's three steps: open an
// incident from an alert (or by hand), tick the checklist of each step, set
// the PPC cases and watch the report countdowns, close it. Texts of the
// playbook come from the server in both languages (detection/incident.c).
import { useState } from 'preact/hooks';
import { get, post } from './api.js';
import { t, pick, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

function left(seconds) {
  const s = Math.abs(seconds);
  return t('inc_left', { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
}

function Deadlines({ list }) {
  if (!list || !list.length) return null;
  return html`<ul class="deadlines" data-testid="deadlines">${list.map((d) => html`<li key=${d.id}
      class=${'deadline deadline-' + d.status} data-testid=${'deadline-' + d.id}>
    <strong>${pick(d.label)}</strong>
    <span>${t('inc_due')} ${formatTime(d.due)}</span>
    <span class="badge">${d.status === 'done' ? t('inc_done') : d.status === 'overdue'
      ? t('inc_overdue') + ' ' + left(d.remaining) : t('inc_remaining') + ' ' + left(d.remaining)}</span>
  </li>`)}</ul>`;
}

function Detail({ id, canEdit, onBack }) {
  const [st, reload] = useLoad(() => get('/api/incidents/' + id), [id]);
  const [err, setErr] = useState('');
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const v = st.data;
  const change = (body) => post('/api/incidents/' + id, body).then(() => { setErr(''); reload(); },
    (e) => setErr(e.message));
  const cases = v.ppc.cases.filter((c) => c.applies).map((c) => c.id);
  const toggleCase = (c) => change({ ppc: { cases: cases.includes(c) ? cases.filter((x) => x !== c)
    : cases.concat([c]), encrypted: v.ppc.encrypted } });
  const edit = canEdit && v.state === 'open';
  return html`<section class="card" data-testid="incident">
    <button type="button" class="link" onClick=${onBack}>${t('inc_back')}</button>
    <h2>#${v.id} ${v.title}</h2>
    <p><span class="badge">${pick(v.kind_label)}</span> ${t('inc_discovered')} ${formatTime(v.discovered_at)}
      · ${t('inc_state_' + v.state)}</p>
    <p class="todo-action">${pick(v.summary)}</p>
    ${err && html`<p class="error" role="alert">${err}</p>`}
    <${Deadlines} list=${v.deadlines} />
    ${v.steps.map((s) => html`<div key=${s.id} class=${'ir-step' + (s.id === v.step ? ' on' : '')}
        data-testid=${'step-' + s.id}>
      <h3>${pick(s.title)} <span class="muted small">${s.done}/${s.total}</span>
        ${edit && s.id !== v.step && html`<button type="button" class="link"
          onClick=${() => change({ step: s.id })}>${t('inc_go_step')}</button>`}</h3>
      <ul class="checklist">${s.items.map((i) => html`<li key=${i.id}><label>
        <input type="checkbox" checked=${i.done} disabled=${!edit} data-item=${i.id}
          onChange=${() => change(i.done ? { uncheck: i.id } : { check: i.id })} />
        ${pick(i.text)}</label></li>`)}</ul>
    </div>`)}
    <h3>${t('inc_ppc')}</h3>
    <ul class="checklist">${v.ppc.cases.map((c) => html`<li key=${c.id}><label>
      <input type="checkbox" checked=${c.applies} disabled=${!edit} data-case=${c.id}
        onChange=${() => toggleCase(c.id)} /> ${pick(c.text)}</label></li>`)}</ul>
    <h3>${t('inc_report_to')}</h3>
    <ul class="authorities">${v.authorities.filter((a) => a.need !== 'no').map((a) => html`<li key=${a.id}>
      <span class=${'badge need-' + a.need}>${t('inc_need_' + a.need)}</span> <strong>${pick(a.name)}</strong>
      ${a.reported && html` <span class="badge">${t('inc_reported')}</span>`}
      <div class="muted small">${pick(a.why)} ${pick(a.where)}</div></li>`)}</ul>
    <h3>${t('inc_contacts')}</h3>
    ${v.contacts.length ? html`<ul>${v.contacts.map((c) => html`<li key=${c.role}>${pick(c.label)}: ${c.name}
      ${c.phone} ${c.email}</li>`)}</ul>` : html`<p class="muted">${t('inc_no_contacts')}</p>`}
    ${canEdit && html`<p><button type="button" data-testid="close"
      onClick=${() => change({ state: v.state === 'open' ? 'closed' : 'open' })}>
      ${v.state === 'open' ? t('inc_close') : t('inc_reopen')}</button></p>`}
  </section>`;
}

function OpenForm({ kinds, alerts, onOpened }) {
  const [kind, setKind] = useState('malware');
  const [alert, setAlert] = useState('');
  const [title, setTitle] = useState('');
  const [err, setErr] = useState('');
  const submit = (e) => {
    e.preventDefault();
    const body = { kind };
    if (alert) body.alert_id = Number(alert); else body.title = title;
    post('/api/incidents', body).then((v) => onOpened(v.id), (x) => setErr(x.message));
  };
  return html`<form class="card" onSubmit=${submit} data-testid="incident-open">
    <h2>${t('inc_open')}</h2>
    <label>${t('inc_kind')} <select name="kind" value=${kind} onChange=${(e) => setKind(e.target.value)}>
      ${kinds.map((k) => html`<option key=${k.id} value=${k.id}>${pick(k.name)}</option>`)}</select></label>
    <label>${t('inc_from_alert')} <select name="alert" value=${alert} onChange=${(e) => setAlert(e.target.value)}>
      <option value="">${t('inc_no_alert')}</option>
      ${alerts.map((a) => html`<option key=${a.id} value=${String(a.id)}>#${a.id} ${pick(a.text && a.text.what
        ? { en: a.text.en.what, ja: a.text.ja.what } : null) || a.rule_id}</option>`)}</select></label>
    ${!alert && html`<label>${t('inc_title')} <input name="title" value=${title}
      onInput=${(e) => setTitle(e.target.value)} /></label>`}
    ${err && html`<p class="error" role="alert">${err}</p>`}
    <button type="submit">${t('inc_open_button')}</button>
  </form>`;
}

// #/incidents/7 (the alerts page's "handle as an incident") opens incident 7.
function idFromHash() {
  const id = Number(location.hash.split('/')[2]);
  return Number.isInteger(id) && id > 0 ? id : 0;
}

export function Incidents({ me }) {
  const [open, setOpen] = useState(idFromHash);
  const canEdit = me && me.role !== 'viewer';
  const [st, reload] = useLoad(() => Promise.all([get('/api/incidents?state=all'),
    get('/api/incident-kinds'), get('/api/alerts')]), [open]);
  if (open) return html`<${Detail} id=${open} canEdit=${canEdit} onBack=${() => { setOpen(0); reload(); }} />`;
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const [list, kinds, alerts] = st.data;
  return html`<div class="stack">
    <section class="card" data-testid="incidents"><h2>${t('inc_title_page')}</h2>
      ${list.length ? html`<ul class="incidents">${list.map((i) => html`<li key=${i.id}>
        <button type="button" class="link" data-testid=${'incident-' + i.id} onClick=${() => setOpen(i.id)}>
          #${i.id} ${i.title}</button>
        <span class="badge">${pick(i.kind_label)}</span> <span class="muted small">${pick(i.step_label)}
          · ${t('inc_state_' + i.state)}</span>
        <${Deadlines} list=${i.deadlines} /></li>`)}</ul>` : html`<p>${t('inc_none')}</p>`}
    </section>
    ${canEdit && html`<${OpenForm} kinds=${kinds.kinds} alerts=${alerts} onOpened=${setOpen} />`}
  </div>`;
}
