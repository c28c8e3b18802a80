package dev.argus.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each producer token's own rate limit, in frames per second, as a token bucket (Bucket4j) holding one
 * second of frames, so a producer may burst up to its rate at once. Shared by every HTTP server
 * instance of the process, so the limit does not multiply with the number of cores.
 */
public final class TokenRateLimits {
  private final TimeMeter time;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public TokenRateLimits(TimeMeter time) {
    this.time = time;
  }

  /**
   * Whether the frames may pass; if not, after how many seconds (at least 1) to retry, and whether the
   * batch is larger than one second's worth (then it can never pass whole: send smaller batches).
   */
  public record Verdict(boolean allowed, int retryAfterSeconds, boolean batchTooLarge) {}

  public Verdict tryTake(IngestToken token, int frames) {
    if (token.framesPerSecond() <= 0) return new Verdict(true, 0, false);
    int rate = token.framesPerSecond();
    Bucket bucket = buckets.computeIfAbsent(token.token(), t -> Bucket.builder()
        .addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)))
        .withCustomTimePrecision(time).build());
    if (frames > rate) {
      // More than a whole second's worth can never fit in the bucket: refuse outright.
      return new Verdict(false, 1, true);
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(frames);
    if (probe.isConsumed()) return new Verdict(true, 0, false);
    long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
    return new Verdict(false, (int) Math.max(1, seconds), false);
  }
}
