// Argus live dashboard: camera wall, alert feed, LLM key pool and pipeline, fed by the SockJS event-bus
// bridge (receive only) and the REST read API. Everything on the page is bounded: lists are capped,
// DOM elements are reused, chart series keep a fixed window, and only changed text is written.
// The vendor libraries (sockjs, vertx-eventbus, uPlot) are classic scripts that ran before this module.
import { $, setText, getJson } from './dom.js';
import { fmtTime } from './format.js';
import { oldestSeenFirst } from './lists.js';
import { CFG, state } from './state.js';
import { connect, renderConn } from './connection.js';
import { requireViewer } from './auth.js';
import { onFrame, onAssessment, applyCameraListing, renderAge, renderCameraSummary, markDirty, initWallControls } from './cameras.js';
import { onAlert, renderAlertAges, initAlertFilter } from './alerts.js';
import { onKeys, startCountdowns } from './keys.js';
import { onStats, redrawCharts } from './pipeline.js';
import { initCameraView, renderCameraView } from './camview.js';
import { clusterStats, startMembers } from './members.js';
import { onModelMetrics, loadModelMetrics } from './models.js';

// The live EventBus is reachable from the console (and from tests) as window.argus.eb.
window.argus = state;

/** After every (re)connect: catch up from the REST API on what the bus did not tell us. */
function resync() {
  getJson('/api/v1/cameras').then(applyCameraListing)
    .catch((e) => console.warn('argus: cameras not loaded', e.message));
  getJson('/api/v1/llm/keys').then(onKeys)
    .catch((e) => console.warn('argus: keys not loaded', e.message));
  getJson('/api/v1/alerts?limit=' + CFG.maxAlerts).then((r) => oldestSeenFirst(r.items).forEach(onAlert))
    .catch((e) => { if (e.status !== 404) console.warn('argus: alerts not loaded', e.message); });
  loadModelMetrics();
}

/** Once a second: ages, staleness, summaries, the connection pill. */
function tick() {
  const now = Date.now();
  setText($('clock'), fmtTime(now));
  if (!document.hidden) {
    for (const c of state.cameras.values()) renderAge(c, now);
    renderAlertAges();
    renderCameraSummary();
    renderCameraView();
  }
  renderConn();
}

initWallControls();
initAlertFilter();
initCameraView();
document.addEventListener('visibilitychange', () => {
  if (document.hidden) return;
  state.cameras.forEach(markDirty);
  redrawCharts();
});
setInterval(tick, 1000);
startCountdowns();
startMembers();
tick();
// With a viewer token set on the gateway, nothing connects until the page holds the right one.
requireViewer().then(() =>
  connect({ detections: onFrame, assessments: onAssessment, alerts: onAlert, stats: (s) => onStats(clusterStats(s)), llmKeys: onKeys,
    modelMetrics: onModelMetrics }, resync));
