// page_overview.js - where the company stands: one score with its grade and
// trend, the five basics (情報セキュリティ5か条) at a glance, and the three
// things to do now, drawn from open alerts, exploited vulnerabilities and
// the most serious findings; and the monthly report (report_card.js).
import { get } from './api.js';
import { t, pick } from './i18n.js';
import { html, useLoad, Loading, Failed, Severity, SEVERITY_RANK, grade } from './ui.js';
import { ReportCard } from './report_card.js';

// Alerts and vulnerabilities are optional: a failure there leaves the rest.
const optional = (p, empty) => p.catch(() => empty);

// Only the most serious findings and the first vulnerabilities (known
// exploited come first) are needed here; the counts come with the hosts.
async function load() {
  const [hosts, trend, findings, vulns, alerts] = await Promise.all([
    get('/api/hosts'), get('/api/trend'), get('/api/findings?limit=20'),
    optional(get('/api/vulns?limit=3'), null), optional(get('/api/alerts?state=open&limit=50'), []),
  ]);
  // Computers with a stored scan; their summary carries the five basics' scores.
  const scans = hosts.filter((h) => h.last_scan_id);
  return { scans, trend, findings, vulns, alerts };
}

const mean = (xs) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

// The company's score after each stored scan: the mean over computers of
// each one's latest score at that time. Oldest first.
function series(points) {
  const latest = new Map();
  return points.slice().reverse().map((p) => {
    latest.set(p.host_id, p.score);
    return { at: p.started_at, score: mean([...latest.values()]) };
  });
}

function Gauge({ score }) {
  const r = 52, c = 2 * Math.PI * r, g = grade(score);
  return html`<svg class=${'gauge grade-' + g} viewBox="0 0 120 120" role="img"
      aria-label=${t('score_title') + ' ' + score}>
    <circle class="gauge-bg" cx="60" cy="60" r=${r} />
    <circle class="gauge-fg" cx="60" cy="60" r=${r} stroke-dasharray=${`${(c * score) / 100} ${c}`}
      transform="rotate(-90 60 60)" />
    <text x="60" y="66" class="gauge-num">${score}</text>
  </svg>`;
}

function Sparkline({ points }) {
  if (points.length < 2) return null;
  const w = 300, hgt = 60;
  const xy = points.map((p, i) => `${((i / (points.length - 1)) * w).toFixed(1)},${(hgt - (p.score / 100) * hgt).toFixed(1)}`);
  return html`<svg class="spark" viewBox=${`0 0 ${w} ${hgt}`} preserveAspectRatio="none" role="img"
      aria-label=${t('trend_title')}>
    <polyline points=${xy.join(' ')} />
  </svg>`;
}

function Score({ scans, trend }) {
  const now = mean(scans.map((s) => s.score).filter((s) => s !== null));
  if (now === null) {
    return html`<section class="card score-card"><h2>${t('score_title')}</h2>
      <p class="big muted">${t('score_none')}</p><p class="muted">${t('score_none_hint')}</p></section>`;
  }
  const s = series(trend);
  const prev = s.length >= 2 ? s[s.length - 2].score : null;
  const last = s.length ? s[s.length - 1].score : now;
  const delta = prev === null ? null : last - prev;
  const trendText = delta === null ? t('trend_first') : delta > 0 ? t('trend_up', { n: delta })
    : delta < 0 ? t('trend_down', { n: -delta }) : t('trend_same');
  const g = grade(now);
  return html`<section class="card score-card" data-testid="score">
    <h2>${t('score_title')}</h2>
    <div class="score-row">
      <${Gauge} score=${now} />
      <div>
        <p class=${'grade grade-' + g}><span class="grade-letter">${g}</span> ${t('grade_' + g)}</p>
        <p class=${'trend ' + (delta > 0 ? 'up' : delta < 0 ? 'down' : '')}>
          ${delta > 0 ? '▲ ' : delta < 0 ? '▼ ' : ''}${trendText}</p>
      </div>
    </div>
    <h3>${t('trend_title')}</h3>
    <${Sparkline} points=${s} />
  </section>`;
}

function Basics({ scans }) {
  const items = [1, 2, 3, 4, 5].map((k) => {
    const scores = scans.map((s) => s.summary && s.summary.kajo
      ? s.summary.kajo[String(k)] : null).filter((x) => typeof x === 'number');
    const issues = scans.reduce((n, s) => n + ((s.findings_by_kajo || {})[String(k)] || 0), 0);
    return { k, score: mean(scores), issues };
  });
  return html`<section class="card basics" data-testid="basics">
    <h2>${t('basics_title')}</h2>
    <ol class="basics-list">
      ${items.map((i) => html`<li class=${'basic grade-' + (i.score === null ? 'none' : grade(i.score))}>
        <span class="basic-num">${i.k}</span>
        <span class="basic-name">${t('kajo_' + i.k)}</span>
        <span class="basic-score">${i.score === null ? '—' : i.score}</span>
        <span class="basic-note muted small">${i.k === 5 || i.score === null ? t('kajo_manual')
          : i.issues ? t('kajo_issues', { n: i.issues }) : t('kajo_ok')}</span>
      </li>`)}
    </ol>
  </section>`;
}

// The three most urgent actions; rank: open alerts by severity, exploited
// vulnerabilities, then findings by severity, then "updates fix N".
export function todos({ findings, vulns, alerts }) {
  const out = [];
  for (const a of alerts || []) {
    const txt = a.text ? pick({ en: a.text.en && a.text.en.what, ja: a.text.ja && a.text.ja.what }) : '';
    const act = a.text ? pick({ en: a.text.en && a.text.en.action, ja: a.text.ja && a.text.ja.action }) : '';
    out.push({ rank: 10 + SEVERITY_RANK[a.severity], severity: a.severity, title: txt || a.message,
      action: act || t('todo_alert_action'), href: '#/alerts', key: 'a' + a.id });
  }
  const kev = vulns && vulns.items ? vulns.items.filter((v) => v.kev) : [];
  for (const v of kev.slice(0, 3)) {
    out.push({ rank: 9, severity: 'critical', title: t('todo_kev', { pkg: v.package, host: v.hostname, cve: v.cve }),
      action: t('todo_kev_action'), href: '#/vulns', key: 'v' + v.cve + v.host_id });
  }
  for (const f of findings) {
    const text = f.text && f.text.ja ? f.text : null;
    out.push({ rank: 2 + SEVERITY_RANK[f.severity], severity: f.severity,
      title: (text ? pick({ en: text.en.title, ja: text.ja.title }) : f.title) + ' (' + f.hostname + ')',
      action: text ? pick({ en: text.en.action, ja: text.ja.action }) : f.action, href: '#/assets',
      key: 'f' + f.check_id + f.host_id });
  }
  if (vulns && vulns.fixable > 0) {
    out.push({ rank: 4.5, severity: 'high', title: t('todo_updates', { n: vulns.fixable }),
      action: t('todo_updates_action'), href: '#/vulns', key: 'updates' });
  }
  // The same alert rule on several computers or sources is one thing to do.
  const seen = new Map();
  for (const x of out.filter((y) => y.severity !== 'info').sort((a, b) => b.rank - a.rank)) {
    const first = seen.get(x.title);
    if (first) first.times++;
    else seen.set(x.title, { ...x, times: 1 });
  }
  return [...seen.values()].slice(0, 3);
}

function Todo({ data }) {
  const list = todos(data);
  return html`<section class="card todo" data-testid="todo">
    <h2>${t('todo_title')}</h2>
    ${list.length === 0 ? html`<p>${t('todo_none')}</p>` : html`<ol class="todo-list">
      ${list.map((x) => html`<li key=${x.key}>
        <${Severity} level=${x.severity} />
        <div><a href=${x.href} class="todo-title">${x.title}</a>
        ${x.times > 1 && html` <span class="muted small">${t('alert_count', { n: x.times })}</span>`}
        <p class="todo-action">${x.action}</p></div>
      </li>`)}
    </ol>`}
  </section>`;
}

export function Overview() {
  const [st, reload] = useLoad(load);
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const d = st.data;
  return html`<div class="grid overview">
    <${Score} scans=${d.scans} trend=${d.trend} />
    <${Todo} data=${d} />
    <${Basics} scans=${d.scans} />
    <${ReportCard} />
  </div>`;
}
