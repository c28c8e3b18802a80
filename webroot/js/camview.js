// The camera view (a dialog): the live frame with every box labelled, the latest assessment and its
// facts, and the stored history from the REST API, page by page (the page's own memory when the
// gateway has none).
import { $, setText, setClass, el, getJson } from './dom.js';
import { num, toMs, fmtDateTime, fmtScore, plural } from './format.js';
import { level } from './risk.js';
import { countLabels, assessmentFacts } from './describe.js';
import { camera, onAssessment, onCameraEvent } from './cameras.js';
import { drawFrame } from './draw.js';
import { frameSize, fit } from './geometry.js';
import { pathsFrom, addFrame, prune, drawTracks } from './tracks.js';
import { feedbackBar } from './feedback.js';
import { CFG, state, serverNow } from './state.js';

const dialog = $('camview');
const more = $('cv-more');
const cv = {
  id: null, canvas: $('cv-canvas'), ctx: $('cv-canvas').getContext('2d'), next: null, items: [], seq: 0,
  // Track paths (GET /api/v1/cameras/{id}/tracks, then the live frames), zones and the prediction horizon.
  tracks: new Map(), zones: [], horizonMs: 0, trackTimer: null,
};
/** How much of each path the view shows, and how often it asks the gateway again. */
const TRACK_SPAN_MS = 30000;
const TRACK_REFRESH_MS = 2000;

/** The live frame with the track paths, the zones and where each object is heading drawn over it. */
function drawView(c) {
  drawFrame(cv.ctx, cv.canvas, c.frame, true);
  if (!c.frame && cv.tracks.size === 0) return;
  const t = fit(cv.canvas.width, cv.canvas.height, frameSize(c.frame || { detections: [] }));
  drawTracks(cv.ctx, t, cv.tracks, cv.zones, cv.horizonMs);
}

function loadTracks() {
  const id = cv.id;
  const seq = cv.seq;
  getJson('/api/v1/cameras/' + encodeURIComponent(id) + '/tracks?limit=2000&since=' + Math.round(serverNow() - TRACK_SPAN_MS))
    .then((r) => {
      if (cv.seq !== seq) return;
      cv.tracks = pathsFrom(r);
      cv.zones = Array.isArray(r.zones) ? r.zones : [];
      cv.horizonMs = num(r.predict_horizon_ms) || 0;
      const c = state.cameras.get(id);
      if (c) drawView(c);
    }).catch(() => {}); // an older gateway without the route: the view simply has no paths
}

export function openCamera(id) {
  const c = camera(id);
  cv.id = id;
  cv.seq++;
  cv.items = [];
  cv.next = null;
  dialog.dataset.cameraId = id;
  setText($('cv-title'), id);
  $('cv-hist').replaceChildren();
  setText($('cv-hist-note'), 'Loading history…');
  setText($('cv-hist-count'), '');
  more.hidden = true;
  showLatest(c, c.a);
  cv.tracks = new Map();
  cv.zones = [];
  drawView(c);
  showMeta(c);
  loadTracks();
  clearInterval(cv.trackTimer);
  cv.trackTimer = setInterval(loadTracks, TRACK_REFRESH_MS);
  if (!dialog.open) {
    if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
  }
  loadHistory(false);
  getJson('/api/v1/cameras/' + encodeURIComponent(id)).then((r) => {
    if (cv.id !== id) return;
    if (num(r.assessments) != null) c.total = r.assessments;
    if (r.latest && !c.a) onAssessment(Object.assign({ camera_id: id }, r.latest));
    showLatest(c, c.a);
  }).catch(() => {});
}

function closeCamera() {
  if (dialog.open && typeof dialog.close === 'function') dialog.close(); else dialog.removeAttribute('open');
}

function loadHistory(older) {
  const id = cv.id;
  const seq = cv.seq;
  let url = '/api/v1/cameras/' + encodeURIComponent(id) + '/history?limit=' + CFG.historyPage;
  if (older && cv.next) url += '&before=' + encodeURIComponent(cv.next);
  more.disabled = true;
  getJson(url).then((r) => {
    if (cv.seq !== seq) return;
    (Array.isArray(r.items) ? r.items : []).forEach((a) => addHistoryRow(a, false));
    cv.next = r.next == null ? null : r.next;
    more.hidden = !cv.next || cv.items.length >= CFG.historyRows;
    setText($('cv-hist-note'), cv.items.length === 0 ? 'No assessments stored for this camera yet.' : cv.next ? '' : 'End of history.');
  }).catch((e) => {
    if (cv.seq !== seq) return;
    const c = state.cameras.get(id);
    (c ? c.history : []).forEach((a) => addHistoryRow(a, false));
    more.hidden = true;
    setText($('cv-hist-note'), (e.status === 404 ? 'No stored history from the gateway' : 'History could not be loaded (' + e.message + ')')
      + ' — showing the ' + plural(cv.items.length, 'assessment') + ' this page received.');
  }).finally(() => { more.disabled = false; });
}

function addHistoryRow(a, atTop) {
  if (!a) return;
  if (a.task_id && cv.items.some((x) => x.task_id === a.task_id)) return;
  const body = $('cv-hist');
  const lv = level(a.risk_level);
  const tr = document.createElement('tr');
  tr.className = 'lvl-' + (lv || 'none');
  const cells = [fmtDateTime(toMs(a.assessed_at)), lv || '?', fmtScore(a.risk_score) ?? '–', a.source || '', a.summary || ''];
  cells.forEach((text, i) => {
    const td = tr.insertCell();
    if (i === 1) td.append(el('span', 'badge lvl', text)); else td.textContent = text;
    if (i === 2) td.className = 'num';
    if (i === 4) td.className = 'hist-summary';
  });
  if (a.task_id) tr.dataset.taskId = a.task_id;
  if (atTop) { body.insertBefore(tr, body.firstChild); cv.items.unshift(a); } else { body.appendChild(tr); cv.items.push(a); }
  while (cv.items.length > CFG.historyRows) { cv.items.pop(); body.lastElementChild.remove(); }
  const c = state.cameras.get(cv.id);
  setText($('cv-hist-count'), cv.items.length + (c && num(c.total) != null ? ' of ' + c.total : ''));
}

/** The latest assessment: level badge, source, summary, recommendations and facts. */
function showLatest(c, a) {
  const lv = a ? level(a.risk_level) : null;
  const score = a ? fmtScore(a.risk_score) : null;
  const badge = $('cv-level');
  setText(badge, a ? (lv || 'unknown') + (score != null ? ' ' + score : '') : 'pending');
  setClass(badge, 'b-', lv);
  const src = $('cv-source');
  setText(src, a ? (a.source === 'llm' ? 'LLM' : a.source || '') : '');
  setClass(src, 'src-', a && a.source);
  setText($('cv-summary'), a ? (a.summary || '(no summary)') : 'No assessment yet.');
  const recs = $('cv-recs');
  recs.replaceChildren();
  // The operator's verdict on this assessment, right under it.
  recs.parentNode.querySelector('.cv-feedback')?.remove();
  recs.after(feedbackBar(a));
  (a && Array.isArray(a.recommendations) ? a.recommendations.slice(0, 8) : []).forEach((r) => recs.append(el('li', null, String(r))));
  const facts = $('cv-facts');
  facts.replaceChildren();
  if (!a) return;
  for (const [k, v] of assessmentFacts(a, c.total, serverNow())) facts.append(el('dt', null, k), el('dd', null, v));
}

/** The line under the live frame: frame id, rate, what it shows, the model. */
function showMeta(c) {
  const f = c.frame;
  $('cv-stale').hidden = !c.stale;
  if (!f) { setText($('cv-meta'), 'No live frame yet.'); return; }
  const seen = countLabels(f.detections);
  setText($('cv-meta'), 'frame ' + (f.frame_id ?? '–') + ' · ' + (c.fps != null ? c.fps.toFixed(1) + ' fps' : '… fps')
    + ' · ' + (seen || 'nothing detected') + (f.model_type ? ' · ' + f.model_type : ''));
}

/** Once a second: the stale badge of the camera shown. */
export function renderCameraView() {
  if (!cv.id) return;
  const c = state.cameras.get(cv.id);
  if (c) $('cv-stale').hidden = !c.stale;
}

/** Wires the dialog: opening from the wall, closing, older history, following its camera. */
export function initCameraView() {
  dialog.addEventListener('close', () => {
    cv.id = null;
    cv.seq++;
    clearInterval(cv.trackTimer);
    cv.trackTimer = null;
    delete dialog.dataset.cameraId;
  });
  $('cv-close').addEventListener('click', closeCamera);
  dialog.addEventListener('click', (e) => { if (e.target === dialog) closeCamera(); }); // the backdrop
  more.addEventListener('click', () => loadHistory(true));
  const grid = $('cameras');
  grid.addEventListener('click', (e) => {
    const t = e.target.closest('.tile');
    if (t) openCamera(t.dataset.cameraId);
  });
  grid.addEventListener('keydown', (e) => {
    const t = e.target.closest('.tile');
    if (t && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); openCamera(t.dataset.cameraId); }
  });
  onCameraEvent((kind, c, a, isNew) => {
    if (cv.id !== c.id) return;
    if (kind === 'frame') {
      const ms = toMs(c.frame && c.frame.timestamp);
      const at = Number.isFinite(ms) ? ms : serverNow();
      prune(addFrame(cv.tracks, c.frame, at), at - TRACK_SPAN_MS);
      drawView(c);
      showMeta(c);
    } else {
      showLatest(c, a);
      if (isNew) addHistoryRow(a, true);
    }
  });
}
