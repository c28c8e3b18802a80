// Risk levels and what they look like: ordering, the worst of several, the risk sort, box colours.
// Pure: no DOM.
import { RISK_LEVELS } from './contract.js';
import { num, naturalCompare } from './format.js';

const RANK = Object.freeze(Object.fromEntries(RISK_LEVELS.map((l, i) => [l, i + 1])));

// Labels a detector may give; drawn (and labelled on the wall) as hazards, people or vehicles.
const HAZARDS = new Set(['fire', 'smoke', 'knife', 'gun', 'weapon', 'explosion', 'flame']);
const VEHICLES = new Set(['car', 'truck', 'bus', 'bicycle', 'motorcycle', 'motorbike', 'van', 'train']);

/** The level when it is one of the contract's, else null. */
export function level(v) {
  return RISK_LEVELS.includes(v) ? v : null;
}

/** 1 (low) .. 4 (critical); 0 for anything else. */
export function rank(v) {
  return RANK[level(v)] || 0;
}

/** The most severe of the levels given; null when none is a level. */
export function worstLevel(levels) {
  let worst = null;
  for (const l of levels) if (rank(l) > rank(worst)) worst = l;
  return worst;
}

/**
 * Orders cameras ({id, a: latest assessment}) most at risk first: by level, then score, then name.
 */
export function compareByRisk(x, y) {
  const ax = x.a || {};
  const ay = y.a || {};
  return rank(ay.risk_level) - rank(ax.risk_level)
    || (num(ay.risk_score) || 0) - (num(ax.risk_score) || 0)
    || naturalCompare(x.id, y.id);
}

export function isHazard(label) {
  return HAZARDS.has(String(label || '').toLowerCase());
}

/** A detection box's colour: hazards red, people blue, vehicles violet, anything else amber. */
export function labelColour(label) {
  const l = String(label || '').toLowerCase();
  if (HAZARDS.has(l)) return '#ff5a52';
  if (l === 'person') return '#4fa8ff';
  if (VEHICLES.has(l)) return '#b083f0';
  return '#e5b53a';
}
