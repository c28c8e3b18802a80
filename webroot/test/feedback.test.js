import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operatorLevel } from '../js/feedback.js';

test('agree keeps the assessed level', () => {
  assert.equal(operatorLevel('agree', 'high'), 'high');
});

test('too high and too low move one level, and not past the ends', () => {
  assert.equal(operatorLevel('too_high', 'high'), 'medium');
  assert.equal(operatorLevel('too_low', 'high'), 'critical');
  assert.equal(operatorLevel('too_high', 'low'), null);
  assert.equal(operatorLevel('too_low', 'critical'), null);
});

test('a false alarm is the level none', () => {
  assert.equal(operatorLevel('false_alarm', 'medium'), 'none');
});

test('an assessment without a known level gets no choice', () => {
  assert.equal(operatorLevel('agree', 'severe'), null);
});
