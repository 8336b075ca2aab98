// app.js - the owner's dashboard: a login page, then five pages chosen by
// the URL fragment (#/overview, #/assets, #/vulns, #/alerts, #/settings).
// Japanese first; the English switch is remembered in this browser.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCsrf, whenUnauthenticated } from './api.js';
import { t, getLang, setLang } from './i18n.js';
import { html, Loading } from './ui.js';
import { Login } from './page_login.js';
import { Overview } from './page_overview.js';
import { Assets } from './page_assets.js';
import { Vulns } from './page_vulns.js';
import { Alerts } from './page_alerts.js';
import { Incidents } from './page_incidents.js';
import { Risk } from './page_risk.js';
import { Assess } from './page_assess.js';
import { Action } from './page_action.js';
import { Threats } from './page_threats.js';
import { Settings } from './page_settings.js';

const PAGES = {
  overview: Overview, assets: Assets, vulns: Vulns, alerts: Alerts, incidents: Incidents,
  assess: Assess, action: Action, risk: Risk, threats: Threats, settings: Settings,
};

function pageOf(hash) {
  // #/incidents/7 opens incident 7: the page is the first segment.
  const name = (hash || '').replace(/^#\/?/, '').split('/')[0];
  return PAGES[name] ? name : 'overview';
}

function App() {
  const [me, setMe] = useState(null);		// null: asking; false: logged out
  const [page, setPage] = useState(pageOf(location.hash));
  const [, setLangTick] = useState(getLang());

  useEffect(() => {
    whenUnauthenticated(() => { setCsrf(''); setMe(false); });
    get('/api/me').then((s) => { setCsrf(s.csrf_token); setMe(s); }, () => setMe(false));
    const onHash = () => setPage(pageOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => { document.title = t('nav_' + page) + ' · mamori'; });

  const switchLang = () => {
    setLang(getLang() === 'ja' ? 'en' : 'ja');
    setLangTick(getLang());
  };
  const logout = () => post('/api/logout').finally(() => { setCsrf(''); setMe(false); });

  if (me === null) return html`<${Loading} />`;
  if (me === false) {
    return html`<${Login} onLang=${switchLang} onLogin=${(s) => { setCsrf(s.csrf_token); setMe(s); }} />`;
  }
  const Page = PAGES[page];
  return html`<div class="shell">
    <header class="top">
      <a class="brand" href="#/overview">${t('app_name')}</a>
      <nav aria-label="main">${Object.keys(PAGES).map((p) => html`<a key=${p} href=${'#/' + p}
        class=${p === page ? 'on' : ''} aria-current=${p === page ? 'page' : undefined}>${t('nav_' + p)}</a>`)}</nav>
      <div class="who">
        <button type="button" class="link" data-testid="lang" onClick=${switchLang}>${t('switch_lang')}</button>
        <span class="muted small">${me.username}</span>
        <button type="button" class="link" onClick=${logout}>${t('logout')}</button>
      </div>
    </header>
    <main key=${page + getLang()} class=${'page page-' + page}><${Page} me=${me} onLang=${switchLang} /></main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
