// Timing decisions: the event bus's reconnect backoff, and coalescing bursts of calls. Pure: no DOM;
// timers are passed in so tests drive them.

/** The event-bus client's reconnect settings (vertx-eventbus.js option names). */
export const RECONNECT = Object.freeze({
  vertxbus_reconnect_delay_min: 1000,
  vertxbus_reconnect_delay_max: 15000,
  vertxbus_reconnect_exponent: 2,
  vertxbus_ping_interval: 5000,
});

// vertx-eventbus.js moves each delay up or down by up to this fraction (its default).
const RANDOMISATION = 0.5;

/**
 * The range the client's delay before reconnect attempt `attempt` (0 for the first) falls in:
 * min × exponent^attempt, moved by up to ±50 %, never over max. As vertx-eventbus.js computes it.
 */
export function reconnectDelay(attempt, opts = RECONNECT) {
  const base = opts.vertxbus_reconnect_delay_min * Math.pow(opts.vertxbus_reconnect_exponent, Math.max(0, attempt));
  const cap = opts.vertxbus_reconnect_delay_max;
  return {
    min: Math.min(Math.floor(base * (1 - RANDOMISATION)), cap),
    max: Math.min(Math.ceil(base * (1 + RANDOMISATION)), cap),
  };
}

/**
 * A function that runs `fn` once, `delayMs` after the first of any number of calls in between
 * (a burst of assessments re-sorts the wall once, not once each).
 */
export function coalesce(fn, delayMs, timers = { setTimeout: (f, ms) => setTimeout(f, ms) }) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    timers.setTimeout(() => { pending = false; fn(); }, delayMs);
  };
}
