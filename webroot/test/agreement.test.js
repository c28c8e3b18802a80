import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementRows, fmtShare, fmtMae, disagreementTitle } from '../js/agreement.js';

const summary = {
  at: '2026-11-30T15:00:00Z',
  models: {
    'qwen-vl-max': { verdicts: 4, agreement: { agree: 3, too_high: 1 }, agreement_rate: 0.75, mean_absolute_error: 0.1 },
    rules: { verdicts: 10, agreement: { agree: 2, too_low: 3, false_alarm: 5 }, agreement_rate: 0.2, mean_absolute_error: 0.41 },
    idle: { verdicts: 0, agreement: {}, agreement_rate: 0, mean_absolute_error: 0 },
  },
};

test('one row per model with verdicts, most verdicts first', () => {
  const rows = agreementRows(summary);
  assert.deepEqual(rows.map((r) => r.model), ['rules', 'qwen-vl-max']);
  assert.deepEqual(rows[0], { model: 'rules', verdicts: 10, agree: 0.2, mae: 0.41, tooHigh: 0, tooLow: 3, falseAlarm: 5 });
});

test('the share of agree is computed when the summary has no rate', () => {
  const rows = agreementRows({ models: { m: { verdicts: 4, agreement: { agree: 1 } } } });
  assert.equal(rows[0].agree, 0.25);
  assert.equal(rows[0].mae, null);
});

test('a missing or malformed summary makes no rows', () => {
  assert.deepEqual(agreementRows(null), []);
  assert.deepEqual(agreementRows({ models: null }), []);
  assert.deepEqual(agreementRows({ models: { m: null, n: { verdicts: 'x' } } }), []);
});

test('shares and errors are formatted for the table', () => {
  assert.equal(fmtShare(0.834), '83%');
  assert.equal(fmtShare(undefined), '–');
  assert.equal(fmtMae(0.4049), '0.40');
  assert.equal(fmtMae(null), '–');
  assert.equal(disagreementTitle(agreementRows(summary)[0]), '0 too high · 3 too low · 5 false alarm');
});
