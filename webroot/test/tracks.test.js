import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathsFrom, addFrame, prune, velocity, heading, trackColour, MAX_POINTS } from '../js/tracks.js';

const resp = {
  camera_id: 'cam',
  tracks: [
    { track_id: '7', label: 'person', points: [[300, 550, 1000], [200, 550, 0]] },
    { track_id: 9, label: 'car', points: [[1, 2, 3], ['x', 2, 4], 'junk'] },
    { label: 'no id', points: [[1, 1, 1]] },
    { track_id: 'empty', points: [] },
  ],
};

test('pathsFrom reads the API answer, oldest point first, and skips what is malformed', () => {
  const p = pathsFrom(resp);
  assert.deepEqual([...p.keys()], ['7', '9']);
  assert.deepEqual(p.get('7').points, [{ x: 200, y: 550, t: 0 }, { x: 300, y: 550, t: 1000 }]);
  assert.equal(p.get('7').label, 'person');
  assert.deepEqual(p.get('9').points, [{ x: 1, y: 2, t: 3 }]);
  assert.equal(pathsFrom(null).size, 0);
  assert.equal(pathsFrom({ tracks: 'no' }).size, 0);
});

test('addFrame appends the centres of tracked boxes, ignores untracked ones and older times', () => {
  const p = pathsFrom(resp);
  addFrame(p, { detections: [{ label: 'person', bbox: [390, 540, 410, 560], track_id: '7' },
    { label: 'person', bbox: [0, 0, 10, 10] }, { label: 'dog', bbox: [0, 0, 10, 10], track_id: 'd1' }] }, 2000);
  assert.deepEqual(p.get('7').points.at(-1), { x: 400, y: 550, t: 2000 });
  assert.deepEqual(p.get('d1').points, [{ x: 5, y: 5, t: 2000 }]);
  addFrame(p, { detections: [{ bbox: [0, 0, 2, 2], track_id: '7' }] }, 1500);
  assert.equal(p.get('7').points.length, 3, 'an older position is not appended');
  assert.equal(p.size, 3);
});

test('a path keeps at most MAX_POINTS positions', () => {
  const p = new Map();
  for (let i = 0; i < MAX_POINTS + 10; i++) addFrame(p, { detections: [{ bbox: [i, 0, i, 0], track_id: 'a' }] }, i);
  assert.equal(p.get('a').points.length, MAX_POINTS);
  assert.equal(p.get('a').points[0].t, 10);
});

test('prune drops paths not seen since the cut-off', () => {
  const p = pathsFrom(resp);
  prune(p, 500);
  assert.deepEqual([...p.keys()], ['7']);
});

test('velocity is the least-squares slope over the fit window, null for too little motion', () => {
  const pts = [{ x: 0, y: 10, t: 0 }, { x: 100, y: 10, t: 1000 }, { x: 200, y: 10, t: 2000 }];
  const v = velocity(pts);
  assert.ok(Math.abs(v.vx - 0.1) < 1e-12);
  assert.ok(Math.abs(v.vy) < 1e-12);
  assert.equal(velocity([{ x: 0, y: 0, t: 0 }, { x: 5, y: 0, t: 100 }]), null);
  assert.equal(velocity([]), null);
  // Positions older than the window do not count: the object turned around 4 s ago.
  const turned = [{ x: 1000, y: 0, t: 0 }, { x: 0, y: 0, t: 4000 }, { x: 100, y: 0, t: 5000 }, { x: 200, y: 0, t: 6000 }];
  assert.ok(velocity(turned, 3000).vx > 0);
});

test('heading follows the fitted line for the horizon', () => {
  const pts = [{ x: 0, y: 0, t: 0 }, { x: 100, y: 50, t: 1000 }];
  assert.deepEqual(heading(pts, 2000), { from: { x: 100, y: 50 }, to: { x: 300, y: 150 } });
  assert.equal(heading(pts, 0), null);
  assert.equal(heading([{ x: 1, y: 1, t: 0 }], 1000), null);
});

test('a track keeps its colour', () => {
  assert.equal(trackColour('7'), trackColour('7'));
  assert.match(trackColour('abc'), /^hsl\(\d+, 80%, 62%\)$/);
});
