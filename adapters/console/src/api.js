import { problemMessage } from './problems.js';

// The console talks to credflow only through its HTTP API (/v1), with the
// session cookie the sign-in set; unsafe methods carry the CSRF token.
let csrfToken = '';
let onSignedOut = () => {};

export function setCsrfToken(token) {
  csrfToken = token || '';
}
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

// A failed call. Its message is Chinese (problems.js); the API's English
// detail stays in `detail` for the record.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problemMessage(status, problem));
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || '';
    this.detail = this.problem.detail || '';
  }
}

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let resp;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, null); // the network, not the server
  }
  if (resp.status === 204) return null;
  const data = await resp.json().catch(() => null);
  if (!resp.ok) {
    if (resp.status === 401 && path !== '/v1/session') onSignedOut();
    throw new ApiError(resp.status, data);
  }
  return data;
}

// A random Idempotency-Key (crypto.getRandomValues works on plain HTTP too,
// where crypto.randomUUID does not).
function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'console-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// POST that opens something (a filing, a repair application) at most once:
// the same body sent again (a retry after a lost answer, a double click)
// carries the same Idempotency-Key, so the server answers the first
// outcome instead of applying it twice; a changed body (the user corrected
// the form) gets a new key.
const pending = new Map(); // path -> { body, key }
export async function postOnce(path, body) {
  const text = JSON.stringify(body);
  let entry = pending.get(path);
  if (!entry || entry.body !== text) {
    entry = { body: text, key: newKey() };
    pending.set(path, entry);
  }
  const answer = await api('POST', path, body, { 'Idempotency-Key': entry.key });
  pending.delete(path);
  return answer;
}
