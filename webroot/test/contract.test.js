// The page's contract lists against the Java side's, so they cannot drift apart unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADDRESSES, RISK_LEVELS, ALERT_LEVELS, ALERT_STATUSES, ACTIVE_ALERT_STATUSES } from '../js/contract.js';

const java = (name) => readFileSync(new URL('../../src/main/java/dev/argus/model/' + name, import.meta.url), 'utf8');

test('the page listens on exactly the addresses the bridge lets a browser receive from', () => {
  const src = java('BusAddresses.java');
  const outbound = src.match(/BROWSER_OUTBOUND\s*=\s*\{([^}]*)\}/)[1].split(',').map((n) => n.trim());
  const value = (name) => src.match(new RegExp('String ' + name + '\\s*=\\s*"([^"]+)"'))[1];
  assert.deepEqual(outbound.map(value).sort(), Object.values(ADDRESSES).sort());
});

test('alert levels are the Java enum, in its order; risk levels are those before predicted', () => {
  const constants = java('RiskLevel.java').match(/enum RiskLevel \{\s*([A-Z_,\s]+);/)[1];
  assert.deepEqual(constants.split(',').map((c) => c.trim().toLowerCase()), [...ALERT_LEVELS]);
  assert.deepEqual([...RISK_LEVELS], ALERT_LEVELS.filter((l) => l !== 'predicted'));
});

test('every active alert status is an alert status', () => {
  for (const s of ACTIVE_ALERT_STATUSES) assert.ok(ALERT_STATUSES.includes(s), s);
  assert.ok(!ACTIVE_ALERT_STATUSES.includes('resolved'));
});
