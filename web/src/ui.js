// ui.js - small shared pieces: htm bound to preact, loading and error states,
// severity badges, the data loader hook.
import { h } from 'preact';
import { useEffect, useState, useCallback } from 'preact/hooks';
import htm from 'htm';
import { t } from './i18n.js';

export const html = htm.bind(h);

export const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function Severity({ level }) {
  const l = SEVERITY_RANK[level] === undefined ? 'info' : level;
  return html`<span class=${'sev sev-' + l}>${t('sev_' + l)}</span>`;
}

export function Loading() {
  return html`<p class="muted" role="status">${t('loading')}</p>`;
}

export function Failed({ error, retry }) {
  return html`<div class="card error" role="alert">
    <p>${t('error_load')}${error && error.message ? ': ' + error.message : ''}</p>
    ${retry && html`<button type="button" onClick=${retry}>${t('retry')}</button>`}
  </div>`;
}

// Runs load() (a function returning a promise) on mount and on reload().
export function useLoad(load, deps) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const run = useCallback(() => {
    setState((s) => ({ loading: true, data: s.data, error: null }));
    load().then((data) => setState({ loading: false, data, error: null }),
      (error) => setState({ loading: false, data: null, error }));
  }, deps || []);
  useEffect(run, [run]);
  return [state, run];
}

// Grade of a 0-100 score, the same bands on every page.
export function grade(score) {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  if (score >= 40) return 'D';
  return 'E';
}

// Hands a Blob to the browser as a download named name.
export function saveFile(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
