// Detection boxes arrive in frame coordinates (pixels of the camera image); tiles and the camera
// view draw them on canvases of their own size. Pure: no DOM.
import { num } from './format.js';

/** Assumed when a frame states no size and its boxes fit inside it. */
export const DEFAULT_FRAME = Object.freeze({ w: 1280, h: 720 });

/** A box [x1, y1, x2, y2] with four numbers, else null. */
export function bbox(d) {
  const b = d && d.bbox;
  if (!Array.isArray(b) || b.length < 4) return null;
  const [x1, y1, x2, y2] = b.slice(0, 4).map(num);
  return x1 == null || y1 == null || x2 == null || y2 == null ? null : [x1, y1, x2, y2];
}

/**
 * The frame's size: image_width × image_height when given; otherwise the default, grown to hold
 * every box (so boxes from a larger camera still land inside the canvas).
 */
export function frameSize(f, fallback = DEFAULT_FRAME) {
  const w = num(f && f.image_width);
  const h = num(f && f.image_height);
  if (w > 0 && h > 0) return { w, h };
  let fw = fallback.w;
  let fh = fallback.h;
  for (const d of (f && Array.isArray(f.detections) ? f.detections : [])) {
    const b = d && d.bbox;
    if (Array.isArray(b) && b.length >= 4) {
      fw = Math.max(fw, num(b[2]) || 0);
      fh = Math.max(fh, num(b[3]) || 0);
    }
  }
  return { w: fw, h: fh };
}

/** Scale and offsets that fit a frame into a canvas, centred, keeping its aspect ratio. */
export function fit(canvasW, canvasH, frame) {
  const k = Math.min(canvasW / frame.w, canvasH / frame.h);
  return { k, ox: (canvasW - frame.w * k) / 2, oy: (canvasH - frame.h * k) / 2 };
}

/** A box in canvas coordinates {x, y, w, h}, whichever corners it was given by. */
export function toCanvas(box, t) {
  const [x1, y1, x2, y2] = box;
  return {
    x: t.ox + Math.min(x1, x2) * t.k,
    y: t.oy + Math.min(y1, y2) * t.k,
    w: Math.abs(x2 - x1) * t.k,
    h: Math.abs(y2 - y1) * t.k,
  };
}
