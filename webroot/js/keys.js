// The LLM key pool table: a row per key in the pool's order, masked, with its state (and cooldown
// countdown), requests in flight, allowed QPS and success rate.
import { $, setText, setClass, el } from './dom.js';
import { num, toMs, safeMask } from './format.js';
import { poolSummary, keyBadge, successClass } from './stats.js';
import { state, serverNow } from './state.js';

const keysBody = $('keys').tBodies[0];

export function onKeys(pool) {
  if (!pool || !Array.isArray(pool.keys)) return;
  const seen = new Set();
  let active = 0;
  pool.keys.forEach((k, i) => {
    if (!k || k.id == null) return;
    const id = String(k.id);
    seen.add(id);
    const r = state.keys.get(id) || newKeyRow(id);
    if (keysBody.children[i] !== r.row) keysBody.insertBefore(r.row, keysBody.children[i] || null);
    const st = String(k.state || 'unknown');
    if (st === 'active') active++;
    r.row.dataset.state = st;
    setClass(r.row, 'ks-', st);
    setText(r.mask, safeMask(k.key));
    setText(r.prio, k.priority != null ? 'p' + k.priority : '');
    r.prio.title = 'priority';
    r.state = st;
    r.cooldownUntil = toMs(k.cooldown_until);
    setClass(r.badge, 'ks-', st);
    renderKeyState(r, serverNow());
    setText(r.reason, st === 'active' ? '' : (k.reason || ''));
    r.reason.title = k.reason || '';
    setText(r.inflight, num(k.in_flight) != null ? k.in_flight : '–');
    const qps = num(k.effective_qps);
    setText(r.qps, qps == null ? '–' : qps.toFixed(qps >= 100 ? 0 : 1));
    r.qps.title = 'effective request limit per second (adapts to the provider)';
    const sr = num(k.success_rate);
    setText(r.srText, sr == null ? '–' : Math.round(sr * 100) + '%');
    r.srBar.style.width = sr == null ? '0%' : Math.max(0, Math.min(100, sr * 100)) + '%';
    setClass(r.srBar, 'sr-', successClass(sr));
  });
  for (const [id, r] of state.keys) {
    if (!seen.has(id)) { r.row.remove(); state.keys.delete(id); }
  }
  state.poolQueue = num(pool.queue_depth);
  $('keys-empty').hidden = state.keys.size > 0;
  if (state.keys.size === 0) setText($('keys-empty'), 'No LLM keys configured: every frame is judged by the rules.');
  setText($('pool-summary'), poolSummary(active, state.keys.size, pool.in_flight, state.poolQueue));
}

function newKeyRow(id) {
  const row = keysBody.insertRow();
  row.dataset.keyId = id;
  const c0 = row.insertCell(); const c1 = row.insertCell(); const c2 = row.insertCell();
  const c3 = row.insertCell(); const c4 = row.insertCell();
  c2.className = 'num'; c3.className = 'num';
  const idLine = el('div', 'key-id', id);
  const maskLine = el('div', 'key-mask mono');
  const mask = el('span');
  const prio = el('span', 'key-prio');
  maskLine.append(mask, prio);
  c0.append(idLine, maskLine);
  const badge = el('span', 'badge kstate');
  const reason = el('div', 'key-reason');
  c1.append(badge, reason);
  const bar = el('div', 'sr');
  const srBar = el('i');
  bar.append(srBar);
  const srText = el('span', 'sr-text');
  c4.append(srText, bar);
  const r = { id, row, mask, prio, badge, reason, inflight: c2, qps: c3, srText, srBar };
  state.keys.set(id, r);
  return r;
}

function renderKeyState(r, now) {
  setText(r.badge, keyBadge(r.state, r.cooldownUntil, now));
}

/** Cooldown countdowns, run more often than the once-a-second tick so they read smoothly. */
export function startCountdowns(everyMs = 250) {
  setInterval(() => {
    const now = serverNow();
    for (const r of state.keys.values()) if (Number.isFinite(r.cooldownUntil)) renderKeyState(r, now);
  }, everyMs);
}
