import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rememberNodeStats, mergeNodeStats, ranges, memberRows } from '../js/cluster.js';

const snap = (node, frames, rate, lag, p95) => ({
  node, at: 1000, backbone: { mode: 'external', durable: true },
  totals: { frames }, rates: { frames_per_s: rate }, consumer_lag: { bridge: lag },
  llm_in_flight: 2, llm_queue_depth: 1, pipeline_latency_ms_p95: p95, pipeline_latency_ms_mean: p95 / 2,
});

test('the cluster figures add up the newest snapshot of every node', () => {
  const byNode = new Map();
  rememberNodeStats(byNode, snap('a', 100, 10, 5, 800), 0);
  rememberNodeStats(byNode, snap('b', 50, 4, 1, 1200), 100);
  rememberNodeStats(byNode, snap('a', 110, 12, 0, 900), 1000); // a's newer snapshot replaces its older one
  const m = mergeNodeStats(byNode);
  assert.equal(m.nodes, 2);
  assert.equal(m.totals.frames, 160);
  assert.equal(m.rates.frames_per_s, 16);
  assert.equal(m.consumer_lag.bridge, 1);
  assert.equal(m.llm_in_flight, 4);
  assert.equal(m.pipeline_latency_ms_p95, 1200, 'latency is the worst node\'s');
  assert.equal(m.pipeline_latency_ms_mean, 525);
});

test('a node that fell silent stops counting', () => {
  const byNode = new Map();
  rememberNodeStats(byNode, snap('a', 100, 10, 0, 1), 0);
  rememberNodeStats(byNode, snap('b', 50, 4, 0, 1), 6000);
  assert.deepEqual([...byNode.keys()], ['b']);
  assert.equal(mergeNodeStats(byNode).totals.frames, 50);
});

test('a standalone node\'s snapshot passes through unchanged', () => {
  const byNode = rememberNodeStats(new Map(), { at: 5, totals: { frames: 3 } }, 0);
  assert.deepEqual(mergeNodeStats(byNode), { at: 5, totals: { frames: 3 }, nodes: 1 });
});

test('partitions read as ranges', () => {
  assert.equal(ranges([0, 1, 2, 3, 7, 9, 10]), '0–3, 7, 9–10');
  assert.equal(ranges([]), '');
});

test('members: this node first, partitions per topic, a member not yet published says so', () => {
  const rows = memberRows({ self: 'bbbbbbbb-2', members: [
    { id: 'aaaaaaaa-1', host: '127.0.0.1', http_port: 8081, partitions: { 'detection-results': [0, 1, 2] } },
    { id: 'bbbbbbbb-2', host: '127.0.0.1', http_port: 8082, partitions: { 'detection-results': [3, 4], 'model-metrics': [] } },
    { id: 'cccccccc-3', host: '127.0.0.1', http_port: null, partitions: {} },
  ] });
  assert.deepEqual(rows.map((r) => r.short), ['bbbbbbbb', 'aaaaaaaa', 'cccccccc']);
  assert.equal(rows[0].self, true);
  assert.equal(rows[0].partitions, 'detection-results 3–4');
  assert.equal(rows[2].address, '127.0.0.1:…');
  assert.equal(rows[2].partitions, 'no partitions yet');
});
