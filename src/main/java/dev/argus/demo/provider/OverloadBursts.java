package dev.argus.demo.provider;

import java.util.Random;

/**
 * Provider-wide overload that comes in bursts (503/529 for everyone for a while, nobody's rate at fault):
 * bursts of {@code burstNanos} start at random, {@code perMinute} of them a minute on average.
 */
public final class OverloadBursts {
  private final double meanGapNanos;
  private final long burstNanos;
  private final ProviderClock clock;
  private final Random random;
  private long burstStart;

  public OverloadBursts(double perMinute, long burstNanos, ProviderClock clock, Random random) {
    this.meanGapNanos = perMinute <= 0 ? Double.POSITIVE_INFINITY : 60e9 / perMinute;
    this.burstNanos = burstNanos;
    this.clock = clock;
    this.random = random;
    this.burstStart = clock.nanos() + gap();
  }

  private long gap() {
    if (Double.isInfinite(meanGapNanos)) return Long.MAX_VALUE / 4;
    return (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos); // exponential gaps: a Poisson process
  }

  /** Whether a call arriving now meets an overloaded provider. */
  public boolean overloaded() {
    long now = clock.nanos();
    while (now >= burstStart + burstNanos) burstStart = burstStart + burstNanos + gap();
    return now >= burstStart;
  }
}
