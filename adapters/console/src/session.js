// Who is signed in, shared by the pages.
import { reactive } from 'vue';
import { api, setCsrfToken } from './api.js';

export const session = reactive({ user: null, checked: false });

export async function loadSession() {
  try {
    const s = await api('GET', '/v1/session');
    session.user = s.user;
    setCsrfToken(s.csrf_token);
  } catch {
    session.user = null;
  }
  session.checked = true;
  return session.user;
}

export async function signIn(name, password) {
  const s = await api('POST', '/v1/session', { name, password });
  session.user = s.user;
  setCsrfToken(s.csrf_token);
  return s.user;
}

export async function signOut() {
  try {
    await api('DELETE', '/v1/session');
  } finally {
    session.user = null;
    setCsrfToken('');
  }
}
