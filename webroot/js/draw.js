// Draws a frame's detection boxes on a canvas (a tile's or the camera view's), scaled from frame
// coordinates to the canvas and centred.
import { num } from './format.js';
import { bbox, frameSize, fit, toCanvas } from './geometry.js';
import { labelColour, isHazard } from './risk.js';

const BACKGROUND = '#0a0f15';

/** Draws frame `f` (or the empty grid when null); `big` labels every box, a tile only the hazards. */
export function drawFrame(ctx, canvas, f, big) {
  const W = canvas.width;
  const H = canvas.height;
  ctx.fillStyle = BACKGROUND;
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
  const frame = frameSize(f);
  const t = fit(W, H, frame);
  if (t.ox > 1 || t.oy > 1) {
    ctx.strokeStyle = 'rgba(140, 170, 200, 0.18)';
    ctx.strokeRect(t.ox + 0.5, t.oy + 0.5, frame.w * t.k - 1, frame.h * t.k - 1);
  }
  const font = big ? 15 : 20;
  ctx.font = '600 ' + font + 'px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const d of Array.isArray(f.detections) ? f.detections : []) {
    const box = bbox(d);
    if (box) drawBox(ctx, d, toCanvas(box, t), font, big);
  }
}

function drawBox(ctx, d, r, font, big) {
  const label = String(d.label ?? d.class ?? '?');
  const colour = labelColour(label);
  const hazard = isHazard(label);
  ctx.globalAlpha = hazard ? 0.25 : 0.10;
  ctx.fillStyle = colour;
  ctx.fillRect(r.x, r.y, r.w, r.h);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = colour;
  ctx.lineWidth = hazard ? 3 : 2;
  ctx.strokeRect(r.x, r.y, r.w, r.h);
  if (!hazard && !big) return;
  const conf = num(d.confidence);
  let text = label + (conf != null ? ' ' + Math.round(conf * 100) + '%' : '');
  if (big && d.track_id != null) text += ' #' + d.track_id;
  const tw = ctx.measureText(text).width + 8;
  const ty = r.y - font - 4 >= 0 ? r.y - font - 4 : r.y;
  ctx.fillStyle = colour;
  ctx.fillRect(r.x - 1, ty, tw, font + 4);
  ctx.fillStyle = BACKGROUND;
  ctx.fillText(text, r.x + 3, ty + 2);
}
