package dev.argus.detection;

/**
 * When the bridge should next look at its deferred frames. The periodic tick (200 ms) alone let a deferred
 * scene change go out up to a tick after it came due (100 ms late on average, measured by the bridge stage
 * timer); one timer armed for the earliest due time sends it on time. Only one timer is armed at a time: a
 * later due time than the armed one needs none (the armed timer fires first, and the tick is the backstop).
 * Measured with bench/latency together with the stage outputs' linger.ms=0 (README, bench/latency): bridge stage
 * mean 35.8 -> 29.5 ms in one smoke window each on a busy machine; a quiet-machine run is still to be made.
 */
final class DueWake {
  private static final long NONE = Long.MAX_VALUE;
  private long armedFor = NONE;

  /**
   * A frame is due at {@code dueMs}: the delay to arm a timer with (at least 1 ms), or -1 when a timer armed
   * for an earlier or equal time will do. The caller cancels the timer it had armed before, if any.
   */
  long arm(long dueMs, long nowMs) {
    if (dueMs >= armedFor) return -1;
    armedFor = dueMs;
    return Math.max(1, dueMs - nowMs);
  }

  /** The armed timer fired (or was cancelled): the next due time arms a new one. */
  void fired() {
    armedFor = NONE;
  }
}
