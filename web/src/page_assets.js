// page_assets.js - the computers (last seen, OS, score) and, for the chosen
// one, its findings, software and listening ports from its newest scan; and
// the devices the network sensor saw on the LAN (maker, address, name).
import { useState } from 'preact/hooks';
import { get } from './api.js';
import { t, pick, formatTime } from './i18n.js';
import { html, useLoad, Loading, Failed, Severity } from './ui.js';

const SHOWN = 300;	// software rows drawn at once; the filter finds the rest

async function load() {
  const [hosts, devices] = await Promise.all([get('/api/hosts'), get('/api/devices')]);
  return { hosts, devices };
}

function Devices({ list }) {
  return html`<section class="card" data-testid="devices"><h2>${t('devices_title')}</h2>
    <p class="muted small">${t('devices_hint')}</p>
    ${list.length === 0 ? html`<p>${t('devices_none')}</p>` : html`<table class="table devices">
      <thead><tr><th>${t('device_name')}</th><th>${t('device_vendor')}</th><th>${t('device_ip')}</th>
        <th>${t('device_mac')}</th><th>${t('device_first_seen')}</th><th>${t('host_last_seen')}</th></tr></thead>
      <tbody>${list.map((d) => html`<tr key=${d.id}>
        <td>${d.hostname || '—'}</td><td>${d.vendor || '—'}</td>
        <td class="mono">${d.ip || d.ipv6 || '—'}</td><td class="mono">${d.mac}</td>
        <td>${formatTime(Math.round(d.first_seen / 1000))}</td><td>${formatTime(Math.round(d.last_seen / 1000))}</td></tr>`)}</tbody></table>`}
  </section>`;
}

function osName(h) {
  return (h.summary && h.summary.os) || '';
}

function Software({ host, report }) {
  const [q, setQ] = useState('');
  const pkgs = report.packages || [];
  const needle = q.trim().toLowerCase();
  const match = needle ? pkgs.filter((p) => p.name.toLowerCase().includes(needle)) : pkgs;
  return html`<section class="card" data-testid="software">
    <h2>${t('software_title', { host: host.hostname })}</h2>
    <input type="search" class="filter" placeholder=${t('software_filter')} value=${q}
      onInput=${(e) => setQ(e.target.value)} aria-label=${t('software_filter')} />
    <p class="muted small">${t('software_count', { n: match.length, m: Math.min(match.length, SHOWN) })}</p>
    <table class="table"><thead><tr><th>${t('software_name')}</th><th>${t('software_version')}</th>
      <th>${t('software_arch')}</th></tr></thead>
    <tbody>${match.slice(0, SHOWN).map((p) => html`<tr key=${p.format + p.name + p.arch}>
      <td>${p.name}</td><td class="mono">${p.version}</td><td>${p.arch}</td></tr>`)}</tbody></table>
  </section>`;
}

function Listening({ report }) {
  const socks = report.listening || [];
  if (!socks.length) return null;
  return html`<section class="card"><h2>${t('listening_title')}</h2>
    <ul class="chips">${socks.map((l) => html`<li class="chip mono">${l.proto} ${l.address}:${l.port}
      ${l.process ? ' ' + l.process : ''}</li>`)}</ul></section>`;
}

// The chosen computer's findings only, loaded for it.
function HostFindings({ host }) {
  const [st, reload] = useLoad(() => get('/api/findings?host=' + host.id), [host.id]);
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  return html`<${Findings} list=${st.data} />`;
}

function Findings({ list }) {
  return html`<section class="card" data-testid="findings"><h2>${t('findings_title')}</h2>
    ${list.length === 0 ? html`<p>${t('findings_none')}</p>` : html`<ul class="findings">
      ${list.map((f) => {
        const tx = f.text && f.text.ja ? f.text : null;
        return html`<li key=${f.check_id + f.detail}>
          <${Severity} level=${f.severity} />
          <div><strong>${tx ? pick({ en: tx.en.title, ja: tx.ja.title }) : f.title}</strong>
          <p>${tx ? pick({ en: tx.en.detail, ja: tx.ja.detail }) : f.detail}</p>
          <p class="todo-action"><b>${t('finding_action')}:</b> ${tx ? pick({ en: tx.en.action, ja: tx.ja.action }) : f.action}</p></div>
        </li>`;
      })}</ul>`}
  </section>`;
}

export function Assets() {
  const [st, reload] = useLoad(load);
  const [chosen, setChosen] = useState(null);
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const { hosts, devices } = st.data;
  const host = hosts.find((h) => h.id === chosen) || hosts[0];
  return html`<div class="stack">
    <section class="card" data-testid="hosts"><h2>${t('hosts_title')}</h2>
      ${hosts.length === 0 ? html`<p>${t('host_none')}</p>` : html`<table class="table hosts">
        <thead><tr><th>${t('host_name')}</th><th>${t('host_os')}</th><th>${t('host_last_seen')}</th>
          <th>${t('host_score')}</th><th>${t('host_packages')}</th></tr></thead>
        <tbody>${hosts.map((h) => html`<tr key=${h.id} class=${host && h.id === host.id ? 'chosen' : ''}>
          <td><button type="button" class="link" onClick=${() => setChosen(h.id)}>${h.hostname}</button></td>
          <td>${osName(h)}</td><td>${formatTime(h.last_seen)}</td>
          <td>${h.score === null ? '—' : h.score}</td>
          <td>${h.summary && h.summary.packages !== undefined ? h.summary.packages : '—'}</td>
        </tr>`)}</tbody></table>`}
    </section>
    ${host && html`<${HostFindings} host=${host} key=${'f' + host.id} />`}
    ${host && host.last_scan_id && html`<${HostScan} host=${host} key=${'s' + host.id} />`}
    <${Devices} list=${devices} />
  </div>`;
}

// The full report of one computer's last scan (software, ports): loaded only for it.
function HostScan({ host }) {
  const [st, reload] = useLoad(() => get('/api/scans/' + host.last_scan_id), [host.last_scan_id]);
  if (st.error) return html`<${Failed} error=${st.error} retry=${reload} />`;
  if (!st.data) return html`<${Loading} />`;
  const report = st.data.report || {};
  return html`<${Software} host=${host} report=${report} /><${Listening} report=${report} />`;
}
