// The pipeline panel's numbers from an argus.stats snapshot, and the one-line summaries of the alert
// feed and the key pool. Pure: no DOM.
import { ACTIVE_ALERT_STATUSES } from './contract.js';
import { num, fmtInt } from './format.js';

const LAG_SHORT = { bridge: 'br', aggregator: 'agg' };

/**
 * The figures the panel shows: total consumer lag and its parts, the LLM queue (from the key pool's
 * message when the snapshot has none), and the pipeline latency (p95, else the mean).
 */
export function summarizeStats(s, poolQueue) {
  const lagObj = s.consumer_lag || {};
  let lag = null;
  const lagParts = [];
  for (const [k, v] of Object.entries(lagObj)) {
    const n = num(v);
    if (n == null || n < 0) continue;
    lag = (lag || 0) + n;
    lagParts.push((LAG_SHORT[k] || k) + ' ' + fmtInt(n));
  }
  const p95 = num(s.pipeline_latency_ms_p95);
  const mean = num(s.pipeline_latency_ms_mean);
  return {
    lag,
    lagParts,
    lagTitle: Object.entries(lagObj).map(([k, v]) => k + ': ' + v).join('\n'),
    queue: num(s.llm_queue_depth) != null ? num(s.llm_queue_depth) : poolQueue,
    p95,
    mean,
    max: num(s.pipeline_latency_ms_max),
    latency: p95 != null ? p95 : mean,
    deadLetters: num((s.totals || {}).dead_letters) || 0,
  };
}

/** "3 active · 1 escalated · 12 shown" from the statuses of the alerts shown; '' when none. */
export function alertSummary(statuses) {
  let active = 0;
  let escalated = 0;
  let shown = 0;
  for (const s of statuses) {
    shown++;
    if (ACTIVE_ALERT_STATUSES.includes(s)) active++;
    if (s === 'escalated') escalated++;
  }
  if (shown === 0) return '';
  return active + ' active' + (escalated ? ' · ' + escalated + ' escalated' : '') + ' · ' + shown + ' shown';
}

/** "4/6 active · 2 in flight · queue 10". */
export function poolSummary(active, keys, inFlight, queue) {
  return active + '/' + keys + ' active · ' + fmtInt(inFlight) + ' in flight' + (queue != null ? ' · queue ' + fmtInt(queue) : '');
}

/** The key's state badge, with the cooldown left while it is not active: "cooling 2.5 s". */
export function keyBadge(state, cooldownUntil, now) {
  let text = String(state).replace('_', ' ');
  if (Number.isFinite(cooldownUntil) && cooldownUntil > now && state !== 'active') {
    text += ' ' + ((cooldownUntil - now) / 1000).toFixed(1) + ' s';
  }
  return text;
}

/** The success-rate bar's class: good from 95 %, ok from 80 %, else bad; null without a rate. */
export function successClass(rate) {
  return rate == null ? null : rate >= 0.95 ? 'good' : rate >= 0.8 ? 'ok' : 'bad';
}
