package dev.argus.llm;

/**
 * Success rate over a sliding time window, in fixed buckets (5 minutes of 10 s buckets by default),
 * so old outcomes age out instead of diluting the rate forever. Not thread-safe.
 */
public final class RollingRate {
  private final long bucketMs;
  private final long[] ok;
  private final long[] total;
  private final long[] bucketStart;

  public RollingRate(long windowMs, int buckets) {
    this.bucketMs = Math.max(1, windowMs / buckets);
    this.ok = new long[buckets];
    this.total = new long[buckets];
    this.bucketStart = new long[buckets];
  }

  public void record(boolean success, long nowMs) {
    int i = slot(nowMs);
    total[i]++;
    if (success) ok[i]++;
  }

  /** The share of successes in the window, or NaN when there were no calls. */
  public double rate(long nowMs) {
    long s = 0;
    long n = 0;
    for (int i = 0; i < total.length; i++) {
      if (nowMs - bucketStart[i] < bucketMs * total.length) {
        s += ok[i];
        n += total[i];
      }
    }
    return n == 0 ? Double.NaN : (double) s / n;
  }

  private int slot(long nowMs) {
    long start = nowMs - Math.floorMod(nowMs, bucketMs);
    int i = (int) Math.floorMod(start / bucketMs, (long) total.length);
    if (bucketStart[i] != start) {
      bucketStart[i] = start;
      ok[i] = 0;
      total[i] = 0;
    }
    return i;
  }
}
