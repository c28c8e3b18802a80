import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rememberAssessment, pushWindow, leastRecentlyActive, alertToDrop, oldestSeenFirst } from '../js/lists.js';

const at = (s) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();

test('history keeps the newest assessments first, by assessed_at', () => {
  const h = [];
  rememberAssessment(h, { task_id: 'b', assessed_at: at(2) }, 5);
  rememberAssessment(h, { task_id: 'a', assessed_at: at(1) }, 5);
  rememberAssessment(h, { task_id: 'c', assessed_at: at(3) }, 5);
  assert.deepEqual(h.map((x) => x.task_id), ['c', 'b', 'a']);
});

test('history ignores a task it already has', () => {
  const h = [];
  assert.equal(rememberAssessment(h, { task_id: 'a', assessed_at: at(1) }, 5), true);
  assert.equal(rememberAssessment(h, { task_id: 'a', assessed_at: at(1) }, 5), false);
  assert.equal(h.length, 1);
});

test('history is capped, the oldest dropped', () => {
  const h = [];
  for (let i = 0; i < 10; i++) rememberAssessment(h, { task_id: 't' + i, assessed_at: at(i) }, 3);
  assert.deepEqual(h.map((x) => x.task_id), ['t9', 't8', 't7']);
});

test('a chart window keeps the last points of every column, gaps as null', () => {
  const cols = [[], [], []];
  for (let t = 1; t <= 5; t++) pushWindow(cols, t, [t * 10, t === 4 ? 'x' : t], 3);
  assert.deepEqual(cols, [[3, 4, 5], [30, 40, 50], [3, null, 5]]);
});

test('the camera dropped from a full wall is the one seen least recently', () => {
  const cams = [
    { id: 'a', lastFrameAt: 500, assessedLocal: 0, createdAt: 10 },
    { id: 'b', lastFrameAt: 0, assessedLocal: 300, createdAt: 20 },
    { id: 'c', lastFrameAt: 0, assessedLocal: 0, createdAt: 900 },
  ];
  assert.equal(leastRecentlyActive(cams).id, 'b');
  assert.equal(leastRecentlyActive([]), null);
});

test('a full feed drops its oldest resolved alert before any active one', () => {
  const rows = [{ id: 'n', status: 'open' }, { id: 'r1', status: 'resolved' }, { id: 'r2', status: 'resolved' }, { id: 'o', status: 'escalated' }];
  assert.equal(alertToDrop(rows), 'r2');
});

test('a full feed without resolved alerts drops its oldest', () => {
  assert.equal(alertToDrop([{ id: 'n', status: 'open' }, { id: 'o', status: 'updated' }]), 'o');
  assert.equal(alertToDrop([]), null);
});

test('alerts replay oldest first so the newest ends on top, without touching the input', () => {
  const items = [{ alert_id: 2, last_seen: at(5) }, { alert_id: 1, last_seen: at(1) }];
  assert.deepEqual(oldestSeenFirst(items).map((a) => a.alert_id), [1, 2]);
  assert.equal(items[0].alert_id, 2);
  assert.deepEqual(oldestSeenFirst(undefined), []);
});
