// Is a camera alive: its frame rate and whether its tile is stale. Pure: no DOM.
import { num, toMs, ago } from './format.js';

const MAX_SAMPLES = 12;
const SAMPLE_WINDOW_MS = 10000;

/**
 * Records a frame in `samples` and returns the camera's frames a second, or null while it cannot
 * tell. Uses frame ids and timestamps when they grow (exact even though the bridge throttles what
 * the page sees), else the arrival times.
 */
export function sampleFps(samples, f, now) {
  const ts = toMs(f.timestamp);
  const n = num(f.frame_id);
  const s = samples;
  if (s.length && n != null && s[s.length - 1].n != null && n < s[s.length - 1].n) s.length = 0; // restarted
  s.push({ t: Number.isFinite(ts) ? ts : now, n, at: now });
  while (s.length > MAX_SAMPLES || (s.length > 2 && now - s[0].at > SAMPLE_WINDOW_MS)) s.shift();
  if (s.length < 2) return null;
  const a = s[0];
  const b = s[s.length - 1];
  if (a.n != null && b.n != null && b.n > a.n && b.t > a.t) return (b.n - a.n) * 1000 / (b.t - a.t);
  if (b.at > a.at) return (s.length - 1) * 1000 / (b.at - a.at);
  return null;
}

/**
 * Whether a tile is stale: no frame, or no assessment, for longer than `staleMs`. `sinceFrame` and
 * `sinceAssessment` are the elapsed ms; `why` says which, for the tooltip ('' when not stale).
 */
export function staleness(sinceFrame, sinceAssessment, staleMs) {
  if (sinceFrame > staleMs) return { stale: true, why: 'no frames ' + ago(sinceFrame).replace(' ago', '') };
  if (sinceAssessment > staleMs) return { stale: true, why: 'no assessment ' + ago(sinceAssessment).replace(' ago', '') };
  return { stale: false, why: '' };
}

/** The tile's signal line: "12.5 fps · 3 obj", or why there is none. */
export function signalLine(sinceFrameMs, everFramed, fps, objects) {
  if (sinceFrameMs > 5000) return everFramed ? 'no signal' : 'waiting';
  return (fps != null ? fps.toFixed(1) : '…') + ' fps · ' + objects + ' obj';
}
