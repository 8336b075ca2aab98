// page_action.js - SECURITY ACTION readiness: the ★ checklist (the five
// basics, from the scans and the owner's answers) and ★★ (the assessment
// done, a basic security policy drafted and published), the policy draft
// (情報セキュリティ基本方針) to download, and where it was published.
// SECURITY ACTION is a declaration the company makes itself (宣言).
import { useState } from 'preact/hooks';
import { get, post, postFile } from './api.js';
import { t, getLang, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed, saveFile } from './ui.js';

function Check({ done, label, testid, children }) {
  return html`<li class=${'sa-check ' + (done ? 'sa-done' : 'sa-missing')} data-testid=${testid}
      data-done=${done ? '1' : '0'}>
    <span class="badge">${done ? t('sa_done') : t('sa_missing')}</span> ${label}${children}</li>`;
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
}

function DraftForm({ onDone }) {
  const [f, setF] = useState({ company: '', representative: '', title: '', date: today(), format: 'html' });
  const [err, setErr] = useState('');
  const [made, setMade] = useState('');
  const set = (k, v) => setF(Object.assign({}, f, { [k]: v }));
  const submit = (e) => {
    e.preventDefault();
    postFile('/api/policy-draft?lang=' + getLang(), f).then((r) => {
      const name = 'security-policy-' + f.date + (f.format === 'html' ? '.html' : '.md');
      saveFile(name, new Blob([r.text], { type: r.type }));
      setErr('');
      setMade(name);
      onDone();
    }, (x) => setErr(x.message));
  };
  const field = (k, type, label) => html`<label>${t(label || 'sa_' + k)} <input name=${k} type=${type || 'text'} value=${f[k]}
    onInput=${(e) => set(k, e.target.value)} /></label>`;
  return html`<form class="card" onSubmit=${submit} data-testid="policy-draft">
    <h2>${t('sa_draft_title')}</h2>
    <p class="muted small">${t('sa_draft_hint')}</p>
    ${field('company')} ${field('representative')} ${field('title', 'text', 'sa_title_field')} ${field('date', 'date')}
    <label>${t('sa_format')} <select name="format" value=${f.format} onChange=${(e) => set('format', e.target.value)}>
      <option value="html">HTML</option><option value="markdown">Markdown</option></select></label>
    ${err && html`<p class="error" role="alert">${err}</p>`}
    ${made && html`<p class="small" data-testid="draft-made">${t('sa_draft_made', { name: made })}</p>`}
    <button type="submit" class="primary">${t('sa_draft_button')}</button>
  </form>`;
}

function PublishForm({ onDone }) {
  const [where, setWhere] = useState('');
  const [err, setErr] = useState('');
  const submit = (e) => {
    e.preventDefault();
    post('/api/policy-published?lang=' + getLang(), { where }).then(() => { setErr(''); onDone(); },
      (x) => setErr(x.message));
  };
  return html`<form class="card" onSubmit=${submit} data-testid="policy-publish">
    <h2>${t('sa_publish_title')}</h2>
    <label>${t('sa_where')} <input name="where" value=${where} onInput=${(e) => setWhere(e.target.value)} /></label>
    ${err && html`<p class="error" role="alert">${err}</p>`}
    <button type="submit">${t('sa_publish_button')}</button>
  </form>`;
}

export function Action({ me }) {
  const [st, reload] = useLoad(() => get('/api/assess?lang=' + getLang()));
  const canEdit = me && me.role !== 'viewer';
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const sa = st.data.security_action;
  const s2 = sa.star2;
  return html`<div class="stack">
    <section class="card" data-testid="sa">
      <h2>${t('sa_title')}</h2>
      <p class="muted small" data-testid="sa-note">${t('sa_note')}</p>
      <h3 data-testid="star1" data-ready=${sa.star1.ready ? '1' : '0'}>${t('sa_star1')}
        <span class="badge">${sa.star1.ready ? t('sa_ready') : t('sa_not_ready')}</span></h3>
      <ul class="checklist">${sa.star1.basics.map((b) => html`<${Check} key=${b.no} done=${b.status === 'met'}
          testid=${'basic-' + b.no} label=${b.no + '. ' + b.title + ' — ' + b.status_label}>
        ${b.missing.length ? html`<ul class="small">${b.missing.map((m) => html`<li key=${m.id}>${m.title}
          <span class="muted">(${m.hosts.join(', ')})</span></li>`)}</ul>` : null}
        ${b.status !== 'met' && b.no === 5 ? html`<div class="small muted">${t('sa_basic5_hint')}</div>` : null}
      </${Check}>`)}</ul>
      <h3 data-testid="star2" data-ready=${s2.ready ? '1' : '0'}>${t('sa_star2')}
        <span class="badge">${s2.ready ? t('sa_ready') : t('sa_not_ready')}</span></h3>
      <ul class="checklist">
        <${Check} done=${s2.assessment_done} testid="s2-assess" label=${t('sa_s2_assess', { n: st.data.answered })}>
          ${!s2.assessment_done && html` <a href="#/assess">${t('sa_go_assess')}</a>`}</${Check}>
        <${Check} done=${s2.policy_drafted} testid="s2-drafted" label=${t('sa_s2_drafted')}>
          ${s2.policy_drafted_at ? html` <span class="muted small">${formatTime(s2.policy_drafted_at)}</span>` : null}</${Check}>
        <${Check} done=${s2.policy_published} testid="s2-published" label=${t('sa_s2_published')}>
          ${s2.policy_published ? html` <span class="muted small">${s2.policy_published_where}
            · ${formatTime(s2.policy_published_at)}</span>` : null}</${Check}>
      </ul>
      ${sa.star1.ready && html`<p class="todo-action">${s2.ready ? t('sa_declare2') : t('sa_declare1')}</p>`}
    </section>
    ${canEdit && html`<${DraftForm} onDone=${reload} />`}
    ${canEdit && html`<${PublishForm} onDone=${reload} />`}
  </div>`;
}
