import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HEALTH_RULES, healthRule, healthState } from '../js/health.js';

test('a camera without data-quality alerts is ok', () => {
  assert.deepEqual(healthState([]), { state: 'ok', label: '', title: '' });
});

test('silence outranks every other check', () => {
  const h = healthState(['clock_skew', 'silent']);
  assert.equal(h.state, 'silent');
  assert.equal(h.label, 'silent +1');
  assert.equal(h.title, 'feed health: silent, clock skew');
});

test('each check has its label; the worst one names the tile', () => {
  assert.equal(healthState(['frame_rate_drop']).label, 'frame-rate drop');
  assert.equal(healthState(['confidence_collapse']).label, 'confidence collapse');
  assert.equal(healthState(['clock_skew']).label, 'clock skew');
  const burst = healthState(['confidence_collapse', 'rejected_burst', 'rejected_burst']);
  assert.equal(burst.state, 'degraded');
  assert.equal(burst.label, 'rejected burst +1', 'duplicates count once');
});

test('an unknown rule still shows, readably, after the known ones', () => {
  assert.deepEqual(healthState(['lens_fog', 'clock_skew']),
    { state: 'degraded', label: 'clock skew +1', title: 'feed health: clock skew, lens fog' });
});

test('only data-quality alerts with a rule are about health', () => {
  assert.equal(healthRule({ kind: 'data_quality', rule: 'silent' }), 'silent');
  assert.equal(healthRule({ kind: 'risk', rule: 'sustained' }), null);
  assert.equal(healthRule({ kind: 'data_quality' }), null);
  assert.equal(healthRule(null), null);
});

test('the page knows every check the Java side raises', () => {
  const src = readFileSync(new URL('../../src/main/java/dev/argus/quality/CameraHealth.java', import.meta.url), 'utf8');
  const rules = [...src.matchAll(/public static final String [A-Z_]+ = "([a-z_]+)";/g)].map((m) => m[1]);
  assert.ok(rules.length >= 5, 'found ' + rules);
  assert.deepEqual([...rules].sort(), Object.keys(HEALTH_RULES).sort());
});
