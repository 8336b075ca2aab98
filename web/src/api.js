// api.js - the dashboard's calls to the manager's JSON API. The session is an
// HttpOnly cookie; state changes carry the CSRF token that login and /api/me
// return. A 401 anywhere means the session ended: the app shows the login page.

let csrf = '';
let onUnauthenticated = () => {};

export function setCsrf(token) { csrf = token || ''; }
export function whenUnauthenticated(fn) { onUnauthenticated = fn; }

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, init);
  let doc = null;
  try { doc = await res.json(); } catch (e) { doc = null; }
  if (res.status === 401 && path !== '/api/login') onUnauthenticated();
  if (!res.ok) throw new ApiError(res.status, doc && doc.error, doc && doc.message);
  return doc;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const del = (path) => call('DELETE', path);

// A call whose answer is a file: its body read as text (the policy draft)
// or kept as a Blob (a PDF report), its type and the name the server gave.
async function fileCall(method, path, body, asBlob) {
  const init = { method, credentials: 'same-origin', cache: 'no-store', headers: {} };
  if (method !== 'GET') {
    init.headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) onUnauthenticated();
  if (!res.ok) {
    let doc = null;
    try { doc = await res.json(); } catch (e) { doc = null; }
    throw new ApiError(res.status, doc && doc.error, doc && doc.message);
  }
  const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  return {
    text: asBlob ? null : await res.text(), blob: asBlob ? await res.blob() : null,
    type: res.headers.get('Content-Type') || 'text/plain', name: m ? m[1] : '',
  };
}

export const postFile = (path, body) => fileCall('POST', path, body, false);
export const getFile = (path) => fileCall('GET', path, undefined, true);
