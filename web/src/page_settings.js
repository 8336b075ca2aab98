// page_settings.js - the caller's account, the language, the tenant's users
// (administrators only) and where agents and enrolment tokens will live.
import { get } from './api.js';
import { t, getLang, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed } from './ui.js';

function Users() {
  const [st, reload] = useLoad(() => get('/api/users'));
  if (st.error && st.error.status === 403) return html`<p class="muted">${t('users_admin_only')}</p>`;
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  return html`<table class="table" data-testid="users"><thead><tr><th>${t('user_name')}</th>
    <th>${t('user_role')}</th><th>${t('user_created')}</th><th>${t('user_last')}</th></tr></thead>
    <tbody>${st.data.map((u) => html`<tr key=${u.id}><td>${u.username}</td><td>${t('role_' + u.role)}</td>
      <td>${formatTime(u.created_at)}</td><td>${formatTime(u.last_seen)}</td></tr>`)}</tbody></table>`;
}

export function Settings({ me, onLang }) {
  return html`<div class="stack">
    <section class="card"><h2>${t('account_title')}</h2>
      <p>${me.username} · ${t('role_' + me.role)}</p></section>
    <section class="card"><h2>${t('language_title')}</h2>
      <p>${getLang() === 'ja' ? '日本語' : 'English'}</p>
      <button type="button" onClick=${onLang}>${t('switch_lang')}</button></section>
    <section class="card"><h2>${t('users_title')}</h2><${Users} />
      <p class="muted small">${t('users_add_hint')}</p></section>
    <section class="card"><h2>${t('agents_title')}</h2><p>${t('agents_hint')}</p></section>
  </div>`;
}
