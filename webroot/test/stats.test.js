import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeStats, alertSummary, poolSummary, keyBadge, successClass } from '../js/stats.js';

test('consumer lag is summed over the consumers that report one', () => {
  const m = summarizeStats({ consumer_lag: { bridge: 12_000, aggregator: 5, llm: -1, other: 'x' } }, null);
  assert.equal(m.lag, 12_005);
  assert.deepEqual(m.lagParts, ['br 12.0k', 'agg 5']);
});

test('no lag reported is no lag figure, not zero', () => {
  assert.equal(summarizeStats({}, null).lag, null);
});

test('the LLM queue comes from the key pool when the snapshot has none', () => {
  assert.equal(summarizeStats({}, 7).queue, 7);
  assert.equal(summarizeStats({ llm_queue_depth: 3 }, 7).queue, 3);
});

test('latency is the p95, else the mean', () => {
  assert.equal(summarizeStats({ pipeline_latency_ms_p95: 900, pipeline_latency_ms_mean: 400 }, null).latency, 900);
  assert.equal(summarizeStats({ pipeline_latency_ms_mean: 400 }, null).latency, 400);
});

test('dead letters default to zero', () => {
  assert.equal(summarizeStats({ totals: { dead_letters: '4' } }, null).deadLetters, 4);
  assert.equal(summarizeStats({}, null).deadLetters, 0);
});

test('the alert summary counts active and escalated alerts among those shown', () => {
  assert.equal(alertSummary(['open', 'escalated', 'resolved', 'updated']), '3 active · 1 escalated · 4 shown');
  assert.equal(alertSummary(['resolved']), '0 active · 1 shown');
  assert.equal(alertSummary([]), '');
});

test('the pool summary shows the queue only when known', () => {
  assert.equal(poolSummary(4, 6, 2, 12_000), '4/6 active · 2 in flight · queue 12.0k');
  assert.equal(poolSummary(0, 0, undefined, null), '0/0 active · – in flight');
});

test('a cooling key shows its cooldown left', () => {
  assert.equal(keyBadge('cooling', 12_500, 10_000), 'cooling 2.5 s');
});

test('a key past its cooldown, or active, shows only its state', () => {
  assert.equal(keyBadge('cooling', 9_000, 10_000), 'cooling');
  assert.equal(keyBadge('active', 12_500, 10_000), 'active');
  assert.equal(keyBadge('circuit_open', NaN, 0), 'circuit open');
});

test('success rates are good from 95 %, ok from 80 %', () => {
  assert.deepEqual([0.99, 0.95, 0.9, 0.5, null].map(successClass), ['good', 'good', 'ok', 'bad', null]);
});
