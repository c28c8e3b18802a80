// Argus live dashboard: camera wall, alert feed, LLM key pool and pipeline, fed by the SockJS event-bus
// bridge (receive only) and the REST read API. Everything on the page is bounded: lists are capped,
// DOM elements are reused, chart series keep a fixed window, and only changed text is written.
(function () {
  'use strict';

  const CFG = {
    maxAlerts: 100,          // rows in the alert feed
    maxCameras: 1000,        // tiles; the least recently active one goes beyond that
    staleMs: 30000,          // no frame or no assessment for this long: the tile is stale
    chartPoints: 300,        // one point a second: the last 5 minutes
    localHistory: 20,        // assessments remembered per camera (fallback for the camera view)
    historyPage: 20,         // rows per REST history page
    historyRows: 200,        // rows kept in the camera view's history table
    frameW: 1280, frameH: 720,
  };
  const LEVELS = ['low', 'medium', 'high', 'critical'];
  const RANK = { low: 1, medium: 2, high: 3, critical: 4 };
  const HAZARDS = new Set(['fire', 'smoke', 'knife', 'gun', 'weapon', 'explosion', 'flame']);
  const VEHICLES = new Set(['car', 'truck', 'bus', 'bicycle', 'motorcycle', 'motorbike', 'van', 'train']);
  const ACTIVE = new Set(['open', 'updated', 'escalated']);

  const $ = (id) => document.getElementById(id);
  const started = Date.now();
  const state = {
    eb: null,
    open: false,
    everOpen: false,
    clockOffset: 0,           // server clock − local clock, from argus.stats "at"
    lastStatsAt: 0,
    poolQueue: null,          // queue depth from argus.llm.keys, when argus.stats has none
    cameras: new Map(),
    alerts: new Map(),
    keys: new Map(),
  };
  // The live EventBus is reachable from the console (and from tests) as window.argus.eb.
  window.argus = state;

  // ---------------------------------------------------------------------------------------------
  // small helpers

  function setText(el, text) {
    text = text == null ? '' : String(text);
    if (el.textContent !== text) el.textContent = text;
  }

  function setClass(el, prefix, value) {
    for (const c of Array.from(el.classList)) if (c.startsWith(prefix)) el.classList.remove(c);
    if (value) el.classList.add(prefix + value);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function num(v) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : null;
  }

  /** Epoch ms from epoch ms, epoch seconds, a numeric string or ISO-8601; NaN when none. */
  function toMs(v) {
    if (v == null || v === '') return NaN;
    const n = num(v);
    if (n != null) return n < 1e11 ? n * 1000 : n;
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : NaN;
  }

  const serverNow = () => Date.now() + state.clockOffset;

  function ago(ms) {
    if (!Number.isFinite(ms)) return '–';
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 1) return 'now';
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    if (s < 86400) return Math.floor(s / 3600) + ' h ago';
    return Math.floor(s / 86400) + ' d ago';
  }

  function fmtMs(ms) {
    const v = num(ms);
    if (v == null) return '–';
    if (v < 1000) return Math.round(v) + ' ms';
    if (v < 60000) return (v / 1000).toFixed(v < 10000 ? 1 : 0) + ' s';
    return (v / 60000).toFixed(1) + ' min';
  }

  function fmtRate(v) {
    const n = num(v);
    if (n == null) return '–';
    return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
  }

  function fmtInt(v) {
    const n = num(v);
    if (n == null) return '–';
    if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    return String(Math.round(n));
  }

  function fmtTime(ms) {
    if (!Number.isFinite(ms)) return '–';
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function axisTime(ms) {
    const d = new Date(ms);
    const p = (n) => String(n).padStart(2, '0');
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }

  function fmtDateTime(ms) {
    if (!Number.isFinite(ms)) return '–';
    const d = new Date(ms);
    const today = new Date().toDateString() === d.toDateString();
    return (today ? '' : d.toLocaleDateString() + ' ') + fmtTime(ms);
  }

  function level(v) {
    return LEVELS.includes(v) ? v : null;
  }

  /** Keys arrive masked; a key that does not look masked is masked here, so nothing secret is shown. */
  function safeMask(k) {
    const s = k == null ? '' : String(k);
    if (s === '' || /[…*•]/.test(s)) return s;
    return '…' + s.slice(-4);
  }

  const naturalCompare = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }).compare;

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!r.ok) {
      const e = new Error('HTTP ' + r.status);
      e.status = r.status;
      throw e;
    }
    return r.json();
  }

  // ---------------------------------------------------------------------------------------------
  // connection

  function connect() {
    const eb = new EventBus('/eventbus', {
      vertxbus_reconnect_delay_min: 1000,
      vertxbus_reconnect_delay_max: 15000,
      vertxbus_reconnect_exponent: 2,
      vertxbus_ping_interval: 5000,
    });
    eb.enableReconnect(true);
    state.eb = eb;
    eb.onopen = () => {
      // The client forgets its handlers with every new socket: register them again on each (re)open.
      const on = (address, fn) => eb.registerHandler(address, (err, msg) => {
        if (err || !msg || msg.body == null) return;
        try { fn(msg.body); } catch (e) { console.warn('argus: bad message on ' + address, e); }
      });
      on('argus.detections', onFrame);
      on('argus.assessments', onAssessment);
      on('argus.alerts', onAlert);
      on('argus.stats', onStats);
      on('argus.llm.keys', onKeys);
      state.open = true;
      state.everOpen = true;
      renderConn();
      resync();
    };
    eb.onclose = () => {
      state.open = false;
      renderConn();
    };
    eb.onerror = (e) => console.warn('argus: event bus error', e && (e.body || e.message || e));
  }

  function renderConn() {
    const c = $('conn');
    const eb = state.eb;
    if (state.open) {
      const quiet = state.lastStatsAt && Date.now() - state.lastStatsAt > 5000;
      setText(c, quiet ? 'live · no stats' : 'live');
      c.dataset.state = 'open';
      setClass(c, 'conn-', quiet ? 'warn' : 'up');
    } else {
      const attempt = eb && eb.reconnectAttempts ? ' (attempt ' + eb.reconnectAttempts + ')' : '';
      setText(c, state.everOpen ? 'reconnecting…' + attempt : 'connecting…' + attempt);
      c.dataset.state = 'closed';
      setClass(c, 'conn-', 'down');
    }
    $('offline').hidden = state.open || (!state.everOpen && Date.now() - started < 4000);
    document.body.classList.toggle('offline-mode', !state.open && state.everOpen);
  }

  /** After every (re)connect: catch up from the REST API on what the bus did not tell us. */
  function resync() {
    getJson('/api/v1/cameras').then((r) => {
      (r.cameras || []).forEach((c) => {
        if (!c || typeof c.camera_id !== 'string') return;
        const latest = c.latest || (c.risk_level ? {
          camera_id: c.camera_id, risk_level: c.risk_level, risk_score: c.risk_score, assessed_at: c.updated_at,
        } : null);
        const cam = camera(c.camera_id);
        if (latest) onAssessment(Object.assign({ camera_id: c.camera_id }, latest));
        if (num(c.assessments) != null) cam.total = c.assessments;
      });
    }).catch((e) => console.warn('argus: cameras not loaded', e.message));
    getJson('/api/v1/llm/keys').then(onKeys).catch((e) => console.warn('argus: keys not loaded', e.message));
    getJson('/api/v1/alerts?limit=' + CFG.maxAlerts).then((r) => {
      const items = Array.isArray(r.items) ? r.items.slice() : [];
      items.sort((a, b) => toMs(a.last_seen) - toMs(b.last_seen)).forEach(onAlert);
    }).catch((e) => { if (e.status !== 404) console.warn('argus: alerts not loaded', e.message); });
  }

  // ---------------------------------------------------------------------------------------------
  // cameras

  const grid = $('cameras');
  const tileTemplate = (() => {
    const t = document.createElement('template');
    t.innerHTML =
      '<article class="tile risk-none" tabindex="0" role="button">' +
      '<div class="tile-head"><span class="tile-name"></span><span class="badge lvl">pending</span></div>' +
      '<div class="tile-view"><canvas width="384" height="216"></canvas><span class="tile-fps"></span>' +
      '<span class="tile-alert" hidden>alert</span><span class="tile-stale">stale</span></div>' +
      '<p class="tile-summary">Waiting for an assessment…</p>' +
      '<div class="tile-foot"><span class="src"></span><span class="tile-ago"></span><span class="tile-lat"></span></div>' +
      '</article>';
    return t.content.firstChild;
  })();

  function camera(id) {
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
      history: [], total: null, createdAt: Date.now(), activeAlerts: new Map(),
    };
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
    if ($('cam-sort').value === 'id') {
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
    let victim = null;
    let oldest = Infinity;
    for (const c of state.cameras.values()) {
      const seen = Math.max(c.lastFrameAt, c.assessedLocal, c.createdAt);
      if (seen < oldest) { oldest = seen; victim = c; }
    }
    if (victim) {
      victim.tile.remove();
      state.cameras.delete(victim.id);
      dirty.delete(victim);
    }
  }

  function onFrame(f) {
    if (!f || typeof f.camera_id !== 'string' || f.camera_id === '') return;
    const c = camera(f.camera_id);
    const now = Date.now();
    c.frame = f;
    c.lastFrameAt = now;
    c.tile.dataset.frameId = f.frame_id == null ? '' : String(f.frame_id);
    sampleFps(c, f, now);
    markDirty(c);
  }

  /** Frames a second from frame ids and timestamps (exact even though the bridge throttles what we see). */
  function sampleFps(c, f, now) {
    const ts = toMs(f.timestamp);
    const n = num(f.frame_id);
    const s = c.samples;
    if (s.length && n != null && s[s.length - 1].n != null && n < s[s.length - 1].n) s.length = 0; // restarted
    s.push({ t: Number.isFinite(ts) ? ts : now, n, at: now });
    while (s.length > 12 || (s.length > 2 && now - s[0].at > 10000)) s.shift();
    if (s.length < 2) return;
    const a = s[0];
    const b = s[s.length - 1];
    if (a.n != null && b.n != null && b.n > a.n && b.t > a.t) c.fps = (b.n - a.n) * 1000 / (b.t - a.t);
    else if (b.at > a.at) c.fps = (s.length - 1) * 1000 / (b.at - a.at);
  }

  function onAssessment(a) {
    if (!a || typeof a.camera_id !== 'string' || a.camera_id === '') return;
    const c = camera(a.camera_id);
    rememberAssessment(c, a);
    const at = toMs(a.assessed_at);
    if (c.a && Number.isFinite(c.assessedAt) && Number.isFinite(at) && at < c.assessedAt) return; // older than shown
    const isNew = !c.a || c.a.task_id !== a.task_id;
    c.a = a;
    c.assessedAt = at;
    c.assessedLocal = Date.now();
    const lv = level(a.risk_level);
    const score = num(a.risk_score);
    setClass(c.tile, 'risk-', lv || 'none');
    c.tile.dataset.risk = lv || 'unknown';
    c.tile.dataset.source = a.source || '';
    if (a.task_id) c.tile.dataset.taskId = a.task_id;
    setText(c.badge, (lv || 'unknown') + (score != null ? ' ' + score.toFixed(2) : ''));
    setText(c.summary, a.summary || '(no summary)');
    c.summary.title = a.summary || '';
    setText(c.src, a.source === 'rules' ? 'rules' : a.source === 'llm' ? 'LLM' : (a.source || ''));
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
    if (sortMode() === 'risk') sortSoon();
    if (cv.id === c.id) cvAssessment(c, a, isNew);
  }

  function rememberAssessment(c, a) {
    if (a.task_id && c.history.some((h) => h.task_id === a.task_id)) return;
    c.history.unshift(a);
    c.history.sort((x, y) => (toMs(y.assessed_at) || 0) - (toMs(x.assessed_at) || 0));
    if (c.history.length > CFG.localHistory) c.history.length = CFG.localHistory;
  }

  function renderAge(c, now) {
    const sinceFrame = now - Math.max(c.lastFrameAt, started);
    const sinceAssessment = Number.isFinite(c.assessedAt) ? serverNow() - c.assessedAt : now - Math.max(c.createdAt, started);
    setText(c.agoEl, Number.isFinite(c.assessedAt) ? ago(sinceAssessment) : 'not assessed');
    c.agoEl.title = Number.isFinite(c.assessedAt) ? 'assessed ' + fmtDateTime(c.assessedAt) : '';
    const stale = sinceFrame > CFG.staleMs || sinceAssessment > CFG.staleMs;
    if (c.tile.classList.contains('stale') !== stale) c.tile.classList.toggle('stale', stale);
    const why = !stale ? '' : sinceFrame > CFG.staleMs ? 'no frames ' + ago(sinceFrame).replace(' ago', '') : 'no assessment ' + ago(sinceAssessment).replace(' ago', '');
    c.tile.title = why ? 'stale: ' + why : '';
    let fps = '';
    if (now - c.lastFrameAt > 5000) fps = c.lastFrameAt ? 'no signal' : 'waiting';
    else {
      const objs = c.frame && Array.isArray(c.frame.detections) ? c.frame.detections.length : 0;
      fps = (c.fps != null ? c.fps.toFixed(1) : '…') + ' fps · ' + objs + ' obj';
    }
    setText(c.fpsEl, fps);
    c.stale = stale;
  }

  // drawing: frames mark their camera dirty; one animation frame draws every dirty canvas once
  const dirty = new Set();
  let rafPending = false;

  function markDirty(c) {
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
      if (cv.id === c.id) {
        drawFrame(cv.ctx, cv.canvas, c.frame, true);
        cvMeta(c);
      }
    }
    dirty.clear();
  }

  function labelColour(label) {
    const l = String(label || '').toLowerCase();
    if (HAZARDS.has(l)) return '#ff5a52';
    if (l === 'person') return '#4fa8ff';
    if (VEHICLES.has(l)) return '#b083f0';
    return '#e5b53a';
  }

  function drawFrame(ctx, canvas, f, big) {
    const W = canvas.width;
    const H = canvas.height;
    ctx.fillStyle = '#0a0f15';
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = 'rgba(140, 170, 200, 0.07)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 1; i < 4; i++) {
      ctx.moveTo(Math.round(W * i / 4) + 0.5, 0); ctx.lineTo(Math.round(W * i / 4) + 0.5, H);
      ctx.moveTo(0, Math.round(H * i / 4) + 0.5); ctx.lineTo(W, Math.round(H * i / 4) + 0.5);
    }
    ctx.stroke();
    if (!f) return;
    const dets = Array.isArray(f.detections) ? f.detections : [];
    let fw = num(f.image_width);
    let fh = num(f.image_height);
    if (!(fw > 0 && fh > 0)) {
      fw = CFG.frameW;
      fh = CFG.frameH;
      for (const d of dets) {
        const b = d && d.bbox;
        if (Array.isArray(b) && b.length >= 4) {
          fw = Math.max(fw, num(b[2]) || 0);
          fh = Math.max(fh, num(b[3]) || 0);
        }
      }
    }
    const k = Math.min(W / fw, H / fh);
    const ox = (W - fw * k) / 2;
    const oy = (H - fh * k) / 2;
    if (ox > 1 || oy > 1) {
      ctx.strokeStyle = 'rgba(140, 170, 200, 0.18)';
      ctx.strokeRect(ox + 0.5, oy + 0.5, fw * k - 1, fh * k - 1);
    }
    const font = big ? 15 : 20;
    ctx.font = '600 ' + font + 'px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (const d of dets) {
      const b = d && d.bbox;
      if (!Array.isArray(b) || b.length < 4) continue;
      const x1 = num(b[0]); const y1 = num(b[1]); const x2 = num(b[2]); const y2 = num(b[3]);
      if (x1 == null || y1 == null || x2 == null || y2 == null) continue;
      const x = ox + Math.min(x1, x2) * k;
      const y = oy + Math.min(y1, y2) * k;
      const w = Math.abs(x2 - x1) * k;
      const h = Math.abs(y2 - y1) * k;
      const label = String(d.label ?? d.class ?? '?');
      const colour = labelColour(label);
      const hazard = HAZARDS.has(label.toLowerCase());
      ctx.globalAlpha = hazard ? 0.25 : 0.10;
      ctx.fillStyle = colour;
      ctx.fillRect(x, y, w, h);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colour;
      ctx.lineWidth = hazard ? 3 : 2;
      ctx.strokeRect(x, y, w, h);
      if (hazard || big) {
        const conf = num(d.confidence);
        let text = label + (conf != null ? ' ' + Math.round(conf * 100) + '%' : '');
        if (big && d.track_id != null) text += ' #' + d.track_id;
        const tw = ctx.measureText(text).width + 8;
        const ty = y - font - 4 >= 0 ? y - font - 4 : y;
        ctx.fillStyle = colour;
        ctx.fillRect(x - 1, ty, tw, font + 4);
        ctx.fillStyle = '#0a0f15';
        ctx.fillText(text, x + 3, ty + 2);
      }
    }
  }

  // sorting and filtering
  const sortMode = () => $('cam-sort').value;
  let sortTimer = 0;

  function sortSoon() {
    if (!sortTimer) sortTimer = setTimeout(() => { sortTimer = 0; sortTiles(); }, 1500);
  }

  function sortTiles() {
    const list = Array.from(state.cameras.values());
    if (sortMode() === 'risk') {
      list.sort((a, b) => (RANK[level(b.a && b.a.risk_level)] || 0) - (RANK[level(a.a && a.a.risk_level)] || 0)
        || (num(b.a && b.a.risk_score) || 0) - (num(a.a && a.a.risk_score) || 0) || naturalCompare(a.id, b.id));
    } else {
      list.sort((a, b) => naturalCompare(a.id, b.id));
    }
    list.forEach((c, i) => {
      if (grid.children[i] !== c.tile) grid.insertBefore(c.tile, grid.children[i] || null);
    });
  }

  function applyFilter(c) {
    const q = $('cam-filter').value.trim().toLowerCase();
    const hide = q !== '' && !c.id.toLowerCase().includes(q);
    if (c.tile.hidden !== hide) c.tile.hidden = hide;
  }

  const summaryChips = (() => {
    const box = $('risk-summary');
    const chips = {};
    for (const k of ['critical', 'high', 'medium', 'low', 'stale']) {
      const chip = el('span', 'sum-chip sum-' + k);
      chip.append(el('b', null, '0'), document.createTextNode(' ' + k));
      box.appendChild(chip);
      chips[k] = chip;
    }
    return chips;
  })();

  function renderCameraSummary() {
    const counts = { critical: 0, high: 0, medium: 0, low: 0, stale: 0 };
    for (const c of state.cameras.values()) {
      const lv = level(c.a && c.a.risk_level);
      if (lv) counts[lv]++;
      if (c.stale) counts.stale++;
    }
    for (const k in counts) {
      setText(summaryChips[k].firstChild, counts[k]);
      summaryChips[k].classList.toggle('zero', counts[k] === 0);
    }
    setText($('cam-count'), state.cameras.size);
  }

  // ---------------------------------------------------------------------------------------------
  // alerts

  const feed = $('alerts');
  const alertTemplate = (() => {
    const t = document.createElement('template');
    t.innerHTML =
      '<li class="alert"><span class="badge lvl"></span>' +
      '<div class="alert-main"><div class="alert-line"><button type="button" class="cam-link"></button>' +
      '<span class="badge st"></span><span class="alert-count"></span></div>' +
      '<p class="alert-msg"></p></div><time class="alert-when"></time></li>';
    return t.content.firstChild;
  })();

  function onAlert(al) {
    if (!al || al.alert_id == null) return;
    const id = String(al.alert_id);
    const lastSeen = toMs(al.last_seen);
    let r = state.alerts.get(id);
    if (r) {
      // an older copy (e.g. from the REST catch-up) never overwrites a newer one
      if (Number.isFinite(r.lastSeen) && Number.isFinite(lastSeen) && lastSeen < r.lastSeen) return;
    } else {
      if (state.alerts.size >= CFG.maxAlerts) dropOldestAlert();
      const row = alertTemplate.cloneNode(true);
      r = {
        id, row, lvl: row.querySelector('.lvl'), st: row.querySelector('.st'), cam: row.querySelector('.cam-link'),
        count: row.querySelector('.alert-count'), msg: row.querySelector('.alert-msg'), when: row.querySelector('.alert-when'),
      };
      row.dataset.alertId = id;
      r.cam.addEventListener('click', (e) => { e.stopPropagation(); if (r.cameraId) openCamera(r.cameraId); });
      state.alerts.set(id, r);
    }
    const prevCamera = r.cameraId;
    r.a = al;
    r.lastSeen = Number.isFinite(lastSeen) ? lastSeen : serverNow();
    r.firstSeen = toMs(al.first_seen);
    r.cameraId = typeof al.camera_id === 'string' ? al.camera_id : '';
    const status = al.status || 'open';
    const lv = level(al.level) || 'high';
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
    setText(r.when, ago(serverNow() - r.lastSeen));
    placeAlert(r);
    trackCameraAlert(r, prevCamera, ACTIVE.has(status), lv);
    $('alerts-empty').hidden = true;
    renderAlertSummary();
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

  function dropOldestAlert() {
    // the oldest resolved alert goes first, else the oldest alert
    let victim = null;
    for (let li = feed.lastElementChild; li; li = li.previousElementSibling) {
      if (li.dataset.status === 'resolved') { victim = li; break; }
    }
    victim = victim || feed.lastElementChild;
    if (!victim) return;
    const r = state.alerts.get(victim.dataset.alertId);
    victim.remove();
    if (r) {
      state.alerts.delete(r.id);
      trackCameraAlert(r, r.cameraId, false, null);
    }
  }

  function trackCameraAlert(r, prevCamera, active, lv) {
    if (prevCamera && prevCamera !== r.cameraId) setCameraAlert(prevCamera, r.id, false);
    if (r.cameraId) setCameraAlert(r.cameraId, r.id, active, lv);
  }

  /** A tile shows its camera's worst active alert. */
  function setCameraAlert(cameraId, alertId, active, lv) {
    const c = state.cameras.get(cameraId) || (active ? camera(cameraId) : null);
    if (!c) return;
    if (active) c.activeAlerts.set(alertId, lv || 'high'); else c.activeAlerts.delete(alertId);
    let worst = null;
    for (const l of c.activeAlerts.values()) if (!worst || RANK[l] > RANK[worst]) worst = l;
    c.bell.hidden = !worst;
    setClass(c.bell, 'al-', worst);
    setText(c.bell, worst === 'critical' || worst === 'high' ? 'alert' : worst ? 'watch' : '');
    c.bell.title = worst ? c.activeAlerts.size + ' active alert' + (c.activeAlerts.size > 1 ? 's' : '') + ', worst ' + worst : '';
    c.tile.classList.toggle('alerting', !!worst);
  }

  function renderAlertSummary() {
    let active = 0;
    let escalated = 0;
    for (const r of state.alerts.values()) {
      const s = r.row.dataset.status;
      if (ACTIVE.has(s)) active++;
      if (s === 'escalated') escalated++;
    }
    setText($('alert-summary'), state.alerts.size === 0 ? '' : active + ' active' + (escalated ? ' · ' + escalated + ' escalated' : '') + ' · ' + state.alerts.size + ' shown');
  }

  document.querySelectorAll('.seg button').forEach((b) => b.addEventListener('click', () => {
    document.querySelectorAll('.seg button').forEach((x) => x.classList.toggle('on', x === b));
    feed.classList.toggle('only-active', b.dataset.filter === 'active');
  }));

  // ---------------------------------------------------------------------------------------------
  // LLM key pool

  const keysBody = $('keys').tBodies[0];

  function onKeys(pool) {
    if (!pool || !Array.isArray(pool.keys)) return;
    const seen = new Set();
    let active = 0;
    pool.keys.forEach((k, i) => {
      if (!k || k.id == null) return;
      const id = String(k.id);
      seen.add(id);
      let r = state.keys.get(id);
      if (!r) r = newKeyRow(id);
      if (keysBody.children[i] !== r.row) keysBody.insertBefore(r.row, keysBody.children[i] || null);
      const st = String(k.state || 'unknown');
      if (st === 'active') active++;
      r.row.dataset.state = st;
      setClass(r.row, 'ks-', st);
      setText(r.mask, safeMask(k.key));
      setText(r.prio, k.priority != null ? 'p' + k.priority : '');
      r.prio.title = 'priority';
      r.state = st;
      r.cooldownUntil = toMs(k.cooldown_until);
      r.badgeState = st.replace('_', ' ');
      setClass(r.badge, 'ks-', st);
      renderKeyState(r, serverNow());
      setText(r.reason, st === 'active' ? '' : (k.reason || ''));
      r.reason.title = k.reason || '';
      setText(r.inflight, num(k.in_flight) != null ? k.in_flight : '–');
      const qps = num(k.effective_qps);
      setText(r.qps, qps == null ? '–' : qps.toFixed(qps >= 100 ? 0 : 1));
      r.qps.title = 'effective request limit per second (adapts to the provider)';
      const sr = num(k.success_rate);
      setText(r.srText, sr == null ? '–' : Math.round(sr * 100) + '%');
      r.srBar.style.width = sr == null ? '0%' : Math.max(0, Math.min(100, sr * 100)) + '%';
      setClass(r.srBar, 'sr-', sr == null ? null : sr >= 0.95 ? 'good' : sr >= 0.8 ? 'ok' : 'bad');
    });
    for (const [id, r] of state.keys) {
      if (!seen.has(id)) { r.row.remove(); state.keys.delete(id); }
    }
    state.poolQueue = num(pool.queue_depth);
    $('keys-empty').hidden = state.keys.size > 0;
    if (state.keys.size === 0) setText($('keys-empty'), 'No LLM keys configured: every frame is judged by the rules.');
    setText($('pool-summary'), active + '/' + state.keys.size + ' active · ' + fmtInt(pool.in_flight) + ' in flight'
      + (state.poolQueue != null ? ' · queue ' + fmtInt(state.poolQueue) : ''));
  }

  function newKeyRow(id) {
    const row = keysBody.insertRow();
    row.dataset.keyId = id;
    const c0 = row.insertCell(); const c1 = row.insertCell(); const c2 = row.insertCell();
    const c3 = row.insertCell(); const c4 = row.insertCell();
    c2.className = 'num'; c3.className = 'num';
    const idLine = el('div', 'key-id', id);
    const maskLine = el('div', 'key-mask mono');
    const mask = el('span');
    const prio = el('span', 'key-prio');
    maskLine.append(mask, prio);
    c0.append(idLine, maskLine);
    const badge = el('span', 'badge kstate');
    const reason = el('div', 'key-reason');
    c1.append(badge, reason);
    const bar = el('div', 'sr');
    const srBar = el('i');
    bar.append(srBar);
    const srText = el('span', 'sr-text');
    c4.append(srText, bar);
    const r = { id, row, mask, prio, badge, reason, inflight: c2, qps: c3, srText, srBar };
    state.keys.set(id, r);
    return r;
  }

  function renderKeyState(r, now) {
    let text = r.badgeState;
    if (Number.isFinite(r.cooldownUntil) && r.cooldownUntil > now && r.state !== 'active') {
      text += ' ' + ((r.cooldownUntil - now) / 1000).toFixed(1) + ' s';
    }
    setText(r.badge, text);
  }

  // ---------------------------------------------------------------------------------------------
  // pipeline

  function kpi(id, value, sub, warn) {
    const box = $(id);
    setText(box.querySelector('.kpi-value'), value);
    if (sub != null) setText(box.querySelector('.kpi-sub'), sub);
    box.classList.toggle('warn', !!warn);
  }

  function onStats(s) {
    const now = Date.now();
    state.lastStatsAt = now;
    const at = num(s.at);
    if (at != null) state.clockOffset = at - now;
    const rates = s.rates || {};
    const totals = s.totals || {};
    const lagObj = s.consumer_lag || {};
    let lag = null;
    const lagParts = [];
    for (const [k, v] of Object.entries(lagObj)) {
      const n = num(v);
      if (n == null || n < 0) continue;
      lag = (lag || 0) + n;
      lagParts.push(({ bridge: 'br', aggregator: 'agg' }[k] || k) + ' ' + fmtInt(n));
    }
    const queue = num(s.llm_queue_depth) != null ? num(s.llm_queue_depth) : state.poolQueue;
    const p95 = num(s.pipeline_latency_ms_p95);
    const mean = num(s.pipeline_latency_ms_mean);
    const max = num(s.pipeline_latency_ms_max);
    const dl = num(totals.dead_letters) || 0;

    kpi('k-frames', fmtRate(rates.frames_per_s), dl > 0 ? fmtInt(dl) + ' dead letters' : fmtInt(totals.frames) + ' frames total', dl > 0);
    kpi('k-tasks', fmtRate(rates.tasks_per_s), fmtInt(totals.tasks) + ' tasks total');
    kpi('k-assess', fmtRate(rates.assessments_per_s), fmtRate(rates.llm_requests_per_s) + ' LLM calls/s');
    kpi('k-queue', queue == null ? '–' : fmtInt(queue), 'in flight ' + fmtInt(s.llm_in_flight), queue != null && queue > 500);
    kpi('k-lag', lag == null ? '–' : fmtInt(lag), lagParts.join(' · ') || 'records', lag != null && lag > 1000);
    $('k-lag').title = Object.entries(lagObj).map(([k, v]) => k + ': ' + v).join('\n');
    const lat = p95 != null ? p95 : mean;
    setText($('k-p95').querySelector('.kpi-label'), p95 != null ? 'latency p95' : 'latency mean');
    kpi('k-p95', lat == null ? '–' : fmtMs(lat), p95 != null ? 'mean ' + fmtMs(mean) : 'max ' + fmtMs(max), lat != null && lat > 10000);
    $('k-p95').title = 'detected → assessment published\np95 ' + fmtMs(p95) + '\nmean ' + fmtMs(mean) + '\nmax ' + fmtMs(max);

    const bb = s.backbone || {};
    const b = $('backbone');
    setText(b, (bb.mode || '?') + (bb.durable === false ? ' · not durable' : ' · durable'));
    b.classList.toggle('warn', bb.durable === false);
    b.title = bb.durable === false ? 'backbone is not durable: frames are lost on restart' : 'Kafka backbone';

    pushChart(at != null ? at : now, [rates.frames_per_s, rates.tasks_per_s, rates.assessments_per_s, rates.llm_requests_per_s],
      [queue, lag, lat == null ? null : lat / 1000]);
  }

  // charts (uPlot): fixed windows of CFG.chartPoints, shifted as points arrive
  const charts = [];
  const rateData = [[], [], [], [], []];
  const backlogData = [[], [], [], []];

  function makeChart(box, legend, data, series, rightAxis) {
    for (const s of series) {
      const item = el('span');
      const mark = el('i');
      mark.style.background = s.stroke;
      item.append(mark, document.createTextNode(s.label));
      legend.append(item);
    }
    if (typeof uPlot !== 'function') return null;
    const axis = { stroke: '#8b98a8', grid: { stroke: 'rgba(140,160,180,0.10)', width: 1 }, ticks: { stroke: 'rgba(140,160,180,0.15)', width: 1, size: 4 }, font: '11px system-ui, sans-serif', size: 34 };
    const axes = [Object.assign({}, axis, { space: 70, size: 22, values: (u, v) => v.map((t) => axisTime(t * 1000)) }), Object.assign({}, axis, { size: 40, values: (u, v) => v.map((x) => fmtInt(x)) })];
    if (rightAxis) axes.push(Object.assign({}, axis, { scale: 's', side: 1, size: 44, grid: { show: false }, values: (u, v) => v.map((x) => x + ' s') }));
    const opts = {
      width: Math.max(200, box.clientWidth),
      height: box.clientHeight || 130,
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] }, s: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      series: [{}].concat(series.map((s) => Object.assign({ width: 1.6, points: { show: false }, spanGaps: true }, s))),
      axes,
    };
    const u = new uPlot(opts, data, box);
    charts.push({ u, box });
    return u;
  }

  const rateChart = makeChart($('chart-rate'), $('legend-rate'), rateData, [
    { label: 'frames', stroke: '#4fa8ff', fill: 'rgba(79,168,255,0.10)' },
    { label: 'tasks', stroke: '#b083f0' },
    { label: 'assessments', stroke: '#3fb950' },
    { label: 'LLM calls', stroke: '#e5b53a' },
  ], false);
  const backlogChart = makeChart($('chart-backlog'), $('legend-backlog'), backlogData, [
    { label: 'LLM queue', stroke: '#e5b53a', fill: 'rgba(229,181,58,0.10)' },
    { label: 'consumer lag', stroke: '#b083f0' },
    { label: 'latency (s)', stroke: '#ff7b72', scale: 's' },
  ], true);

  function pushChart(atMs, rates, backlog) {
    const t = atMs / 1000;
    rateData[0].push(t);
    rates.forEach((v, i) => rateData[i + 1].push(num(v)));
    backlogData[0].push(t);
    backlog.forEach((v, i) => backlogData[i + 1].push(num(v)));
    for (const d of [rateData, backlogData]) {
      while (d[0].length > CFG.chartPoints) d.forEach((a) => a.shift());
    }
    if (document.hidden) return;
    if (rateChart) rateChart.setData(rateData);
    if (backlogChart) backlogChart.setData(backlogData);
  }

  if (charts.length && typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(() => {
      for (const c of charts) {
        const w = Math.max(200, Math.floor(c.box.clientWidth));
        const h = Math.floor(c.box.clientHeight) || c.u.height;
        if (Math.abs(w - c.u.width) > 2 || Math.abs(h - c.u.height) > 2) c.u.setSize({ width: w, height: h });
      }
    });
    charts.forEach((c) => ro.observe(c.box));
  }

  // ---------------------------------------------------------------------------------------------
  // camera view (dialog)

  const dialog = $('camview');
  const cv = {
    id: null, canvas: $('cv-canvas'), ctx: $('cv-canvas').getContext('2d'), next: null, items: [], remote: false, seq: 0,
  };

  function openCamera(id) {
    const c = camera(id);
    cv.id = id;
    cv.seq++;
    cv.items = [];
    cv.next = null;
    cv.remote = false;
    dialog.dataset.cameraId = id;
    setText($('cv-title'), id);
    $('cv-hist').replaceChildren();
    setText($('cv-hist-note'), 'Loading history…');
    setText($('cv-hist-count'), '');
    $('cv-more').hidden = true;
    if (c.a) cvAssessment(c, c.a, false); else cvLatest(c, null);
    drawFrame(cv.ctx, cv.canvas, c.frame, true);
    cvMeta(c);
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
    }
    loadHistory(false);
    getJson('/api/v1/cameras/' + encodeURIComponent(id)).then((r) => {
      if (cv.id !== id) return;
      if (num(r.assessments) != null) c.total = r.assessments;
      if (r.latest && !c.a) onAssessment(Object.assign({ camera_id: id }, r.latest));
      cvLatest(c, c.a);
    }).catch(() => {});
  }

  function closeCamera() {
    if (dialog.open && typeof dialog.close === 'function') dialog.close(); else dialog.removeAttribute('open');
  }

  dialog.addEventListener('close', () => {
    cv.id = null;
    cv.seq++;
    delete dialog.dataset.cameraId;
  });
  $('cv-close').addEventListener('click', closeCamera);
  dialog.addEventListener('click', (e) => { if (e.target === dialog) closeCamera(); }); // the backdrop
  $('cv-more').addEventListener('click', () => loadHistory(true));

  grid.addEventListener('click', (e) => {
    const t = e.target.closest('.tile');
    if (t) openCamera(t.dataset.cameraId);
  });
  grid.addEventListener('keydown', (e) => {
    const t = e.target.closest('.tile');
    if (t && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); openCamera(t.dataset.cameraId); }
  });

  function loadHistory(more) {
    const id = cv.id;
    const seq = cv.seq;
    let url = '/api/v1/cameras/' + encodeURIComponent(id) + '/history?limit=' + CFG.historyPage;
    if (more && cv.next) url += '&before=' + encodeURIComponent(cv.next);
    $('cv-more').disabled = true;
    getJson(url).then((r) => {
      if (cv.seq !== seq) return;
      cv.remote = true;
      const items = Array.isArray(r.items) ? r.items : [];
      items.forEach((a) => addHistoryRow(a, false));
      cv.next = r.next == null ? null : r.next;
      $('cv-more').hidden = !cv.next || cv.items.length >= CFG.historyRows;
      setText($('cv-hist-note'), cv.items.length === 0 ? 'No assessments stored for this camera yet.' : cv.next ? '' : 'End of history.');
    }).catch((e) => {
      if (cv.seq !== seq) return;
      const c = state.cameras.get(id);
      (c ? c.history : []).forEach((a) => addHistoryRow(a, false));
      $('cv-more').hidden = true;
      setText($('cv-hist-note'), (e.status === 404 ? 'No stored history from the gateway' : 'History could not be loaded (' + e.message + ')')
        + ' — showing the ' + cv.items.length + ' assessment' + (cv.items.length === 1 ? '' : 's') + ' this page received.');
    }).finally(() => { $('cv-more').disabled = false; });
  }

  function addHistoryRow(a, atTop) {
    if (!a) return;
    if (a.task_id && cv.items.some((x) => x.task_id === a.task_id)) return;
    const body = $('cv-hist');
    const lv = level(a.risk_level);
    const tr = document.createElement('tr');
    tr.className = 'lvl-' + (lv || 'none');
    const at = toMs(a.assessed_at);
    const cells = [fmtDateTime(at), lv || '?', num(a.risk_score) != null ? num(a.risk_score).toFixed(2) : '–', a.source || '', a.summary || ''];
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

  function cvAssessment(c, a, isNew) {
    cvLatest(c, a);
    if (isNew) addHistoryRow(a, true);
  }

  function cvLatest(c, a) {
    const lv = a ? level(a.risk_level) : null;
    const badge = $('cv-level');
    setText(badge, a ? (lv || 'unknown') + (num(a.risk_score) != null ? ' ' + num(a.risk_score).toFixed(2) : '') : 'pending');
    setClass(badge, 'b-', lv);
    const src = $('cv-source');
    setText(src, a ? (a.source === 'llm' ? 'LLM' : a.source || '') : '');
    setClass(src, 'src-', a && a.source);
    setText($('cv-summary'), a ? (a.summary || '(no summary)') : 'No assessment yet.');
    const recs = $('cv-recs');
    recs.replaceChildren();
    (a && Array.isArray(a.recommendations) ? a.recommendations.slice(0, 8) : []).forEach((r) => recs.append(el('li', null, String(r))));
    const facts = $('cv-facts');
    facts.replaceChildren();
    if (!a) return;
    const detected = toMs(a.detected_at);
    const assessed = toMs(a.assessed_at);
    const rows = [
      ['source', a.source === 'rules' ? 'rules fallback' : a.source],
      ['model', a.model],
      ['API key', a.api_key_id],
      ['LLM latency', num(a.latency_ms) != null ? fmtMs(a.latency_ms) : null],
      ['detected', Number.isFinite(detected) ? fmtDateTime(detected) : null],
      ['assessed', Number.isFinite(assessed) ? fmtDateTime(assessed) + ' (' + ago(serverNow() - assessed) + ')' : null],
      ['end to end', Number.isFinite(detected) && Number.isFinite(assessed) ? fmtMs(assessed - detected) : null],
      ['fallback', a.fallback_reason],
      ['scene', a.context && typeof a.context === 'object' ? describeContext(a.context) : null],
      ['task', a.task_id],
      ['assessments', num(c.total) != null ? String(c.total) : null],
    ];
    for (const [k, v] of rows) {
      if (v == null || v === '') continue;
      facts.append(el('dt', null, k), el('dd', null, String(v)));
    }
  }

  /** The bridge's task context (counts, trend, clusters, zones, change) in a line. */
  function describeContext(ctx) {
    const parts = [];
    if (ctx.counts && typeof ctx.counts === 'object') {
      const counts = Object.entries(ctx.counts).map(([k, v]) => v + ' ' + k);
      if (counts.length) parts.push(counts.join(', '));
    }
    if (Array.isArray(ctx.clusters) && ctx.clusters.length) parts.push(ctx.clusters.length + ' group' + (ctx.clusters.length > 1 ? 's' : ''));
    if (Array.isArray(ctx.zone_hits) && ctx.zone_hits.length) parts.push('zone: ' + ctx.zone_hits.map((z) => (z && (z.zone || z.name)) || z).join(', '));
    if (typeof ctx.change === 'string' && ctx.change) parts.push(ctx.change);
    return parts.length ? parts.join(' · ') : null;
  }

  function cvMeta(c) {
    const f = c.frame;
    const stale = $('cv-stale');
    stale.hidden = !c.stale;
    if (!f) { setText($('cv-meta'), 'No live frame yet.'); return; }
    const dets = Array.isArray(f.detections) ? f.detections : [];
    const counts = {};
    dets.forEach((d) => { const l = String((d && (d.label ?? d.class)) || '?'); counts[l] = (counts[l] || 0) + 1; });
    const parts = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([l, n]) => n + ' ' + l);
    setText($('cv-meta'), 'frame ' + (f.frame_id ?? '–') + ' · ' + (c.fps != null ? c.fps.toFixed(1) + ' fps' : '… fps')
      + ' · ' + (parts.length ? parts.join(', ') : 'nothing detected') + (f.model_type ? ' · ' + f.model_type : ''));
  }

  // ---------------------------------------------------------------------------------------------
  // the once-a-second tick: ages, staleness, countdowns, summaries

  function tick() {
    const now = Date.now();
    setText($('clock'), fmtTime(now));
    if (!document.hidden) {
      for (const c of state.cameras.values()) renderAge(c, now);
      for (const r of state.alerts.values()) setText(r.when, ago(serverNow() - r.lastSeen));
      renderCameraSummary();
      if (cv.id) {
        const c = state.cameras.get(cv.id);
        if (c) $('cv-stale').hidden = !c.stale;
      }
    }
    renderConn();
  }

  setInterval(tick, 1000);
  // cooldown countdowns run smoother than the rest
  setInterval(() => {
    const now = serverNow();
    for (const r of state.keys.values()) if (Number.isFinite(r.cooldownUntil)) renderKeyState(r, now);
  }, 250);

  $('cam-sort').addEventListener('change', () => {
    try { localStorage.setItem('argus.sort', sortMode()); } catch (e) { /* private mode */ }
    sortTiles();
  });
  $('cam-filter').addEventListener('input', () => state.cameras.forEach(applyFilter));
  try {
    const saved = localStorage.getItem('argus.sort');
    if (saved === 'risk' || saved === 'id') $('cam-sort').value = saved;
  } catch (e) { /* private mode */ }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    state.cameras.forEach(markDirty);
    if (rateChart) rateChart.setData(rateData);
    if (backlogChart) backlogChart.setData(backlogData);
  });

  tick();
  connect();
})();
