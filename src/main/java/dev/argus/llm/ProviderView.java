package dev.argus.llm;

/**
 * The pool's copy of one provider counter (an account's requests or tokens), re-synced from every reply that
 * reports it, so that nothing is sent that the provider's own counter would refuse.
 *
 * <p>A reply's {@code remaining} is the counter as the provider stood when that call arrived, which is about
 * when it was sent; calls sent after it were not counted yet. So the copy is anchored at the call's send
 * time: {@code remaining} minus what was sent since, refilled from then at {@code (limit − remaining) / reset}
 * (the reset is when the counter is full again), until the reset, after which the copy is forgotten. For a
 * token bucket that is exact; for a fixed window it is early (the window refills all at once, at the reset),
 * and the one refusal that follows brings the provider's exact wait.
 */
final class ProviderView {
  private boolean known;
  private long anchor;          // pool nanos: the send time of the call whose reply was read
  private long resetAt;         // pool nanos
  private double available;     // at anchor, less everything sent since
  private double refillPerNano;

  /**
   * A reply to a call sent at {@code sentAt} reported {@code level}; {@code sentSince} (calls or tokens) went
   * out on the account after that call. {@code margin} (a share) slows the assumed refill against jitter;
   * {@code floorPerSecond} (0 when none) is a declared rate the refill is never assumed below, because some
   * resets are rounded up to the second (Anthropic's) and would make it look slower than it is.
   */
  void sync(ProviderSignals.Level level, long sentAt, long now, double sentSince, double margin, double floorPerSecond) {
    if (!level.known() || (known && sentAt - anchor < 0)) return; // an older report than the one we have
    known = true;
    anchor = sentAt;
    long resetNanos = level.resetMs() * 1_000_000L;
    // an absolute reset was turned into a wait when the reply was read: the counter is full that long after now
    if (level.resetFromReading()) resetNanos += Math.max(0, now - sentAt);
    resetAt = sentAt + resetNanos;
    available = level.remaining() - sentSince;
    refillPerNano = level.limit() > level.remaining() && resetNanos > 0
        ? (level.limit() - level.remaining()) * (1 - margin) / resetNanos : 0;
    refillPerNano = Math.max(refillPerNano, floorPerSecond * (1 - margin) / 1e9);
  }

  /** Nanoseconds until {@code cost} is available; 0 = now (or nothing known). */
  long waitNanos(long now, double cost) {
    if (!known || now - resetAt >= 0) return 0;
    double have = available + (now - anchor) * refillPerNano;
    if (have >= cost) return 0;
    if (refillPerNano <= 0) return resetAt - now;
    return Math.max(1, Math.min(resetAt - now, (long) Math.ceil((cost - have) / refillPerNano)));
  }

  /** What the provider's counter holds now by this copy; +infinity when nothing is known. */
  double have(long now) {
    if (!known || now - resetAt >= 0) return Double.POSITIVE_INFINITY;
    return available + (now - anchor) * refillPerNano;
  }

  void take(double cost) {
    if (known) available -= cost;
  }

  /** A charge given back (a call that used fewer tokens than it was charged). */
  void giveBack(double amount) {
    if (known) available += amount;
  }

  void forget() {
    known = false;
  }
}
