// The pipeline panel: KPIs from argus.stats, the backbone chip, and two uPlot charts (throughput;
// backlog and latency) over a fixed window of one point a second.
import { $, setText, el } from './dom.js';
import { num, fmtRate, fmtInt, fmtMs, axisTime } from './format.js';
import { pushWindow } from './lists.js';
import { summarizeStats } from './stats.js';
import { CFG, state } from './state.js';

function kpi(id, value, sub, warn) {
  const box = $(id);
  setText(box.querySelector('.kpi-value'), value);
  if (sub != null) setText(box.querySelector('.kpi-sub'), sub);
  box.classList.toggle('warn', !!warn);
}

export function onStats(s) {
  const now = Date.now();
  state.lastStatsAt = now;
  const at = num(s.at);
  if (at != null) state.clockOffset = at - now;
  const rates = s.rates || {};
  const totals = s.totals || {};
  const m = summarizeStats(s, state.poolQueue);
  const dl = m.deadLetters;

  kpi('k-frames', fmtRate(rates.frames_per_s), dl > 0 ? fmtInt(dl) + ' dead letters' : fmtInt(totals.frames) + ' frames total', dl > 0);
  kpi('k-tasks', fmtRate(rates.tasks_per_s), fmtInt(totals.tasks) + ' tasks total');
  kpi('k-assess', fmtRate(rates.assessments_per_s), fmtRate(rates.llm_requests_per_s) + ' LLM calls/s');
  kpi('k-queue', m.queue == null ? '–' : fmtInt(m.queue), 'in flight ' + fmtInt(s.llm_in_flight), m.queue != null && m.queue > 500);
  kpi('k-lag', m.lag == null ? '–' : fmtInt(m.lag), m.lagParts.join(' · ') || 'records', m.lag != null && m.lag > 1000);
  $('k-lag').title = m.lagTitle;
  setText($('k-p95').querySelector('.kpi-label'), m.p95 != null ? 'latency p95' : 'latency mean');
  kpi('k-p95', m.latency == null ? '–' : fmtMs(m.latency), m.p95 != null ? 'mean ' + fmtMs(m.mean) : 'max ' + fmtMs(m.max),
    m.latency != null && m.latency > 10000);
  $('k-p95').title = 'detected → assessment published\np95 ' + fmtMs(m.p95) + '\nmean ' + fmtMs(m.mean) + '\nmax ' + fmtMs(m.max);

  const bb = s.backbone || {};
  const b = $('backbone');
  setText(b, (bb.mode || '?') + (bb.durable === false ? ' · not durable' : ' · durable'));
  b.classList.toggle('warn', bb.durable === false);
  b.title = bb.durable === false ? 'backbone is not durable: frames are lost on restart' : 'Kafka backbone';

  pushChart(at != null ? at : now, [rates.frames_per_s, rates.tasks_per_s, rates.assessments_per_s, rates.llm_requests_per_s],
    [m.queue, m.lag, m.latency == null ? null : m.latency / 1000]);
}

// charts (uPlot, a classic script read from window): fixed windows of CFG.chartPoints
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
  const UPlot = window.uPlot;
  if (typeof UPlot !== 'function') return null;
  const axis = { stroke: '#8b98a8', grid: { stroke: 'rgba(140,160,180,0.10)', width: 1 }, ticks: { stroke: 'rgba(140,160,180,0.15)', width: 1, size: 4 }, font: '11px system-ui, sans-serif', size: 34 };
  const axes = [
    Object.assign({}, axis, { space: 70, size: 22, values: (u, v) => v.map((t) => axisTime(t * 1000)) }),
    Object.assign({}, axis, { size: 40, values: (u, v) => v.map((x) => fmtInt(x)) }),
  ];
  if (rightAxis) axes.push(Object.assign({}, axis, { scale: 's', side: 1, size: 44, grid: { show: false }, values: (u, v) => v.map((x) => x + ' s') }));
  const fromZero = (u, min, max) => [0, Math.max(1, max * 1.1)];
  const opts = {
    width: Math.max(200, box.clientWidth),
    height: box.clientHeight || 130,
    cursor: { drag: { x: false, y: false }, points: { size: 5 } },
    legend: { show: false },
    scales: { x: { time: true }, y: { range: fromZero }, s: { range: fromZero } },
    series: [{}].concat(series.map((s) => Object.assign({ width: 1.6, points: { show: false }, spanGaps: true }, s))),
    axes,
  };
  const u = new UPlot(opts, data, box);
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
  pushWindow(rateData, t, rates, CFG.chartPoints);
  pushWindow(backlogData, t, backlog, CFG.chartPoints);
  if (!document.hidden) redrawCharts();
}

/** Draws the charts from their data (after the page was hidden, or on a new point). */
export function redrawCharts() {
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
