package dev.argus.demo.provider;

/**
 * One limit of a simulated provider. Checking and taking are separate so that a call passes only when
 * every limit of its key and account admits it ({@link LimitSet}); a refused call takes nothing.
 */
public interface Limit {
  /** Nanoseconds until a call of {@code tokens} tokens could pass; 0 = now; {@link Long#MAX_VALUE} = never. */
  long waitNanos(long tokens);

  /** Records an admitted call of {@code tokens} tokens (its admission charge). */
  void take(long tokens);

  /**
   * The call admitted at {@code takenAt} has ended; {@code charged} tokens were taken at admission and
   * {@code used} is what its reply reported, so token limits settle the difference.
   */
  default void finish(long takenAt, long charged, long used) {}

  /** How a refusal by this limit is reported. */
  default Refusal refusal() {
    return Refusal.RATE;
  }

  /** Where the limit stands, for the rate-limit headers; null when it has no such figure. */
  Level level();

  /** Limit, remaining and time until fully replenished, in {@code unit}. */
  record Level(Unit unit, long limit, long remaining, long resetNanos) {}
}
