// What the page knows, in one object (window.argus in the console and in the browser test), and its
// limits. No DOM.

export const CFG = Object.freeze({
  maxAlerts: 100,          // rows in the alert feed
  maxCameras: 1000,        // tiles; the least recently active one goes beyond that
  staleMs: 30000,          // no frame or no assessment for this long: the tile is stale
  chartPoints: 300,        // one point a second: the last 5 minutes
  localHistory: 20,        // assessments remembered per camera (fallback for the camera view)
  historyPage: 20,         // rows per REST history page
  historyRows: 200,        // rows kept in the camera view's history table
});

/** When the page started: tiles are not stale before they had a chance to hear from the gateway. */
export const started = Date.now();

export const state = {
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

/** The gateway's clock, as far as the page can tell. */
export const serverNow = () => Date.now() + state.clockOffset;
