package dev.argus.llm;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class RetryAfterTest {
  /** 2024-03-01T12:00:00Z */
  private static final long NOW = ZonedDateTime.parse("2024-03-01T12:00:00Z").toInstant().toEpochMilli();

  private static Long parse(String... namesAndValues) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) h.put(namesAndValues[i], namesAndValues[i + 1]);
    return RetryAfter.parseMs(h::get, NOW);
  }

  @Test
  void retryAfterMsIsMilliseconds() {
    assertEquals(1500L, parse("retry-after-ms", "1500"));
    assertEquals(1501L, parse("retry-after-ms", "1500.2"), "fractions round up");
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    assertEquals(250L, parse("Retry-After", "3", "retry-after-ms", "250"));
  }

  @Test
  void retryAfterSecondsIncludingDecimals() {
    assertEquals(2000L, parse("Retry-After", "2"));
    assertEquals(2300L, parse("retry-after", "2.3"), "no floating-point creep: 2.3 s is 2300 ms");
    assertEquals(500L, parse("RETRY-AFTER", " 0.5 "));
    assertEquals(0L, parse("Retry-After", "0"));
  }

  @Test
  void retryAfterHttpDateIsRelativeToNow() {
    assertEquals(30_000L, parse("Retry-After", "Fri, 01 Mar 2024 12:00:30 GMT"));
  }

  @Test
  void retryAfterObsoleteDateFormsAreAccepted() {
    assertEquals(90_000L, parse("Retry-After", "Friday, 01-Mar-24 12:01:30 GMT"), "RFC 850");
    assertEquals(5_000L, parse("Retry-After", "Fri Mar  1 12:00:05 2024"), "asctime");
  }

  @Test
  void retryAfterDateInThePastMeansNoWait() {
    assertEquals(0L, parse("Retry-After", "Fri, 01 Mar 2024 11:59:00 GMT"));
  }

  @Test
  void openAiResetDurations() {
    assertEquals(1000L, parse("x-ratelimit-reset-requests", "1s"));
    assertEquals(360_000L, parse("x-ratelimit-reset-requests", "6m0s"));
    assertEquals(20L, parse("x-ratelimit-reset-requests", "20ms"));
    assertEquals(3_723_500L, parse("x-ratelimit-reset-requests", "1h2m3.5s"));
    assertEquals(1L, parse("x-ratelimit-reset-requests", "250us"), "sub-millisecond rounds up");
    assertEquals(0L, parse("x-ratelimit-reset-requests", "0"));
  }

  @Test
  void theLargerOfTheTwoResetHeadersIsTaken() {
    assertEquals(7_660L, parse("x-ratelimit-reset-requests", "120ms", "x-ratelimit-reset-tokens", "7.66s"));
    assertEquals(60_000L, parse("X-RateLimit-Reset-Requests", "1m", "X-RateLimit-Reset-Tokens", "2s"));
    assertEquals(2_000L, parse("x-ratelimit-reset-tokens", "2s"), "either alone is enough");
  }

  @Test
  void retryAfterWinsOverResetHeaders() {
    assertEquals(4_000L, parse("Retry-After", "4", "x-ratelimit-reset-requests", "10s"));
  }

  @Test
  void garbageIsNoAnswer() {
    assertNull(parse());
    assertNull(parse("Retry-After", ""));
    assertNull(parse("Retry-After", "soon"));
    assertNull(parse("Retry-After", "-5"), "negative is not a wait");
    assertNull(parse("Retry-After", "1e3"));
    assertNull(parse("Retry-After", "Fri, 32 Mar 2024 12:00:30 GMT"));
    assertNull(parse("retry-after-ms", "NaN"));
    assertNull(parse("x-ratelimit-reset-requests", "5"), "a bare number is not a Go duration");
    assertNull(parse("x-ratelimit-reset-requests", "1x"));
    assertNull(parse("x-ratelimit-reset-requests", "s1"));
    assertNull(parse("x-ratelimit-reset-requests", "1s junk"));
    assertNull(parse("x-ratelimit-reset-requests", "-1s"));
  }

  @Test
  void garbageInOneHeaderFallsThroughToTheNext() {
    assertEquals(3_000L, parse("retry-after-ms", "later", "Retry-After", "3"));
    assertEquals(1_000L, parse("Retry-After", "later", "x-ratelimit-reset-requests", "1s"));
  }

  @Test
  void hugeValuesSaturateInsteadOfOverflowing() {
    assertEquals(Long.MAX_VALUE, parse("Retry-After", "99999999999999999999999"));
  }
}
