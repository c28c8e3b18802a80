import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bbox, frameSize, fit, toCanvas } from '../js/geometry.js';

test('bbox takes four numbers (numeric strings too) and refuses anything short of that', () => {
  assert.deepEqual(bbox({ bbox: [1, '2', 3, 4] }), [1, 2, 3, 4]);
  assert.equal(bbox({ bbox: [1, 2, 3] }), null);
  assert.equal(bbox({ bbox: [1, 2, 'x', 4] }), null);
  assert.equal(bbox({}), null);
  assert.equal(bbox(null), null);
});

test('frameSize uses the stated image size', () => {
  assert.deepEqual(frameSize({ image_width: 640, image_height: 480, detections: [{ bbox: [0, 0, 2000, 2000] }] }), { w: 640, h: 480 });
});

test('frameSize without a stated size is 1280x720, grown to hold every box', () => {
  assert.deepEqual(frameSize({ detections: [] }), { w: 1280, h: 720 });
  assert.deepEqual(frameSize({ detections: [{ bbox: [0, 0, 1920, 1080] }] }), { w: 1920, h: 1080 });
});

test('a 16:9 frame fills a 16:9 canvas without offsets', () => {
  assert.deepEqual(fit(384, 216, { w: 1280, h: 720 }), { k: 0.3, ox: 0, oy: 0 });
});

test('a 4:3 frame is centred on a 16:9 canvas', () => {
  const t = fit(384, 216, { w: 640, h: 480 });
  assert.equal(t.k, 216 / 480);
  assert.equal(t.oy, 0);
  assert.equal(t.ox, (384 - 640 * t.k) / 2);
});

test('a box in frame coordinates lands where the browser test expects it on a tile', () => {
  // the knife [600,300,700,400] of a 1280x720 frame on the 384x216 tile canvas: x 180..210, y 90..120
  const r = toCanvas([600, 300, 700, 400], fit(384, 216, { w: 1280, h: 720 }));
  assert.deepEqual([r.x, r.y, r.w, r.h].map((v) => Math.round(v * 1000) / 1000), [180, 90, 30, 30]);
});

test('a box given by its other two corners is the same box', () => {
  const t = { k: 1, ox: 0, oy: 0 };
  assert.deepEqual(toCanvas([50, 60, 10, 20], t), toCanvas([10, 20, 50, 60], t));
});
