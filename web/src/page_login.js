// page_login.js - the login form. The password is sent once to /api/login
// and never kept; the session is the HttpOnly cookie the answer sets.
// The one-time setup link printed at the first start (https://…/#setup=PW)
// fills in the administrator's password: a fragment never reaches a server
// or a log, and it is removed from the address bar at once.
import { useEffect, useState } from 'preact/hooks';
import { post } from './api.js';
import { t } from './i18n.js';
import { html } from './ui.js';

export function Login({ onLogin, onLang }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function login(name, pw) {
    setBusy(true);
    setError('');
    try {
      const session = await post('/api/login', { username: name, password: pw });
      setPassword('');
      onLogin(session);
    } catch (err) {
      setError(err.status === 401 ? t('login_failed') : err.status === 429 ? t('login_limited')
        : t('login_error'));
    } finally {
      setBusy(false);
    }
  }

  function submit(e) {
    e.preventDefault();
    login(username, password);
  }

  // The link may be opened in a tab where the login page is already shown:
  // then only the fragment changes, so the hash is watched, not read once.
  useEffect(() => {
    function fromSetupLink() {
      const m = /^#setup=([A-Za-z0-9_-]{16,128})$/.exec(location.hash);
      if (!m) return;
      history.replaceState(null, '', location.pathname);
      setUsername('admin');
      login('admin', m[1]);
    }
    fromSetupLink();
    addEventListener('hashchange', fromSetupLink);
    return () => removeEventListener('hashchange', fromSetupLink);
  }, []);

  return html`<main class="login">
    <form class="card login-card" onSubmit=${submit}>
      <h1>${t('app_name')}</h1>
      <h2>${t('login_title')}</h2>
      <label>${t('login_user')}
        <input name="username" autocomplete="username" required value=${username}
          onInput=${(e) => setUsername(e.target.value)} /></label>
      <label>${t('login_password')}
        <input name="password" type="password" autocomplete="current-password" required
          value=${password} onInput=${(e) => setPassword(e.target.value)} /></label>
      ${error && html`<p class="error-text" role="alert">${error}</p>`}
      <button type="submit" class="primary" disabled=${busy}>${t('login_submit')}</button>
      <p class="muted small">${t('login_hint')}</p>
      <button type="button" class="link" onClick=${onLang}>${t('switch_lang')}</button>
    </form>
  </main>`;
}
