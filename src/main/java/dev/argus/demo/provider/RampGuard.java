package dev.argus.demo.provider;

/**
 * OpenAI's {@code slow_down}: traffic that grows too fast from one second to the next is refused even when
 * the rate limits would admit it. A second may carry at most {@code max(floor, growth x the previous
 * second)} calls.
 */
public final class RampGuard implements Limit {
  private static final long SECOND = 1_000_000_000L;
  private final long floor;
  private final double growth;
  private final ProviderClock clock;
  private long second = Long.MIN_VALUE;
  private long current;
  private long previous;

  public RampGuard(long floor, double growth, ProviderClock clock) {
    if (floor < 1 || growth < 1) throw new IllegalArgumentException("floor >= 1 and growth >= 1 required");
    this.floor = floor;
    this.growth = growth;
    this.clock = clock;
  }

  private long roll() {
    long now = clock.nanos();
    long s = Math.floorDiv(now, SECOND);
    if (s != second) {
      previous = s == second + 1 ? current : 0;
      current = 0;
      second = s;
    }
    return now;
  }

  private long allowed() {
    return Math.max(floor, (long) Math.floor(growth * previous));
  }

  @Override
  public long waitNanos(long tokens) {
    long now = roll();
    return current < allowed() ? 0 : (second + 1) * SECOND - now;
  }

  @Override
  public void take(long tokens) {
    roll();
    current++;
  }

  @Override
  public Refusal refusal() {
    return Refusal.SLOW_DOWN;
  }

  @Override
  public Level level() {
    return null;
  }
}
