// Caps on everything the page keeps, so a page left open for days stays the same size. Pure: no DOM.
import { toMs, num } from './format.js';

/**
 * Adds an assessment to a camera's newest-first history, unless one with the same task_id is there;
 * keeps at most `cap`. Returns whether it was added.
 */
export function rememberAssessment(history, a, cap) {
  if (a.task_id && history.some((h) => h.task_id === a.task_id)) return false;
  history.unshift(a);
  history.sort((x, y) => (toMs(y.assessed_at) || 0) - (toMs(x.assessed_at) || 0));
  if (history.length > cap) history.length = cap;
  return true;
}

/**
 * Appends one point to chart columns [[t...], [series1...], ...] and drops the oldest beyond `cap`.
 * Values that are not numbers become gaps (null).
 */
export function pushWindow(columns, t, values, cap) {
  columns[0].push(t);
  values.forEach((v, i) => columns[i + 1].push(num(v)));
  while (columns[0].length > cap) columns.forEach((c) => c.shift());
}

/** The camera to drop when the wall is full: the one seen least recently (frame, assessment or creation). */
export function leastRecentlyActive(cameras) {
  let victim = null;
  let oldest = Infinity;
  for (const c of cameras) {
    const seen = Math.max(c.lastFrameAt, c.assessedLocal, c.createdAt);
    if (seen < oldest) { oldest = seen; victim = c; }
  }
  return victim;
}

/**
 * The alert to drop when the feed is full, from its rows newest first ({id, status}): the oldest
 * resolved one, else the oldest. Null when there are none.
 */
export function alertToDrop(rowsNewestFirst) {
  for (let i = rowsNewestFirst.length - 1; i >= 0; i--) {
    if (rowsNewestFirst[i].status === 'resolved') return rowsNewestFirst[i].id;
  }
  return rowsNewestFirst.length ? rowsNewestFirst[rowsNewestFirst.length - 1].id : null;
}

/** Alerts oldest first by last_seen, so replaying them leaves the newest on top. */
export function oldestSeenFirst(alerts) {
  return (Array.isArray(alerts) ? alerts.slice() : []).sort((a, b) => toMs(a.last_seen) - toMs(b.last_seen));
}
