// The camera wall: one tile per camera with its live frame (boxes in frame coordinates), latest
// assessment, age and staleness; sorted by name or risk, filtered by name, capped in number.
import { RISK_LEVELS } from './contract.js';
import { $, setText, setClass, el, fragment } from './dom.js';
import { num, toMs, ago, fmtMs, fmtDateTime, fmtScore, plural, naturalCompare } from './format.js';
import { level, worstLevel, compareByRisk } from './risk.js';
import { rememberAssessment, leastRecentlyActive } from './lists.js';
import { sampleFps, staleness, signalLine } from './liveness.js';
import { sourceLabel } from './describe.js';
import { coalesce } from './timing.js';
import { drawFrame } from './draw.js';
import { healthState } from './health.js';
import { CFG, state, started, serverNow } from './state.js';

const grid = $('cameras');
const sortSelect = $('cam-sort');
const tileTemplate = fragment(
  '<article class="tile risk-none" tabindex="0" role="button">'
  + '<div class="tile-head"><span class="tile-name"></span><span class="badge lvl">pending</span></div>'
  + '<div class="tile-view"><canvas width="384" height="216"></canvas><span class="tile-fps"></span>'
  + '<span class="tile-alert" hidden>alert</span><span class="tile-stale">stale</span>'
  + '<span class="tile-health" hidden></span></div>'
  + '<p class="tile-summary">Waiting for an assessment…</p>'
  + '<div class="tile-foot"><span class="src"></span><span class="tile-ago"></span><span class="tile-lat"></span></div>'
  + '</article>');

// The camera view follows its camera: it is told of every assessment and every drawn frame.
const listeners = [];
/** `fn(kind, camera, assessment, isNew)`, kind 'assessment' or 'frame'. */
export function onCameraEvent(fn) { listeners.push(fn); }
const emit = (kind, c, a, isNew) => listeners.forEach((fn) => fn(kind, c, a, isNew));

/** The camera's record, its tile created (and the least recently active one dropped) when new. */
export function camera(id) {
  let c = state.cameras.get(id);
  if (c) return c;
  if (state.cameras.size >= CFG.maxCameras) evictCamera();
  const tile = tileTemplate.cloneNode(true);
  tile.dataset.cameraId = id;
  tile.setAttribute('aria-label', 'Camera ' + id + ': open details');
  const canvas = tile.querySelector('canvas');
  c = {
    id, tile, canvas, ctx: canvas.getContext('2d'),
    name: tile.querySelector('.tile-name'), badge: tile.querySelector('.lvl'), bell: tile.querySelector('.tile-alert'),
    fpsEl: tile.querySelector('.tile-fps'), summary: tile.querySelector('.tile-summary'),
    src: tile.querySelector('.src'), agoEl: tile.querySelector('.tile-ago'), lat: tile.querySelector('.tile-lat'),
    frame: null, fps: null, samples: [], lastFrameAt: 0, a: null, assessedAt: NaN, assessedLocal: 0,
    history: [], total: null, createdAt: Date.now(), activeAlerts: new Map(), stale: false,
    healthEl: tile.querySelector('.tile-health'), health: new Map(),
  };
  tile.dataset.health = 'ok';
  setText(c.name, id);
  c.name.title = id;
  state.cameras.set(id, c);
  placeTile(c);
  applyFilter(c);
  drawFrame(c.ctx, c.canvas, null, false);
  $('cams-empty').hidden = true;
  return c;
}

function placeTile(c) {
  if (sortSelect.value === 'id') {
    let before = null;
    for (const t of grid.children) {
      if (naturalCompare(t.dataset.cameraId, c.id) > 0) { before = t; break; }
    }
    grid.insertBefore(c.tile, before);
  } else {
    grid.appendChild(c.tile);
  }
}

function evictCamera() {
  const victim = leastRecentlyActive(state.cameras.values());
  if (!victim) return;
  victim.tile.remove();
  state.cameras.delete(victim.id);
  dirty.delete(victim);
}

export function onFrame(f) {
  if (!f || typeof f.camera_id !== 'string' || f.camera_id === '') return;
  const c = camera(f.camera_id);
  const now = Date.now();
  c.frame = f;
  c.lastFrameAt = now;
  c.tile.dataset.frameId = f.frame_id == null ? '' : String(f.frame_id);
  const fps = sampleFps(c.samples, f, now);
  if (fps != null) c.fps = fps;
  markDirty(c);
}

export function onAssessment(a) {
  if (!a || typeof a.camera_id !== 'string' || a.camera_id === '') return;
  const c = camera(a.camera_id);
  rememberAssessment(c.history, a, CFG.localHistory);
  const at = toMs(a.assessed_at);
  if (c.a && Number.isFinite(c.assessedAt) && Number.isFinite(at) && at < c.assessedAt) return; // older than shown
  const isNew = !c.a || c.a.task_id !== a.task_id;
  c.a = a;
  c.assessedAt = at;
  c.assessedLocal = Date.now();
  const lv = level(a.risk_level);
  const score = fmtScore(a.risk_score);
  setClass(c.tile, 'risk-', lv || 'none');
  c.tile.dataset.risk = lv || 'unknown';
  c.tile.dataset.source = a.source || '';
  if (a.task_id) c.tile.dataset.taskId = a.task_id;
  setText(c.badge, (lv || 'unknown') + (score != null ? ' ' + score : ''));
  setText(c.summary, a.summary || '(no summary)');
  c.summary.title = a.summary || '';
  setText(c.src, sourceLabel(a.source));
  setClass(c.src, 'src-', a.source || null);
  c.src.title = a.source === 'rules' ? ('rules fallback' + (a.fallback_reason ? ': ' + a.fallback_reason : ''))
    : [a.model, a.api_key_id].filter(Boolean).join(' · ');
  setText(c.lat, num(a.latency_ms) != null ? fmtMs(a.latency_ms) : '');
  c.lat.title = 'provider latency';
  renderAge(c, Date.now());
  if (isNew && state.open) {
    c.tile.classList.remove('flash');
    void c.tile.offsetWidth; // restart the animation on the same element
    c.tile.classList.add('flash');
  }
  if (sortSelect.value === 'risk') sortSoon();
  emit('assessment', c, a, isNew);
}

/** The REST camera listing (after a reconnect): latest assessments and stored counts. */
export function applyCameraListing(r) {
  (r.cameras || []).forEach((item) => {
    if (!item || typeof item.camera_id !== 'string') return;
    const latest = item.latest || (item.risk_level ? {
      camera_id: item.camera_id, risk_level: item.risk_level, risk_score: item.risk_score, assessed_at: item.updated_at,
    } : null);
    const c = camera(item.camera_id);
    if (latest) onAssessment(Object.assign({ camera_id: item.camera_id }, latest));
    if (num(item.assessments) != null) c.total = item.assessments;
  });
}

/** Age, staleness and signal line of a tile. */
export function renderAge(c, now) {
  const sinceFrame = now - Math.max(c.lastFrameAt, started);
  const assessed = Number.isFinite(c.assessedAt);
  const sinceAssessment = assessed ? serverNow() - c.assessedAt : now - Math.max(c.createdAt, started);
  setText(c.agoEl, assessed ? ago(sinceAssessment) : 'not assessed');
  c.agoEl.title = assessed ? 'assessed ' + fmtDateTime(c.assessedAt) : '';
  const { stale, why } = staleness(sinceFrame, sinceAssessment, CFG.staleMs);
  if (c.tile.classList.contains('stale') !== stale) c.tile.classList.toggle('stale', stale);
  c.tile.title = why ? 'stale: ' + why : '';
  const objects = c.frame && Array.isArray(c.frame.detections) ? c.frame.detections.length : 0;
  setText(c.fpsEl, signalLine(now - c.lastFrameAt, c.lastFrameAt > 0, c.fps, objects));
  c.stale = stale;
}

/** A tile shows its camera's worst active alert. */
export function setCameraAlert(cameraId, alertId, active, lv) {
  const c = state.cameras.get(cameraId) || (active ? camera(cameraId) : null);
  if (!c) return;
  if (active) c.activeAlerts.set(alertId, lv || 'high'); else c.activeAlerts.delete(alertId);
  const worst = worstLevel(c.activeAlerts.values());
  const n = c.activeAlerts.size;
  c.bell.hidden = !worst;
  setClass(c.bell, 'al-', worst);
  setText(c.bell, worst === 'critical' || worst === 'high' ? 'alert' : worst ? 'watch' : '');
  c.bell.title = worst ? plural(n, 'active alert') + ', worst ' + worst : '';
  c.tile.classList.toggle('alerting', !!worst);
}

/** A tile shows its feed health: the checks its active data-quality alerts (alert id → rule) name. */
export function setCameraHealth(cameraId, alertId, active, rule) {
  const c = state.cameras.get(cameraId) || (active ? camera(cameraId) : null);
  if (!c) return;
  if (active && rule) c.health.set(alertId, rule); else c.health.delete(alertId);
  const h = healthState(c.health.values());
  c.tile.dataset.health = h.state;
  c.healthEl.hidden = h.state === 'ok';
  setClass(c.healthEl, 'hl-', h.state === 'ok' ? null : h.state);
  setText(c.healthEl, h.label);
  c.healthEl.title = h.title;
}

// drawing: frames mark their camera dirty; one animation frame draws every dirty canvas once
const dirty = new Set();
let rafPending = false;

export function markDirty(c) {
  dirty.add(c);
  if (!rafPending) {
    rafPending = true;
    requestAnimationFrame(flush);
  }
}

function flush() {
  rafPending = false;
  const now = Date.now();
  for (const c of dirty) {
    drawFrame(c.ctx, c.canvas, c.frame, false);
    renderAge(c, now);
    emit('frame', c);
  }
  dirty.clear();
}

// sorting and filtering
const sortSoon = coalesce(sortTiles, 1500);

function sortTiles() {
  const list = Array.from(state.cameras.values());
  list.sort(sortSelect.value === 'risk' ? compareByRisk : (a, b) => naturalCompare(a.id, b.id));
  list.forEach((c, i) => {
    if (grid.children[i] !== c.tile) grid.insertBefore(c.tile, grid.children[i] || null);
  });
}

function applyFilter(c) {
  const q = $('cam-filter').value.trim().toLowerCase();
  const hide = q !== '' && !c.id.toLowerCase().includes(q);
  if (c.tile.hidden !== hide) c.tile.hidden = hide;
}

const SUMMARY_KEYS = [...RISK_LEVELS].reverse().concat('stale');
const summaryChips = (() => {
  const box = $('risk-summary');
  const chips = {};
  for (const k of SUMMARY_KEYS) {
    const chip = el('span', 'sum-chip sum-' + k);
    chip.append(el('b', null, '0'), document.createTextNode(' ' + k));
    box.appendChild(chip);
    chips[k] = chip;
  }
  return chips;
})();

/** The header chips: cameras per risk level and stale ones, and the count. */
export function renderCameraSummary() {
  const counts = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, 0]));
  for (const c of state.cameras.values()) {
    const lv = level(c.a && c.a.risk_level);
    if (lv) counts[lv]++;
    if (c.stale) counts.stale++;
  }
  for (const k of SUMMARY_KEYS) {
    setText(summaryChips[k].firstChild, counts[k]);
    summaryChips[k].classList.toggle('zero', counts[k] === 0);
  }
  setText($('cam-count'), state.cameras.size);
}

/** Sort order and filter: the order survives a reload. */
export function initWallControls() {
  try {
    const saved = localStorage.getItem('argus.sort');
    if (saved === 'risk' || saved === 'id') sortSelect.value = saved;
  } catch (e) { /* private mode */ }
  sortSelect.addEventListener('change', () => {
    try { localStorage.setItem('argus.sort', sortSelect.value); } catch (e) { /* private mode */ }
    sortTiles();
  });
  $('cam-filter').addEventListener('input', () => state.cameras.forEach(applyFilter));
}
