import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countLabels, describeContext, sourceLabel, assessmentFacts } from '../js/describe.js';

test('detections are counted by label, most frequent first', () => {
  assert.equal(countLabels([{ label: 'car' }, { label: 'person' }, { class: 'person' }, {}]), '2 person, 1 car, 1 ?');
  assert.equal(countLabels(undefined), '');
});

test('the scene context reads as one line', () => {
  const ctx = { counts: { person: 3, car: 1 }, clusters: [{}, {}], zone_hits: [{ zone: 'gate' }, 'dock'], change: 'crowd growing' };
  assert.equal(describeContext(ctx), '3 person, 1 car · 2 groups · zone: gate, dock · crowd growing');
});

test('an empty or absent scene context is null', () => {
  assert.equal(describeContext({ counts: {}, clusters: [] }), null);
  assert.equal(describeContext(undefined), null);
});

test('the source reads LLM or rules', () => {
  assert.equal(sourceLabel('llm'), 'LLM');
  assert.equal(sourceLabel('rules'), 'rules');
  assert.equal(sourceLabel(undefined), '');
});

test('facts leave out what the assessment does not have', () => {
  const facts = assessmentFacts({ source: 'rules', fallback_reason: 'no_keys', task_id: 't1' }, null, Date.now());
  assert.deepEqual(facts, [['source', 'rules fallback'], ['fallback', 'no_keys'], ['task', 't1']]);
});

test('facts give the end-to-end time from detection to assessment', () => {
  const a = { source: 'llm', detected_at: '2024-01-01T00:00:00Z', assessed_at: '2024-01-01T00:00:02.500Z', latency_ms: 800 };
  const facts = Object.fromEntries(assessmentFacts(a, 7, Date.parse('2024-01-01T00:01:00Z')));
  assert.equal(facts['end to end'], '2.5 s');
  assert.equal(facts['LLM latency'], '800 ms');
  assert.ok(facts.assessed.endsWith('(58 s ago)'), facts.assessed);
  assert.equal(facts.assessments, '7');
});
