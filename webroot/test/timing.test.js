import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECONNECT, reconnectDelay, coalesce } from '../js/timing.js';

test('the first reconnect waits about the minimum delay', () => {
  assert.deepEqual(reconnectDelay(0), { min: 500, max: 1500 });
});

test('each failed attempt doubles the delay', () => {
  assert.deepEqual(reconnectDelay(2), { min: 2000, max: 6000 });
});

test('the delay never exceeds the maximum', () => {
  assert.deepEqual(reconnectDelay(10), { min: RECONNECT.vertxbus_reconnect_delay_max, max: RECONNECT.vertxbus_reconnect_delay_max });
});

test('the backoff follows the options it is given', () => {
  const opts = { vertxbus_reconnect_delay_min: 100, vertxbus_reconnect_delay_max: 1000, vertxbus_reconnect_exponent: 3 };
  assert.deepEqual(reconnectDelay(1, opts), { min: 150, max: 450 });
});

function fakeTimers() {
  const pending = [];
  return { pending, setTimeout: (fn, ms) => pending.push({ fn, ms }), runAll: () => pending.splice(0).forEach((t) => t.fn()) };
}

test('a burst of calls runs the function once, after the delay', () => {
  const timers = fakeTimers();
  let runs = 0;
  const soon = coalesce(() => runs++, 1500, timers);
  soon(); soon(); soon();
  assert.equal(runs, 0);
  assert.deepEqual(timers.pending.map((t) => t.ms), [1500]);
  timers.runAll();
  assert.equal(runs, 1);
});

test('a call after the run schedules another', () => {
  const timers = fakeTimers();
  let runs = 0;
  const soon = coalesce(() => runs++, 10, timers);
  soon();
  timers.runAll();
  soon();
  timers.runAll();
  assert.equal(runs, 2);
});
