// The alert feed: one row per alert id, newest (last seen) first, updated in place, capped; a row's
// camera link opens the camera view, and each camera's tile shows its worst active alert.
import { ACTIVE_ALERT_STATUSES } from './contract.js';
import { $, setText, setClass, fragment } from './dom.js';
import { num, toMs, ago, fmtDateTime } from './format.js';
import { level } from './risk.js';
import { alertToDrop } from './lists.js';
import { alertSummary } from './stats.js';
import { setCameraAlert, setCameraHealth } from './cameras.js';
import { healthRule } from './health.js';
import { openCamera } from './camview.js';
import { CFG, state, serverNow } from './state.js';

const feed = $('alerts');
const alertTemplate = fragment(
  '<li class="alert"><span class="badge lvl"></span>'
  + '<div class="alert-main"><div class="alert-line"><button type="button" class="cam-link"></button>'
  + '<span class="badge st"></span><span class="alert-count"></span></div>'
  + '<p class="alert-msg"></p></div><time class="alert-when"></time></li>');

export function onAlert(al) {
  if (!al || al.alert_id == null) return;
  const id = String(al.alert_id);
  const lastSeen = toMs(al.last_seen);
  let r = state.alerts.get(id);
  if (r) {
    // an older copy (e.g. from the REST catch-up) never overwrites a newer one
    if (Number.isFinite(r.lastSeen) && Number.isFinite(lastSeen) && lastSeen < r.lastSeen) return;
  } else {
    if (state.alerts.size >= CFG.maxAlerts) dropAlert();
    r = newRow(id);
  }
  const prevCamera = r.cameraId;
  r.a = al;
  r.lastSeen = Number.isFinite(lastSeen) ? lastSeen : serverNow();
  r.firstSeen = toMs(al.first_seen);
  r.cameraId = typeof al.camera_id === 'string' ? al.camera_id : '';
  const status = al.status || 'open';
  // `predicted`: a tracked object heading into a zone (not a risk level, and not counted as one).
  const lv = al.level === 'predicted' ? 'predicted' : (level(al.level) || 'high');
  r.row.dataset.status = status;
  r.row.dataset.level = lv;
  r.row.dataset.cameraId = r.cameraId;
  setClass(r.row, 'lvl-', lv);
  setClass(r.row, 'st-', status);
  setText(r.lvl, lv);
  setText(r.st, status);
  setText(r.cam, r.cameraId || '?');
  const count = num(al.count);
  setText(r.count, count != null && count > 1 ? '×' + count : '');
  setText(r.msg, al.message || '');
  r.when.dateTime = new Date(r.lastSeen).toISOString();
  r.when.title = 'first seen ' + fmtDateTime(r.firstSeen) + '\nlast seen ' + fmtDateTime(r.lastSeen);
  renderAlertAge(r);
  placeAlert(r);
  trackCameraAlert(r, prevCamera, ACTIVE_ALERT_STATUSES.includes(status), lv);
  $('alerts-empty').hidden = true;
  setText($('alert-summary'), alertSummary(Array.from(state.alerts.values(), (x) => x.row.dataset.status)));
}

function newRow(id) {
  const row = alertTemplate.cloneNode(true);
  const r = {
    id, row, lvl: row.querySelector('.lvl'), st: row.querySelector('.st'), cam: row.querySelector('.cam-link'),
    count: row.querySelector('.alert-count'), msg: row.querySelector('.alert-msg'), when: row.querySelector('.alert-when'),
  };
  row.dataset.alertId = id;
  r.cam.addEventListener('click', (e) => { e.stopPropagation(); if (r.cameraId) openCamera(r.cameraId); });
  state.alerts.set(id, r);
  return r;
}

/** Newest (last seen) first; an updated alert moves up, its element reused. */
function placeAlert(r) {
  let before = null;
  for (const li of feed.children) {
    if (li === r.row) continue;
    const other = state.alerts.get(li.dataset.alertId);
    if (other && other.lastSeen <= r.lastSeen) { before = li; break; }
  }
  if (before) {
    if (r.row.nextElementSibling !== before || r.row.parentNode !== feed) feed.insertBefore(r.row, before);
  } else if (feed.lastElementChild !== r.row) {
    feed.appendChild(r.row);
  }
}

function dropAlert() {
  const rows = Array.from(feed.children, (li) => ({ id: li.dataset.alertId, status: li.dataset.status }));
  const r = state.alerts.get(alertToDrop(rows));
  if (!r) return;
  r.row.remove();
  state.alerts.delete(r.id);
  trackCameraAlert(r, r.cameraId, false, null);
}

function trackCameraAlert(r, prevCamera, active, lv) {
  if (prevCamera && prevCamera !== r.cameraId) {
    setCameraAlert(prevCamera, r.id, false);
    setCameraHealth(prevCamera, r.id, false, null);
  }
  if (!r.cameraId) return;
  setCameraAlert(r.cameraId, r.id, active, lv);
  const rule = healthRule(r.a);
  if (rule) setCameraHealth(r.cameraId, r.id, active, rule);
}

function renderAlertAge(r) {
  setText(r.when, ago(serverNow() - r.lastSeen));
}

/** Once a second: every row's "last seen" age. */
export function renderAlertAges() {
  for (const r of state.alerts.values()) renderAlertAge(r);
}

/** The all / active switch. */
export function initAlertFilter() {
  const buttons = document.querySelectorAll('.seg button');
  buttons.forEach((b) => b.addEventListener('click', () => {
    buttons.forEach((x) => x.classList.toggle('on', x === b));
    feed.classList.toggle('only-active', b.dataset.filter === 'active');
  }));
}
