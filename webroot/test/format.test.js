import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num, toMs, ago, fmtMs, fmtRate, fmtInt, axisTime, fmtDateTime, fmtScore, safeMask, plural, naturalCompare } from '../js/format.js';

test('num takes numbers and numeric strings, and nothing else', () => {
  assert.equal(num(3.5), 3.5);
  assert.equal(num(' 42 '), 42);
  assert.equal(num(''), null);
  assert.equal(num('abc'), null);
  assert.equal(num(NaN), null);
  assert.equal(num(Infinity), null);
  assert.equal(num(null), null);
});

test('toMs reads epoch seconds as seconds and epoch ms as ms', () => {
  assert.equal(toMs(1700000000), 1700000000000);
  assert.equal(toMs(1700000000123), 1700000000123);
  assert.equal(toMs('1700000000'), 1700000000000);
});

test('toMs reads ISO-8601 and gives NaN for anything else', () => {
  assert.equal(toMs('2024-01-02T03:04:05.678Z'), Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  assert.ok(Number.isNaN(toMs('yesterday')));
  assert.ok(Number.isNaN(toMs(null)));
  assert.ok(Number.isNaN(toMs('')));
});

test('ago picks the largest whole unit', () => {
  assert.equal(ago(400), 'now');
  assert.equal(ago(59_000), '59 s ago');
  assert.equal(ago(61_000), '1 min ago');
  assert.equal(ago(2 * 3600_000 + 5), '2 h ago');
  assert.equal(ago(3 * 86400_000), '3 d ago');
  assert.equal(ago(NaN), '–');
});

test('ago treats a time in the future (a skewed clock) as now', () => {
  assert.equal(ago(-5000), 'now');
});

test('fmtMs switches from ms to s to min', () => {
  assert.equal(fmtMs(250.4), '250 ms');
  assert.equal(fmtMs(2500), '2.5 s');
  assert.equal(fmtMs(25_000), '25 s');
  assert.equal(fmtMs(90_000), '1.5 min');
  assert.equal(fmtMs(undefined), '–');
});

test('fmtRate keeps one decimal below 100', () => {
  assert.equal(fmtRate(12.34), '12.3');
  assert.equal(fmtRate(123.4), '123');
  assert.equal(fmtRate(null), '–');
});

test('fmtInt shortens from ten thousand on', () => {
  assert.equal(fmtInt(9999), '9999');
  assert.equal(fmtInt(12_345), '12.3k');
  assert.equal(fmtInt(4_500_000), '4.5M');
  assert.equal(fmtInt('x'), '–');
});

test('axisTime is HH:MM:SS in local time, zero-padded', () => {
  assert.equal(axisTime(new Date(2024, 0, 1, 9, 5, 7).getTime()), '09:05:07');
});

test('fmtDateTime leaves the date out for today only', () => {
  const now = new Date(2024, 5, 10, 12, 0, 0).getTime();
  const earlierToday = new Date(2024, 5, 10, 8, 0, 0).getTime();
  const lastWeek = new Date(2024, 5, 3, 8, 0, 0).getTime();
  assert.ok(!fmtDateTime(earlierToday, now).includes(new Date(earlierToday).toLocaleDateString()));
  assert.ok(fmtDateTime(lastWeek, now).startsWith(new Date(lastWeek).toLocaleDateString() + ' '));
  assert.equal(fmtDateTime(NaN, now), '–');
});

test('fmtScore has two decimals, null without a score', () => {
  assert.equal(fmtScore(0.5), '0.50');
  assert.equal(fmtScore('0.876'), '0.88');
  assert.equal(fmtScore(undefined), null);
});

test('safeMask keeps only the last four characters of a key that arrives unmasked', () => {
  assert.equal(safeMask('sk-very-secret-1234'), '…1234');
});

test('safeMask leaves an already masked key alone', () => {
  assert.equal(safeMask('sk-…abcd'), 'sk-…abcd');
  assert.equal(safeMask('****abcd'), '****abcd');
  assert.equal(safeMask(null), '');
});

test('plural adds an s except for one', () => {
  assert.equal(plural(1, 'alert'), '1 alert');
  assert.equal(plural(0, 'alert'), '0 alerts');
  assert.equal(plural(2, 'alert'), '2 alerts');
});

test('naturalCompare puts cam-2 before cam-10', () => {
  assert.deepEqual(['cam-10', 'cam-2', 'cam-1'].sort(naturalCompare), ['cam-1', 'cam-2', 'cam-10']);
});
