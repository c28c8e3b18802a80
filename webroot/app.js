// The first live page: cameras, alerts, key pool and pipeline rates, straight from the event bus.
(function () {
  'use strict';
  const MAX_ALERTS = 100;
  const tiles = new Map();
  const $ = (id) => document.getElementById(id);
  let delay = 1000;

  function connect() {
    const eb = new EventBus('/eventbus');
    eb.enableReconnect(true);
    eb.onopen = () => {
      delay = 1000;
      setConn(true);
      eb.registerHandler('argus.assessments', (err, msg) => !err && onAssessment(msg.body));
      eb.registerHandler('argus.alerts', (err, msg) => !err && onAlert(msg.body));
      eb.registerHandler('argus.stats', (err, msg) => !err && onStats(msg.body));
      eb.registerHandler('argus.llm.keys', (err, msg) => !err && onKeys(msg.body));
      eb.registerHandler('argus.detections', (err, msg) => !err && onFrame(msg.body));
    };
    eb.onclose = () => setConn(false);
  }

  function setConn(up) {
    const el = $('conn');
    el.textContent = up ? 'live' : 'reconnecting…';
    el.className = 'conn ' + (up ? 'conn-up' : 'conn-down');
    el.dataset.state = up ? 'open' : 'closed';
  }

  function tile(cameraId) {
    let t = tiles.get(cameraId);
    if (!t) {
      t = document.createElement('div');
      t.className = 'tile';
      t.dataset.cameraId = cameraId;
      t.innerHTML = '<h3><span class="name"></span><span class="level muted">–</span></h3><p class="summary muted">waiting for an assessment…</p><p class="frame muted"></p>';
      t.querySelector('.name').textContent = cameraId;
      $('cameras').appendChild(t);
      tiles.set(cameraId, t);
    }
    return t;
  }

  function onFrame(f) {
    const t = tile(f.camera_id);
    t.querySelector('.frame').textContent = (f.detections || []).length + ' objects in frame ' + (f.frame_id ?? '');
    t.dataset.lastFrame = Date.now();
  }

  function onAssessment(a) {
    const t = tile(a.camera_id);
    t.className = 'tile risk-' + a.risk_level;
    t.dataset.risk = a.risk_level;
    t.dataset.assessedAt = Date.now();
    t.querySelector('.level').textContent = a.risk_level + ' ' + Number(a.risk_score).toFixed(2) + ' · ' + a.source;
    t.querySelector('.summary').textContent = a.summary;
  }

  function onAlert(al) {
    const li = document.createElement('li');
    li.dataset.alertId = al.alert_id;
    li.dataset.cameraId = al.camera_id;
    li.textContent = new Date(al.last_seen).toLocaleTimeString() + ' ' + al.camera_id + ' ' + al.level.toUpperCase() + ': ' + al.message;
    const feed = $('alerts');
    feed.insertBefore(li, feed.firstChild);
    while (feed.children.length > MAX_ALERTS) feed.removeChild(feed.lastChild);
  }

  function onStats(s) {
    $('s-frames').textContent = s.rates.frames_per_s;
    $('s-tasks').textContent = s.rates.tasks_per_s;
    $('s-assess').textContent = s.rates.assessments_per_s;
    $('s-alerts').textContent = s.totals.alerts;
    $('s-inflight').textContent = s.llm_in_flight;
    $('s-latency').textContent = Math.round(s.pipeline_latency_ms_mean);
    $('backbone').textContent = 'backbone: ' + s.backbone.mode + (s.backbone.durable ? '' : ' (NOT durable)');
  }

  function onKeys(pool) {
    const body = $('keys').querySelector('tbody');
    pool.keys.forEach((k, i) => {
      let row = body.children[i];
      if (!row) { row = body.insertRow(); for (let c = 0; c < 4; c++) row.insertCell(); }
      row.dataset.keyId = k.id;
      row.dataset.state = k.state;
      row.cells[0].textContent = k.id + ' ' + k.key;
      row.cells[1].textContent = k.state;
      row.cells[2].textContent = k.in_flight;
      row.cells[3].textContent = k.success_rate == null ? '–' : Math.round(k.success_rate * 100) + '%';
    });
  }

  // Tiles with no assessment for 30 s are marked stale.
  setInterval(() => tiles.forEach((t) => t.classList.toggle('stale', Date.now() - (t.dataset.assessedAt || 0) > 30000)), 5000);
  connect();
})();
