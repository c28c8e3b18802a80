// Track paths on the camera view: the positions the gateway keeps per tracked object
// (GET /api/v1/cameras/{id}/tracks), the live frame's positions added as they come, and where each
// object is heading (a straight line fitted on its recent positions, followed for the prediction
// horizon, as the gateway's predictive alerts do). Pure helpers first (tested); drawing at the end.
import { num } from './format.js';

/** Positions a path keeps on the page (the oldest go first). */
export const MAX_POINTS = 120;
/** How far back the fitted line looks, like `aggregate.tracks.fitWindowMs` by default. */
export const FIT_WINDOW_MS = 3000;
/** A fit needs at least this much time between its first and last positions. */
const MIN_SPAN_MS = 200;

/**
 * The read API's answer as a Map track id → {id, label, points: [{x, y, t}] oldest first}; anything
 * malformed is skipped, never thrown on.
 */
export function pathsFrom(resp) {
  const out = new Map();
  for (const tr of (resp && Array.isArray(resp.tracks) ? resp.tracks : [])) {
    if (!tr || tr.track_id == null) continue;
    const points = [];
    for (const p of Array.isArray(tr.points) ? tr.points : []) {
      const pt = Array.isArray(p) ? { x: num(p[0]), y: num(p[1]), t: num(p[2]) } : null;
      if (pt && pt.x != null && pt.y != null && pt.t != null) points.push(pt);
    }
    points.sort((a, b) => a.t - b.t);
    if (points.length) out.set(String(tr.track_id), { id: String(tr.track_id), label: tr.label || '', points: points.slice(-MAX_POINTS) });
  }
  return out;
}

/** Adds a live frame's tracked boxes (their centres at the frame's time) to the paths, in place. */
export function addFrame(paths, frame, tMs) {
  for (const d of (frame && Array.isArray(frame.detections) ? frame.detections : [])) {
    if (!d || d.track_id == null || !Array.isArray(d.bbox) || d.bbox.length < 4) continue;
    const [x1, y1, x2, y2] = d.bbox.slice(0, 4).map(num);
    if (x1 == null || y1 == null || x2 == null || y2 == null) continue;
    const id = String(d.track_id);
    const path = paths.get(id) || { id, label: d.label || d.class || '', points: [] };
    const last = path.points[path.points.length - 1];
    if (!last || tMs > last.t) path.points.push({ x: (x1 + x2) / 2, y: (y1 + y2) / 2, t: tMs });
    if (path.points.length > MAX_POINTS) path.points.splice(0, path.points.length - MAX_POINTS);
    paths.set(id, path);
  }
  return paths;
}

/** Drops paths last seen before `sinceMs`, in place. */
export function prune(paths, sinceMs) {
  for (const [id, p] of paths) if (!p.points.length || p.points[p.points.length - 1].t < sinceMs) paths.delete(id);
  return paths;
}

/** Least-squares velocity {vx, vy} (per ms) of the positions within `windowMs` of the newest; null when too little motion. */
export function velocity(points, windowMs = FIT_WINDOW_MS) {
  if (!points.length) return null;
  const newest = points[points.length - 1].t;
  const pts = points.filter((p) => newest - p.t <= windowMs);
  if (pts.length < 2 || pts[pts.length - 1].t - pts[0].t < MIN_SPAN_MS) return null;
  const n = pts.length;
  const mt = pts.reduce((s, p) => s + p.t, 0) / n;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  let stt = 0; let stx = 0; let sty = 0;
  for (const p of pts) {
    const dt = p.t - mt;
    stt += dt * dt; stx += dt * (p.x - mx); sty += dt * (p.y - my);
  }
  return stt === 0 ? null : { vx: stx / stt, vy: sty / stt };
}

/** Where the object is heading: {from, to} followed for `horizonMs` from its newest position, or null. */
export function heading(points, horizonMs, windowMs = FIT_WINDOW_MS) {
  const v = velocity(points, windowMs);
  if (!v || !(horizonMs > 0)) return null;
  const last = points[points.length - 1];
  return { from: { x: last.x, y: last.y }, to: { x: last.x + v.vx * horizonMs, y: last.y + v.vy * horizonMs } };
}

/** A stable colour per track id (a hue from its characters). */
export function trackColour(id) {
  let h = 0;
  for (const ch of String(id)) h = (h * 31 + ch.codePointAt(0)) % 360;
  return 'hsl(' + h + ', 80%, 62%)';
}

/** A point in frame coordinates on the canvas (same fit as the boxes: geometry.fit). */
const onCanvas = (p, t) => ({ x: t.ox + p.x * t.k, y: t.oy + p.y * t.k });

/**
 * Draws the zones (dashed outlines), each path (a fading trail) and its heading (a dashed arrow) over
 * the frame already drawn with transform `t` (geometry.fit).
 */
export function drawTracks(ctx, t, paths, zones, horizonMs) {
  ctx.save();
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  ctx.strokeStyle = 'rgba(255, 120, 120, 0.7)';
  for (const z of Array.isArray(zones) ? zones : []) {
    const poly = (Array.isArray(z.polygon) ? z.polygon : []).map((p) => onCanvas({ x: num(p[0]), y: num(p[1]) }, t));
    if (poly.length < 3) continue;
    ctx.beginPath();
    poly.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
    ctx.closePath();
    ctx.stroke();
  }
  for (const path of paths.values()) {
    const colour = trackColour(path.id);
    const pts = path.points.map((p) => onCanvas(p, t));
    ctx.setLineDash([]);
    ctx.strokeStyle = colour;
    for (let i = 1; i < pts.length; i++) {
      ctx.globalAlpha = 0.15 + 0.85 * (i / pts.length);
      ctx.beginPath();
      ctx.moveTo(pts[i - 1].x, pts[i - 1].y);
      ctx.lineTo(pts[i].x, pts[i].y);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    const h = heading(path.points, horizonMs);
    if (!h) continue;
    const a = onCanvas(h.from, t);
    const b = onCanvas(h.to, t);
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.arc(b.x, b.y, 3, 0, Math.PI * 2);
    ctx.fillStyle = colour;
    ctx.fill();
  }
  ctx.restore();
}
