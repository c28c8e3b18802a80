// A camera's feed health, from its active data-quality alerts (kind "data_quality", see the README's
// "Camera health"): which checks fail, the worst first, as the short label a tile shows. No DOM.

/** Each check's rule and its label, the most serious first (silence hides every other check). */
export const HEALTH_RULES = Object.freeze({
  silent: 'silent',
  rejected_burst: 'rejected burst',
  frame_rate_drop: 'frame-rate drop',
  confidence_collapse: 'confidence collapse',
  clock_skew: 'clock skew',
});

const ORDER = Object.keys(HEALTH_RULES);
const rankOf = (rule) => (ORDER.includes(rule) ? ORDER.indexOf(rule) : ORDER.length);
const labelOf = (rule) => HEALTH_RULES[rule] || String(rule).replace(/_/g, ' ');

/** The data-quality rule an alert is about, or null (a risk alert, or no rule). */
export function healthRule(alert) {
  return alert && alert.kind === 'data_quality' && typeof alert.rule === 'string' && alert.rule !== '' ? alert.rule : null;
}

/**
 * The tile's health from the rules of the camera's active data-quality alerts: `state` is `ok`,
 * `silent` or `degraded`; `label` names the worst check (and how many more); `title` names them all.
 */
export function healthState(rules) {
  const active = [...new Set(rules)].sort((a, b) => rankOf(a) - rankOf(b) || String(a).localeCompare(String(b)));
  if (active.length === 0) return { state: 'ok', label: '', title: '' };
  const names = active.map(labelOf);
  return {
    state: active[0] === 'silent' ? 'silent' : 'degraded',
    label: names[0] + (active.length > 1 ? ' +' + (active.length - 1) : ''),
    title: 'feed health: ' + names.join(', '),
  };
}
