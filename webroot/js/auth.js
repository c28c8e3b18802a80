// The viewer token (http.viewerToken), when the gateway wants one: asked for once in a small form, kept
// for the browser tab's session (sessionStorage), sent as a Bearer header on REST calls and as the
// access_token query parameter to the SockJS bridge (browsers cannot set headers there).
const KEY = 'argus.viewerToken';

export function viewerToken() {
  try { return sessionStorage.getItem(KEY) || ''; } catch (e) { return ''; }
}

/** Headers for a REST call: the Bearer token when the page holds one. */
export function authHeaders() {
  const t = viewerToken();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

/** The event-bus URL, with the token when the page holds one. */
export function busUrl(base) {
  const t = viewerToken();
  return t ? base + '?access_token=' + encodeURIComponent(t) : base;
}

/**
 * Resolves once the gateway lets this page read (no token needed, or the kept one is right). Otherwise
 * shows the form and never resolves: submitting it stores the token and reloads the page.
 */
export async function requireViewer() {
  const r = await fetch('/api/v1/cameras', { headers: { Accept: 'application/json', ...authHeaders() }, cache: 'no-store' });
  if (r.status !== 401) return;
  showForm(viewerToken() !== '');
  return new Promise(() => {});
}

function showForm(wasWrong) {
  const form = document.createElement('form');
  form.id = 'token-form';
  form.className = 'token-form panel';
  const label = document.createElement('label');
  label.textContent = wasWrong ? 'That token was refused. Viewer token:' : 'This gateway needs a viewer token:';
  const input = document.createElement('input');
  input.type = 'password';
  input.id = 'token-input';
  input.autocomplete = 'off';
  input.required = true;
  label.append(input);
  const button = document.createElement('button');
  button.type = 'submit';
  button.className = 'btn';
  button.textContent = 'Open';
  form.append(label, button);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    try { sessionStorage.setItem(KEY, input.value.trim()); } catch (e) { /* private mode: asked again next time */ }
    location.reload();
  });
  document.body.prepend(form);
  input.focus();
}
