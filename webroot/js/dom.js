// Small DOM and HTTP helpers. Writes only what changed, so a once-a-second refresh costs nothing
// when nothing moved.
import { authHeaders } from './auth.js';

export const $ = (id) => document.getElementById(id);

export function setText(el, text) {
  text = text == null ? '' : String(text);
  if (el.textContent !== text) el.textContent = text;
}

/** Replaces the element's classes that start with `prefix` by prefix + value (none when no value). */
export function setClass(el, prefix, value) {
  for (const c of Array.from(el.classList)) if (c.startsWith(prefix)) el.classList.remove(c);
  if (value) el.classList.add(prefix + value);
}

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/** The first element of an HTML fragment, parsed once, for cloning (a template, not a script). */
export function fragment(html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content.firstChild;
}

/** GET as JSON; a non-2xx answer rejects with an Error carrying `status`. */
export async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json', ...authHeaders() }, cache: 'no-store' });
  if (!r.ok) {
    const e = new Error('HTTP ' + r.status);
    e.status = r.status;
    throw e;
  }
  return r.json();
}
