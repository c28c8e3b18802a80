package dev.argus.security;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class TokenRateLimitsTest {
  private long nanos = 1_000_000_000L;
  private final TimeMeter clock = new TimeMeter() {
    @Override
    public long currentTimeNanos() {
      return nanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  };
  private final TokenRateLimits limits = new TokenRateLimits(clock);
  private final IngestToken tenPerSecond = new IngestToken("ten-per-second", List.of(), 10);

  @Test
  void aTokenWithoutARateIsNeverLimited() {
    IngestToken free = new IngestToken("free-token", List.of(), 0);
    for (int i = 0; i < 1000; i++) assertTrue(limits.tryTake(free, 1000).allowed());
  }

  @Test
  void oneSecondsWorthPassesAtOnce() {
    assertTrue(limits.tryTake(tenPerSecond, 10).allowed());
  }

  @Test
  void beyondTheRateIsRefusedWithWhenToRetry() {
    assertTrue(limits.tryTake(tenPerSecond, 10).allowed());
    TokenRateLimits.Verdict v = limits.tryTake(tenPerSecond, 5);
    assertFalse(v.allowed());
    assertEquals(1, v.retryAfterSeconds());
    assertFalse(v.batchTooLarge());
  }

  @Test
  void theBucketRefillsWithTime() {
    assertTrue(limits.tryTake(tenPerSecond, 10).allowed());
    nanos += TimeUnit.MILLISECONDS.toNanos(500);
    assertTrue(limits.tryTake(tenPerSecond, 5).allowed());
    assertFalse(limits.tryTake(tenPerSecond, 1).allowed());
  }

  @Test
  void aBatchLargerThanOneSecondsWorthCanNeverPass() {
    TokenRateLimits.Verdict v = limits.tryTake(tenPerSecond, 11);
    assertFalse(v.allowed());
    assertTrue(v.batchTooLarge());
  }

  @Test
  void eachTokenHasItsOwnBucket() {
    IngestToken other = new IngestToken("other-ten-ps", List.of(), 10);
    assertTrue(limits.tryTake(tenPerSecond, 10).allowed());
    assertTrue(limits.tryTake(other, 10).allowed());
  }
}
