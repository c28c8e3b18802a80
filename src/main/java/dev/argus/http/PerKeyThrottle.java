package dev.argus.http;

import java.util.HashMap;
import java.util.Map;

/** Lets at most one event per key through in each interval (browsers get a few frames a second per camera). */
final class PerKeyThrottle {
  private final long intervalMs;
  private final Map<String, Long> lastPassed = new HashMap<>();

  public PerKeyThrottle(long intervalMs) {
    this.intervalMs = intervalMs;
  }

  public synchronized boolean allow(String key, long nowMs) {
    Long last = lastPassed.get(key);
    if (last != null && nowMs - last < intervalMs) return false;
    lastPassed.put(key, nowMs);
    return true;
  }
}
