package dev.argus.demo.provider;

/**
 * Wall-clock time in nanoseconds since the epoch, injected into every limit so that tests can step it and
 * fixed windows can align on real minute and day boundaries.
 */
@FunctionalInterface
public interface ProviderClock {
  long nanos();

  /** Epoch-aligned, but monotonic between calls (a wall-clock step must not refill or empty a bucket). */
  static ProviderClock system() {
    long baseEpoch = System.currentTimeMillis() * 1_000_000L;
    long baseMono = System.nanoTime();
    return () -> baseEpoch + (System.nanoTime() - baseMono);
  }
}
