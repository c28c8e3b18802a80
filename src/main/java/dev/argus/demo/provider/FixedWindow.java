package dev.argus.demo.provider;

/**
 * At most {@code limit} per window, the windows aligned on the epoch (a 60 s window resets on the minute,
 * a day window at midnight UTC). Covers RPM/TPM that reset on the minute, RPD, and quantized enforcement
 * (600 RPM checked as 10 per one-second window).
 */
public final class FixedWindow implements Limit {
  private final Unit unit;
  private final long limit;
  private final long windowNanos;
  private final ProviderClock clock;
  private long window = Long.MIN_VALUE;
  private long used;

  public FixedWindow(Unit unit, long limit, long windowNanos, ProviderClock clock) {
    if (limit < 1 || windowNanos < 1) throw new IllegalArgumentException("limit >= 1 and a positive window required");
    this.unit = unit;
    this.limit = limit;
    this.windowNanos = windowNanos;
    this.clock = clock;
  }

  private long roll() {
    long now = clock.nanos();
    long w = Math.floorDiv(now, windowNanos);
    if (w != window) {
      window = w;
      used = 0;
    }
    return now;
  }

  @Override
  public long waitNanos(long tokens) {
    long now = roll();
    long cost = unit.cost(tokens);
    if (cost > limit) return Long.MAX_VALUE;
    return used + cost <= limit ? 0 : (window + 1) * windowNanos - now;
  }

  @Override
  public void take(long tokens) {
    roll();
    used += unit.cost(tokens);
  }

  @Override
  public void finish(long takenAt, long charged, long usedTokens) {
    if (unit != Unit.TOKENS) return;
    roll();
    long delta = usedTokens - charged;
    // A refund goes back to the window that was charged, if it is still the current one; a call that used
    // more than its charge counts the excess in the window where it ended.
    if (delta > 0 || Math.floorDiv(takenAt, windowNanos) == window) used = Math.max(0, used + delta);
  }

  @Override
  public Level level() {
    long now = roll();
    return new Level(unit, limit, Math.max(0, limit - used), (window + 1) * windowNanos - now);
  }
}
