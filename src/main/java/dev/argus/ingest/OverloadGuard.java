package dev.argus.ingest;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Whether one ingest event loop can take another write, decided before its body is read (a refusal then
 * costs next to nothing, so the writes that are taken keep their speed).
 *
 * <p>Two signs of overload. Writes waiting for the broker past {@code maxPendingWrites}: the backbone is
 * the bottleneck. The event loop running late: the CPU is. A saturated loop does not queue writes where
 * the handlers can count them; they wait unread in socket buffers, and every one of them waits a whole
 * pass of the loop. How late a timer on the loop fires measures that pass. One sample can be a GC pause,
 * so the delay is smoothed (an exponentially weighted mean over about ten samples) before it is judged.
 *
 * <p>Past the limit, a share of the writes is refused that grows with the delay, from none at the limit
 * to all at twice the limit (as RED does for queues): refusing everything at once would empty the loop,
 * then let everything in again, and swing between the two.
 */
public final class OverloadGuard {
  /** Weight of the newest sample: a time constant of about ten probe periods. */
  static final double ALPHA = 0.1;

  private final long maxDelayNanos;
  private final int maxPendingWrites;
  private final IntSupplier pendingWrites;
  private final LongSupplier nanos;
  private final java.util.function.DoubleSupplier random;
  private long armedAt;
  private long periodNanos;
  private double delayNanos;

  /** {@code maxDelayMs} 0 turns the delay check off. */
  public OverloadGuard(long maxDelayMs, int maxPendingWrites, IntSupplier pendingWrites, LongSupplier nanos) {
    this(maxDelayMs, maxPendingWrites, pendingWrites, nanos, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random}: uniform in [0, 1), which writes past the limit are refused. */
  OverloadGuard(long maxDelayMs, int maxPendingWrites, IntSupplier pendingWrites, LongSupplier nanos,
                java.util.function.DoubleSupplier random) {
    this.random = random;
    this.maxDelayNanos = maxDelayMs * 1_000_000L;
    this.maxPendingWrites = maxPendingWrites;
    this.pendingWrites = pendingWrites;
    this.nanos = nanos;
  }

  /** The probe timer was set for {@code periodMs} from now. */
  public void armed(long periodMs) {
    armedAt = nanos.getAsLong();
    periodNanos = periodMs * 1_000_000L;
  }

  /** The probe timer fired: how late it was is one sample of the loop's delay. */
  public void fired() {
    long late = Math.max(0, nanos.getAsLong() - armedAt - periodNanos);
    delayNanos += ALPHA * (late - delayNanos);
  }

  /** The loop's smoothed delay, in milliseconds. */
  public double delayMs() {
    return delayNanos / 1e6;
  }

  /** Null when a write may come in, else why not (for the 503's message). */
  public String refusal() {
    if (pendingWrites.getAsInt() >= maxPendingWrites) {
      return maxPendingWrites + " writes are waiting for the broker";
    }
    if (maxDelayNanos > 0 && delayNanos > maxDelayNanos
        && random.getAsDouble() < (delayNanos - maxDelayNanos) / (double) maxDelayNanos) {
      return String.format(java.util.Locale.ROOT, "the ingest event loop runs %.0f ms late (limit %d ms)",
          delayMs(), maxDelayNanos / 1_000_000L);
    }
    return null;
  }
}
