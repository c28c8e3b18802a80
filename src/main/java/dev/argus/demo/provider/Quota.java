package dev.argus.demo.provider;

/**
 * A total that never replenishes (credit balance, spend limit): once used up every call is refused with
 * {@code insufficient_quota}, for good.
 */
public final class Quota implements Limit {
  private final Unit unit;
  private final long total;
  private long used;

  public Quota(Unit unit, long total) {
    if (total < 0) throw new IllegalArgumentException("total >= 0 required");
    this.unit = unit;
    this.total = total;
  }

  @Override
  public long waitNanos(long tokens) {
    return used + unit.cost(tokens) <= total ? 0 : Long.MAX_VALUE;
  }

  @Override
  public void take(long tokens) {
    used += unit.cost(tokens);
  }

  @Override
  public void finish(long takenAt, long charged, long usedTokens) {
    if (unit == Unit.TOKENS) used += usedTokens - charged;
  }

  @Override
  public Refusal refusal() {
    return Refusal.QUOTA;
  }

  @Override
  public Level level() {
    return null;
  }
}
