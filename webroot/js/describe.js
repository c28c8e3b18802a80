// Text for the camera view: what a frame shows, the assessment's scene context, its facts. Pure: no DOM.
import { num, toMs, ago, fmtMs, fmtDateTime } from './format.js';

/** "3 person, 1 car": detections counted by label, most frequent first. */
export function countLabels(detections) {
  const counts = {};
  (Array.isArray(detections) ? detections : []).forEach((d) => {
    const l = String((d && (d.label ?? d.class)) || '?');
    counts[l] = (counts[l] || 0) + 1;
  });
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([l, n]) => n + ' ' + l).join(', ');
}

/** The bridge's task context (counts, trend, clusters, zones, change) in a line; null when empty. */
export function describeContext(ctx) {
  if (!ctx || typeof ctx !== 'object') return null;
  const parts = [];
  if (ctx.counts && typeof ctx.counts === 'object') {
    const counts = Object.entries(ctx.counts).map(([k, v]) => v + ' ' + k);
    if (counts.length) parts.push(counts.join(', '));
  }
  if (Array.isArray(ctx.clusters) && ctx.clusters.length) parts.push(ctx.clusters.length + ' group' + (ctx.clusters.length > 1 ? 's' : ''));
  if (Array.isArray(ctx.zone_hits) && ctx.zone_hits.length) parts.push('zone: ' + ctx.zone_hits.map((z) => (z && (z.zone || z.name)) || z).join(', '));
  if (typeof ctx.change === 'string' && ctx.change) parts.push(ctx.change);
  return parts.length ? parts.join(' · ') : null;
}

/** Who judged, as the page shows it. */
export function sourceLabel(source) {
  return source === 'rules' ? 'rules' : source === 'llm' ? 'LLM' : (source || '');
}

/**
 * The facts of an assessment as [name, text] pairs, those without a value left out. `total` is the
 * camera's stored assessment count (or null); `serverNow` the gateway's clock in epoch ms.
 */
export function assessmentFacts(a, total, serverNow) {
  const detected = toMs(a.detected_at);
  const assessed = toMs(a.assessed_at);
  const rows = [
    ['source', a.source === 'rules' ? 'rules fallback' : a.source],
    ['model', a.model],
    ['API key', a.api_key_id],
    ['LLM latency', num(a.latency_ms) != null ? fmtMs(a.latency_ms) : null],
    ['detected', Number.isFinite(detected) ? fmtDateTime(detected) : null],
    ['assessed', Number.isFinite(assessed) ? fmtDateTime(assessed) + ' (' + ago(serverNow - assessed) + ')' : null],
    ['end to end', Number.isFinite(detected) && Number.isFinite(assessed) ? fmtMs(assessed - detected) : null],
    ['fallback', a.fallback_reason],
    ['scene', describeContext(a.context)],
    ['task', a.task_id],
    ['assessments', num(total) != null ? String(total) : null],
  ];
  return rows.filter(([, v]) => v != null && v !== '').map(([k, v]) => [k, String(v)]);
}
