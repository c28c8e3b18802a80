package dev.argus.demo.provider;

/**
 * At most {@code max} calls in flight (vLLM/Ollama's real limit; some hosted providers cap it per key).
 * A refused call is told that concurrency, not the rate, was exceeded.
 */
public final class ConcurrencyCap implements Limit {
  private final int max;
  private int inFlight;

  public ConcurrencyCap(int max) {
    if (max < 1) throw new IllegalArgumentException("max >= 1 required");
    this.max = max;
  }

  @Override
  public long waitNanos(long tokens) {
    return inFlight < max ? 0 : 1_000_000L; // unknown: when some call ends; suggest 1 ms
  }

  @Override
  public void take(long tokens) {
    inFlight++;
  }

  @Override
  public void finish(long takenAt, long charged, long used) {
    inFlight = Math.max(0, inFlight - 1);
  }

  @Override
  public Refusal refusal() {
    return Refusal.CONCURRENCY;
  }

  public int inFlight() {
    return inFlight;
  }

  @Override
  public Level level() {
    return null;
  }
}
