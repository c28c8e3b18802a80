package dev.argus.demo.provider;

/** A clock the test steps by hand. */
final class ManualClock implements ProviderClock {
  long now;

  ManualClock(long startNanos) {
    now = startNanos;
  }

  @Override
  public long nanos() {
    return now;
  }

  void advanceMs(long ms) {
    now += ms * 1_000_000L;
  }
}
