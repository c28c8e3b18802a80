package dev.argus.demo.provider;

/**
 * A continuously refilled bucket (Anthropic's model, and today's simulator): holds at most
 * {@code capacity}, gains {@code perSecond} a second, a call takes its cost. Capacity 1 means no burst
 * at all: calls must be spaced by 1/rate. Token buckets may go below zero when a reply used more than
 * its admission charge; the debt is repaid before the next call passes.
 */
public final class TokenBucket implements Limit {
  private final Unit unit;
  private final double capacity;
  private final double perNano;
  private final ProviderClock clock;
  private double level;
  private long at;

  public TokenBucket(Unit unit, long capacity, double perSecond, ProviderClock clock) {
    if (capacity < 1 || perSecond <= 0) throw new IllegalArgumentException("capacity >= 1 and perSecond > 0 required");
    this.unit = unit;
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.clock = clock;
    this.level = capacity;
    this.at = clock.nanos();
  }

  private void refill() {
    long now = clock.nanos();
    if (now > at) level = Math.min(capacity, level + (now - at) * perNano);
    at = Math.max(at, now);
  }

  @Override
  public long waitNanos(long tokens) {
    refill();
    double cost = unit.cost(tokens);
    if (cost > capacity) return Long.MAX_VALUE; // a call larger than the bucket never passes
    double missing = cost - level;
    return missing <= 1e-9 ? 0 : (long) Math.ceil(missing / perNano);
  }

  @Override
  public void take(long tokens) {
    refill();
    level -= unit.cost(tokens);
  }

  @Override
  public void finish(long takenAt, long charged, long used) {
    if (unit != Unit.TOKENS) return;
    refill();
    level = Math.min(capacity, level + charged - used);
  }

  @Override
  public Level level() {
    refill();
    long remaining = (long) Math.floor(Math.max(0, level));
    return new Level(unit, (long) capacity, remaining, (long) Math.ceil((capacity - level) / perNano));
  }
}
