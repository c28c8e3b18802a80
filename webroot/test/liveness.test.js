import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleFps, staleness, signalLine } from '../js/liveness.js';

test('no rate from a single frame', () => {
  assert.equal(sampleFps([], { frame_id: 1, timestamp: 1_700_000_000_000 }, 1000), null);
});

test('the rate comes from frame ids and timestamps, not from when the (throttled) frames arrived', () => {
  const s = [];
  const t0 = 1_700_000_000_000;
  sampleFps(s, { frame_id: 10, timestamp: t0 }, 0);
  // 20 frames in 2 s of camera time, seen by the page 5 s apart
  assert.equal(sampleFps(s, { frame_id: 30, timestamp: t0 + 2000 }, 5000), 10);
});

test('without frame ids the rate comes from arrival times', () => {
  const s = [];
  sampleFps(s, {}, 0);
  sampleFps(s, {}, 500);
  assert.equal(sampleFps(s, {}, 1000), 2);
});

test('a camera that restarted its frame ids starts a fresh sample', () => {
  const s = [];
  const t0 = 1_700_000_000_000;
  sampleFps(s, { frame_id: 1000, timestamp: t0 }, 0);
  sampleFps(s, { frame_id: 1010, timestamp: t0 + 1000 }, 1000);
  assert.equal(sampleFps(s, { frame_id: 1, timestamp: t0 + 2000 }, 2000), null);
  assert.equal(s.length, 1);
});

test('samples are capped at 12', () => {
  const s = [];
  for (let i = 0; i < 50; i++) sampleFps(s, { frame_id: i, timestamp: 1_700_000_000_000 + i * 100 }, i * 100);
  assert.equal(s.length, 12);
});

test('a tile is fresh while frames and assessments keep coming', () => {
  assert.deepEqual(staleness(1000, 29_000, 30_000), { stale: false, why: '' });
});

test('a tile without frames is stale, and says so first', () => {
  assert.deepEqual(staleness(45_000, 90_000, 30_000), { stale: true, why: 'no frames 45 s' });
});

test('a tile without a recent assessment is stale', () => {
  assert.deepEqual(staleness(100, 120_000, 30_000), { stale: true, why: 'no assessment 2 min' });
});

test('the signal line shows the rate and objects while frames arrive', () => {
  assert.equal(signalLine(200, true, 12.345, 3), '12.3 fps · 3 obj');
  assert.equal(signalLine(200, true, null, 0), '… fps · 0 obj');
});

test('the signal line tells a lost camera from one never heard', () => {
  assert.equal(signalLine(6000, true, 10, 1), 'no signal');
  assert.equal(signalLine(6000, false, null, 0), 'waiting');
});
