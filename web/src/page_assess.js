// page_assess.js - IPA's 5-minute self-assessment (5分でできる情報セキュリティ
// 自社診断): 25 items in three parts, answered 4 / 2 / 0 / -1. Items the
// scans or the incident contacts speak for come pre-filled with their
// evidence; the owner confirms or overrides them. The total, IPA's band
// with the next step, and the saved assessments. Texts of the items come
// from the server in the page's language (guide/assess.c).
import { useState } from 'preact/hooks';
import { get, post } from './api.js';
import { t, getLang, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

const ANSWERS = [4, 2, 0, -1];

function Evidence({ it }) {
  const ev = it.evidence;
  if (!ev) return null;
  const findings = ev.findings || [];
  const hosts = ev.hosts || [];
  return html`<div class="evidence small" data-testid=${'evidence-' + it.no}>
    <strong>${t('as_evidence')}</strong>
    ${ev.contacts && ev.contacts.length ? html` ${t('as_ev_contacts')}: ${ev.contacts.map((c) => t('as_role_' + c)).join('、')}` : null}
    ${findings.length ? html`<ul>${findings.map((f, i) => html`<li key=${i}>
        <span class=${'sev sev-' + f.severity}>${t('sev_' + f.severity)}</span> ${f.title || f.id}
        <span class="muted">(${f.host})</span>${f.action && html`<div class="muted">${f.action}</div>`}</li>`)}</ul>`
      : hosts.length ? html` ${t('as_ev_ok', { n: hosts.length })}` : null}
    ${hosts.length ? html`<div class="muted">${t('as_ev_hosts')}: ${hosts.map((h) => h.host + ' (' + h.scanned + ')').join(', ')}</div>` : null}
  </div>`;
}

function Item({ it, staged, canEdit, onPick }) {
  const cur = staged !== undefined ? staged : it.answer;
  const changed = staged !== undefined;
  const fromEvidence = it.source === 'evidence' && !changed;
  return html`<li class="card as-item" data-testid=${'item-' + it.no} data-answer=${cur === null ? '' : String(cur)}
      data-source=${changed ? 'staged' : it.source || ''}>
    <p><strong>${it.no}.</strong> ${it.question}</p>
    <p class="small">
      ${fromEvidence ? html`<span class="badge" data-testid=${'prefilled-' + it.no}>${t('as_prefilled')}</span>`
        : it.source === 'manual' && !changed ? html`<span class="badge">${t('as_confirmed')}</span>` : null}
      ${changed ? html`<span class="badge">${t('as_unsaved')}</span>` : null}
      ${it.evidence_answer !== null && it.source === 'manual' && !changed
        ? html` <span class="muted">${t('as_evidence_says')}: ${t('as_answer_' + it.evidence_answer)}</span>` : null}
    </p>
    <${Evidence} it=${it} />
    <div class="seg" role="group" aria-label=${t('as_answer')}>
      ${ANSWERS.map((a) => html`<button key=${a} type="button" disabled=${!canEdit}
        class=${cur === a ? 'on' : ''} data-answer=${String(a)} aria-pressed=${cur === a ? 'true' : 'false'}
        onClick=${() => onPick(it.no, a)}>${t('as_answer_' + a)} (${a})</button>`)}
      ${canEdit && it.source === 'manual' && it.evidence_answer !== null && html`<button type="button"
        class="link" onClick=${() => onPick(it.no, null)}>${t('as_back_to_evidence')}</button>`}
    </div>
  </li>`;
}

function History({ list }) {
  if (!list.length) return html`<p class="muted">${t('as_no_history')}</p>`;
  return html`<table data-testid="as-history"><thead><tr><th>${t('as_date')}</th><th>${t('as_total')}</th>
    <th>${t('as_answered')}</th><th>${t('as_band')}</th></tr></thead><tbody>
    ${list.slice().reverse().map((h) => html`<tr key=${h.id}><td>${formatTime(h.created_at)}</td>
      <td>${h.total}</td><td>${h.answered}/25</td><td>${t('as_band_' + h.band)}</td></tr>`)}</tbody></table>`;
}

export function Assess({ me }) {
  const [st, reload] = useLoad(() => get('/api/assess?lang=' + getLang()));
  const [staged, setStaged] = useState({});
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const canEdit = me && me.role !== 'viewer';
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const d = st.data;
  const pick = (no, a) => setStaged(Object.assign({}, staged, { [no]: a }));
  const nstaged = Object.keys(staged).length;
  // Confirming pre-filled items: the evidence's answer becomes the owner's.
  const confirmAll = () => {
    const s = Object.assign({}, staged);
    d.items.forEach((it) => { if (it.source === 'evidence' && s[it.no] === undefined) s[it.no] = it.answer; });
    setStaged(s);
  };
  const save = () => {
    setBusy(true);
    post('/api/assess?lang=' + getLang(), { answers: staged }).then(() => { setErr(''); setStaged({}); reload(); },
      (e) => setErr(e.message)).finally(() => setBusy(false));
  };
  const parts = [1, 2, 3];
  return html`<div class="stack">
    <section class="card" data-testid="assess">
      <h2>${t('as_title')}</h2>
      <p class="muted small">${t('as_hint')}</p>
      <p class="as-score"><strong data-testid="as-total">${d.total}</strong> / 100
        <span class="muted"> · ${t('as_answered')} ${d.answered}/25</span></p>
      <p data-testid="as-band" data-band=${d.band.id}><span class="badge">${t('as_band_' + d.band.id)}</span>
        ${d.band.state}</p>
      <p class="todo-action" data-testid="as-next">${t('as_next')}: ${d.band.next_step}</p>
      ${d.band.provisional && html`<p class="muted small">${t('as_provisional')}</p>`}
      ${d.evidence_scan ? html`<p class="muted small">${t('as_from_scan', { date: d.evidence_scan.scanned, hosts: d.evidence_scan.hosts, n: d.items.filter((i) => i.source === 'evidence').length })}</p>` : null}
    </section>
    ${parts.map((p) => html`<section key=${p} class="stack" data-testid=${'part-' + p}>
      <h2>${(d.items.find((i) => i.part === p) || {}).part_title}</h2>
      <ol class="as-items">${d.items.filter((i) => i.part === p).map((it) => html`<${Item} key=${it.no} it=${it}
        staged=${staged[it.no]} canEdit=${canEdit} onPick=${pick} />`)}</ol>
    </section>`)}
    ${canEdit && html`<section class="card as-save">
      ${err && html`<p class="error" role="alert">${err}</p>`}
      <button type="button" onClick=${confirmAll}>${t('as_confirm_all')}</button>
      <button type="button" class="primary" data-testid="as-save" disabled=${busy || !nstaged}
        onClick=${save}>${t('as_save', { n: nstaged })}</button>
    </section>`}
    <section class="card"><h2>${t('as_history')}</h2><${History} list=${d.history} /></section>
  </div>`;
}
