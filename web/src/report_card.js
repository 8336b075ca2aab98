// report_card.js - the monthly report on the overview: a month picker (the
// months with stored scans, newest first, from /api/report/months) and
// downloads as PDF or HTML in the dashboard's language. The file is fetched
// first, so a refusal (no PDF module, a busy server) shows its message here
// instead of a broken download.
import { useState } from 'preact/hooks';
import { get, getFile } from './api.js';
import { t, getLang, formatMonth } from './i18n.js';
import { html, useLoad, Loading, Failed, saveFile } from './ui.js';

export function ReportCard() {
  const [st, reload] = useLoad(() => get('/api/report/months'));
  const [month, setMonth] = useState('');
  const [busy, setBusy] = useState('');
  const [msg, setMsg] = useState({ text: '', error: false });
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<section class="card"><${Loading} /></section>`;
  const months = st.data.months;
  const chosen = month || (months.length ? months[0].month : '');
  const download = (format) => {
    setBusy(format);
    setMsg({ text: '', error: false });
    getFile(`/api/report?month=${chosen}&format=${format}&lang=${getLang()}`).then((r) => {
      const name = r.name || `mamori-report-${chosen}.${format}`;
      saveFile(name, r.blob);
      setMsg({ text: t('report_made', { name }), error: false });
    }, (e) => setMsg({ text: e.message, error: true })).finally(() => setBusy(''));
  };
  return html`<section class="card report-card" data-testid="reports">
    <h2>${t('report_title')}</h2>
    ${months.length === 0 ? html`<p class="muted" data-testid="report-none">${t('report_none')}</p>` : html`
      <p class="muted small">${t('report_hint')}</p>
      <label>${t('report_month')} <select data-testid="report-month" value=${chosen}
          onChange=${(e) => setMonth(e.target.value)} disabled=${!!busy}>
        ${months.map((m) => html`<option key=${m.month} value=${m.month}>${t('report_month_opt',
          { m: formatMonth(m.month), s: m.scans, h: m.hosts })}</option>`)}
      </select></label>
      ${chosen === st.data.current && html`<p class="muted small">${t('report_partial')}</p>`}
      <div class="report-buttons">
        <button type="button" class="primary" data-testid="report-pdf" disabled=${!!busy}
          onClick=${() => download('pdf')}>${t('report_pdf')}</button>
        <button type="button" data-testid="report-html" disabled=${!!busy}
          onClick=${() => download('html')}>${t('report_html')}</button>
      </div>
      ${busy && html`<p class="muted small" role="status">${t('report_making')}</p>`}
      ${msg.text && html`<p class=${msg.error ? 'error-text' : 'small'} role=${msg.error ? 'alert' : 'status'}
        data-testid="report-msg">${msg.text}</p>`}`}
  </section>`;
}
