import { test } from 'node:test';
import assert from 'node:assert/strict';
import { level, rank, worstLevel, compareByRisk, isHazard, labelColour } from '../js/risk.js';

test('level accepts only the contract levels', () => {
  assert.equal(level('high'), 'high');
  assert.equal(level('HIGH'), null);
  assert.equal(level('severe'), null);
  assert.equal(level(undefined), null);
});

test('rank orders low < medium < high < critical, anything else 0', () => {
  assert.deepEqual(['low', 'medium', 'high', 'critical', 'bogus'].map(rank), [1, 2, 3, 4, 0]);
});

test('worstLevel picks the most severe, whatever the order', () => {
  assert.equal(worstLevel(['medium', 'critical', 'low']), 'critical');
  assert.equal(worstLevel(new Map([['a', 'high'], ['b', 'medium']]).values()), 'high');
});

test('worstLevel of nothing is null', () => {
  assert.equal(worstLevel([]), null);
  assert.equal(worstLevel(['bogus']), null);
});

test('compareByRisk sorts by level, then score, then name', () => {
  const cams = [
    { id: 'cam-10', a: { risk_level: 'high', risk_score: 0.7 } },
    { id: 'cam-2', a: { risk_level: 'high', risk_score: 0.7 } },
    { id: 'cam-3', a: { risk_level: 'high', risk_score: 0.8 } },
    { id: 'cam-4', a: { risk_level: 'critical', risk_score: 0.1 } },
    { id: 'cam-1', a: null },
  ];
  assert.deepEqual(cams.sort(compareByRisk).map((c) => c.id), ['cam-4', 'cam-3', 'cam-2', 'cam-10', 'cam-1']);
});

test('hazard labels are recognised in any case', () => {
  assert.ok(isHazard('Knife'));
  assert.ok(!isHazard('person'));
  assert.ok(!isHazard(undefined));
});

test('boxes are coloured by what they hold', () => {
  assert.equal(labelColour('fire'), '#ff5a52');
  assert.equal(labelColour('person'), '#4fa8ff');
  assert.equal(labelColour('truck'), '#b083f0');
  assert.equal(labelColour('dog'), '#e5b53a');
});
