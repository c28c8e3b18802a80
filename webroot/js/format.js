// Parsing and formatting of the numbers, times and keys the gateway sends. Pure: no DOM, so
// node:test imports it.

/** A finite number from a number or a numeric string; null otherwise. */
export function num(v) {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** Epoch ms from epoch ms, epoch seconds, a numeric string or ISO-8601; NaN when none. */
export function toMs(v) {
  if (v == null || v === '') return NaN;
  const n = num(v);
  if (n != null) return n < 1e11 ? n * 1000 : n;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : NaN;
}

/** How long ago, for an elapsed time in ms. */
export function ago(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 1) return 'now';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

/** A duration in ms, in the unit that reads best. */
export function fmtMs(ms) {
  const v = num(ms);
  if (v == null) return '–';
  if (v < 1000) return Math.round(v) + ' ms';
  if (v < 60000) return (v / 1000).toFixed(v < 10000 ? 1 : 0) + ' s';
  return (v / 60000).toFixed(1) + ' min';
}

/** A rate: one decimal below 100. */
export function fmtRate(v) {
  const n = num(v);
  if (n == null) return '–';
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

/** A count, shortened from 10 000 on (12.3k, 4.5M). */
export function fmtInt(v) {
  const n = num(v);
  if (n == null) return '–';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return String(Math.round(n));
}

export function fmtTime(ms) {
  if (!Number.isFinite(ms)) return '–';
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** HH:MM:SS in local time, for chart axes (fixed width, whatever the locale). */
export function axisTime(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
}

/** The time, with the date in front unless it is today. */
export function fmtDateTime(ms, now = Date.now()) {
  if (!Number.isFinite(ms)) return '–';
  const today = new Date(now).toDateString() === new Date(ms).toDateString();
  return (today ? '' : new Date(ms).toLocaleDateString() + ' ') + fmtTime(ms);
}

/** A score 0..1 with two decimals, or null when there is none. */
export function fmtScore(v) {
  const n = num(v);
  return n == null ? null : n.toFixed(2);
}

/** Keys arrive masked; a key that does not look masked is masked here, so nothing secret is shown. */
export function safeMask(k) {
  const s = k == null ? '' : String(k);
  if (s === '' || /[…*•]/.test(s)) return s;
  return '…' + s.slice(-4);
}

/** "1 alert", "2 alerts". */
export function plural(n, word) {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

/** Compares camera ids the way people read them: cam-2 before cam-10. */
export const naturalCompare = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }).compare;
