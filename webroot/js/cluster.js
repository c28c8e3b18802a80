// Cluster mode on the page: every node publishes its own argus.stats snapshot (tagged "node") to every
// browser, so the page adds up the newest snapshot of each live node into the cluster's figures; and the
// members panel's rows from GET /api/v1/cluster. Pure: no DOM.
import { num } from './format.js';

/** A node whose snapshot is older than this has left (or died): its figures stop counting. */
export const NODE_STATS_MAX_AGE_MS = 5000;

const SUMMED = ['llm_in_flight', 'llm_queue_depth'];
const WORST = ['pipeline_latency_ms_p95', 'pipeline_latency_ms_max'];

/** Keeps each node's newest snapshot in {@code byNode} (received at {@code now}) and forgets silent nodes. */
export function rememberNodeStats(byNode, s, now, maxAgeMs = NODE_STATS_MAX_AGE_MS) {
  byNode.set(s.node || '', { s, at: now });
  for (const [id, v] of byNode) if (now - v.at > maxAgeMs) byNode.delete(id);
  return byNode;
}

function sumObjects(list) {
  const out = {};
  for (const o of list) {
    for (const [k, v] of Object.entries(o || {})) {
      const n = num(v);
      if (n != null) out[k] = (out[k] || 0) + n;
    }
  }
  return out;
}

/**
 * The cluster's snapshot in argus.stats' shape: totals, rates, lag, in-flight and queue summed over the
 * nodes; latency p95 and max the worst node's (a bound, not a merged percentile); the mean averaged.
 * {@code nodes} says how many nodes it covers.
 */
export function mergeNodeStats(byNode) {
  const snaps = [...byNode.values()].map((v) => v.s);
  if (snaps.length === 1) return { ...snaps[0], nodes: 1 };
  const merged = {
    at: Math.max(...snaps.map((s) => num(s.at) || 0)),
    backbone: (snaps[0] || {}).backbone,
    totals: sumObjects(snaps.map((s) => s.totals)),
    rates: sumObjects(snaps.map((s) => s.rates)),
    consumer_lag: sumObjects(snaps.map((s) => s.consumer_lag)),
    nodes: snaps.length,
  };
  for (const k of SUMMED) merged[k] = snaps.reduce((a, s) => a + (num(s[k]) || 0), 0);
  for (const k of WORST) {
    const vals = snaps.map((s) => num(s[k])).filter((v) => v != null);
    if (vals.length) merged[k] = Math.max(...vals);
  }
  const means = snaps.map((s) => num(s.pipeline_latency_ms_mean)).filter((v) => v != null);
  if (means.length) merged.pipeline_latency_ms_mean = means.reduce((a, b) => a + b, 0) / means.length;
  return merged;
}

/** "0–3, 7, 9–10" from sorted partition numbers. */
export function ranges(parts) {
  const out = [];
  let start = null;
  let prev = null;
  for (const p of parts || []) {
    if (start != null && p === prev + 1) { prev = p; continue; }
    if (start != null) out.push(start === prev ? String(start) : start + '–' + prev);
    start = p;
    prev = p;
  }
  if (start != null) out.push(start === prev ? String(start) : start + '–' + prev);
  return out.join(', ');
}

/** The members panel's rows: this node first, then by host and port (one not yet published last). */
export function memberRows(view) {
  const self = (view || {}).self;
  const rows = ((view || {}).members || []).map((m) => ({
    id: m.id,
    host: m.host || '',
    port: m.http_port == null ? Infinity : m.http_port,
    short: String(m.id || '?').slice(0, 8),
    self: m.id === self,
    address: (m.host || '?') + ':' + (m.http_port == null ? '…' : m.http_port),
    partitions: Object.entries(m.partitions || {}).filter(([, p]) => p && p.length)
      .map(([t, p]) => t + ' ' + ranges(p)).join(' · ') || 'no partitions yet',
  }));
  return rows.sort((a, b) => (b.self - a.self) || a.host.localeCompare(b.host) || a.port - b.port);
}
