package dev.argus.demo.provider;

import java.util.ArrayDeque;

/**
 * At most {@code limit} within any {@code window} ending now (Azure checks RPM over 1 s or 10 s sliding
 * windows: 600 RPM over 10 s lets 100 through in any 10 s, however they bunch).
 */
public final class SlidingWindow implements Limit {
  private final Unit unit;
  private final long limit;
  private final long windowNanos;
  private final ProviderClock clock;
  /** Admitted calls, oldest first: {time, cost}. */
  private final ArrayDeque<long[]> log = new ArrayDeque<>();
  private long used;

  public SlidingWindow(Unit unit, long limit, long windowNanos, ProviderClock clock) {
    if (limit < 1 || windowNanos < 1) throw new IllegalArgumentException("limit >= 1 and a positive window required");
    this.unit = unit;
    this.limit = limit;
    this.windowNanos = windowNanos;
    this.clock = clock;
  }

  private long expire() {
    long now = clock.nanos();
    while (!log.isEmpty() && log.peekFirst()[0] + windowNanos <= now) used -= log.pollFirst()[1];
    return now;
  }

  @Override
  public long waitNanos(long tokens) {
    long now = expire();
    long cost = unit.cost(tokens);
    if (cost > limit) return Long.MAX_VALUE;
    long excess = used + cost - limit;
    if (excess <= 0) return 0;
    for (long[] e : log) { // the call passes once enough of the oldest entries have left the window
      excess -= e[1];
      if (excess <= 0) return e[0] + windowNanos - now;
    }
    return windowNanos;
  }

  @Override
  public void take(long tokens) {
    long now = expire();
    long cost = unit.cost(tokens);
    log.addLast(new long[] {now, cost});
    used += cost;
  }

  @Override
  public void finish(long takenAt, long charged, long usedTokens) {
    if (unit != Unit.TOKENS) return;
    long now = expire();
    long delta = usedTokens - charged;
    if (delta > 0) { // the excess counts as an entry of its own, now
      log.addLast(new long[] {now, delta});
      used += delta;
      return;
    }
    // The refund goes back to the call's own entry (the newest of its cost taken by then), if still in the window.
    for (var it = log.descendingIterator(); it.hasNext(); ) {
      long[] e = it.next();
      if (e[0] <= takenAt && e[1] == charged) {
        e[1] += delta;
        used += delta;
        return;
      }
    }
  }

  @Override
  public Level level() {
    long now = expire();
    long reset = log.isEmpty() ? 0 : log.peekLast()[0] + windowNanos - now;
    return new Level(unit, limit, Math.max(0, limit - used), reset);
  }
}
