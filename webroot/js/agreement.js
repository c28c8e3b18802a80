// "Agreement by model": operators' verdicts against each model's assessments, from the feedback
// meters' summary (argus.model.metrics, GET /api/v1/feedback/models). No DOM.
import { num } from './format.js';

/**
 * The table's rows from a summary `{"models": {model: {verdicts, agreement: {agree, too_high, too_low,
 * false_alarm}, agreement_rate, mean_absolute_error}}}`: most verdicts first, then by name. A model
 * without a usable verdict count is left out.
 */
export function agreementRows(summary) {
  const models = summary && typeof summary.models === 'object' && summary.models ? summary.models : {};
  const rows = [];
  for (const [model, m] of Object.entries(models)) {
    const verdicts = m ? num(m.verdicts) : null;
    if (verdicts == null || verdicts <= 0) continue;
    const counts = m.agreement && typeof m.agreement === 'object' ? m.agreement : {};
    const count = (k) => num(counts[k]) || 0;
    const rate = num(m.agreement_rate);
    rows.push({
      model,
      verdicts,
      agree: rate != null ? rate : count('agree') / verdicts,
      mae: num(m.mean_absolute_error),
      tooHigh: count('too_high'),
      tooLow: count('too_low'),
      falseAlarm: count('false_alarm'),
    });
  }
  return rows.sort((a, b) => b.verdicts - a.verdicts || a.model.localeCompare(b.model));
}

/** A share as a whole percentage: 0.834 → "83%". */
export function fmtShare(v) {
  const x = num(v);
  return x == null ? '–' : Math.round(x * 100) + '%';
}

/** A mean absolute error of scores (0..1) to two decimals. */
export function fmtMae(v) {
  const x = num(v);
  return x == null ? '–' : x.toFixed(2);
}

/** How the rest of the verdicts went, for a row's tooltip. */
export function disagreementTitle(row) {
  return row.tooHigh + ' too high · ' + row.tooLow + ' too low · ' + row.falseAlarm + ' false alarm';
}
