// Operator feedback on an assessment: "agree / too high / too low / false alarm" as the level the
// operator would have given (none for a false alarm), posted to /api/v1/assessments/{task_id}/feedback.
import { RISK_LEVELS } from './contract.js';
import { el } from './dom.js';
import { level } from './risk.js';

export const CHOICES = Object.freeze([
  ['agree', 'Agree'], ['too_high', 'Too high'], ['too_low', 'Too low'], ['false_alarm', 'False alarm'],
]);

/** The operator's level for a choice on an assessment at `assessed`; null when the choice makes no sense there. Pure. */
export function operatorLevel(choice, assessed) {
  const i = RISK_LEVELS.indexOf(level(assessed));
  if (i < 0) return null;
  switch (choice) {
    case 'agree': return RISK_LEVELS[i];
    case 'too_high': return i > 0 ? RISK_LEVELS[i - 1] : null;
    case 'too_low': return i < RISK_LEVELS.length - 1 ? RISK_LEVELS[i + 1] : null;
    case 'false_alarm': return 'none';
    default: return null;
  }
}

/** The buttons for assessment `a` (replayed ones and ones without a task id get none). */
export function feedbackBar(a) {
  const bar = el('div', 'cv-feedback');
  if (!a || !a.task_id || a.replay) return bar;
  const note = el('span', 'cv-feedback-note', '');
  for (const [choice, text] of CHOICES) {
    const to = operatorLevel(choice, a.risk_level);
    const b = el('button', 'btn', text);
    b.type = 'button';
    b.disabled = to == null;
    b.addEventListener('click', () => send(a.task_id, to, bar, note));
    bar.append(b);
  }
  bar.append(note);
  return bar;
}

function send(taskId, to, bar, note) {
  bar.querySelectorAll('button').forEach((b) => { b.disabled = true; });
  note.textContent = 'Sending…';
  fetch('/api/v1/assessments/' + encodeURIComponent(taskId) + '/feedback', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ risk_level: to }),
  }).then((r) => r.json().then((body) => {
    note.textContent = r.ok ? 'Thanks: recorded as ' + body.agreement.replace('_', ' ') + '.' : 'Not recorded: ' + (body.message || r.status);
  })).catch((e) => { note.textContent = 'Not recorded: ' + e.message; });
}
