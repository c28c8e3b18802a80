package dev.argus.demo.provider;

import dev.argus.config.LlmKeySpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit model admits exactly what it allows at its edges. */
class LimitModelsTest {
  private static final long MINUTE_START = 1_800_000_000L * 1_000_000_000L; // on a minute boundary
  private final ManualClock clock = new ManualClock(MINUTE_START);

  private static int admitted(LimitSet set, int tries, long tokens) {
    int n = 0;
    for (int i = 0; i < tries; i++) if (set.tryAdmit(tokens).admitted()) n++;
    return n;
  }

  @Test
  void bucketOfCapacityOneAdmitsOneCallPerRefillInterval() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.REQUESTS, 1, 10, clock)));
    assertEquals(1, admitted(set, 5, 0));
    clock.advanceMs(99);
    assertFalse(set.tryAdmit(0).admitted());
    clock.advanceMs(1);
    assertEquals(1, admitted(set, 5, 0));
  }

  @Test
  void bucketRefusalSaysHowLongUntilTheNextToken() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.REQUESTS, 1, 10, clock)));
    set.tryAdmit(0);
    clock.advanceMs(40);
    LimitSet.Decision d = set.tryAdmit(0);
    assertEquals(Refusal.RATE, d.refusal());
    assertEquals(60_000_000L, d.waitNanos());
  }

  @Test
  void aRefusalNamesTheUnitOfTheLimitWithTheLongestWait() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.TOKENS, 1_000, 100, clock),
        new TokenBucket(Unit.REQUESTS, 1, 10, clock)));
    assertTrue(set.tryAdmit(900).admitted());
    clock.advanceMs(10);
    LimitSet.Decision d = set.tryAdmit(900); // tokens: 8 s away; requests: 90 ms
    assertEquals(Refusal.RATE, d.refusal());
    assertEquals(Unit.TOKENS, d.unit());
    clock.advanceMs(8_000);
    assertTrue(set.tryAdmit(900).admitted());
    clock.advanceMs(10);
    assertEquals(Unit.TOKENS, set.tryAdmit(900).unit(), "the later limit's shorter wait does not rename it");
    clock.advanceMs(9_000);
    set.tryAdmit(1);
    assertEquals(Unit.REQUESTS, set.tryAdmit(1).unit(), "tokens left, no request");
  }

  @Test
  void bucketAdmitsItsCapacityAsABurstThenTheRefillRate() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.REQUESTS, 10, 10, clock)));
    assertEquals(10, admitted(set, 20, 0));
    clock.advanceMs(500);
    assertEquals(5, admitted(set, 20, 0));
  }

  @Test
  void fixedMinuteWindowResetsOnTheMinuteBoundary() {
    LimitSet set = new LimitSet(List.of(new FixedWindow(Unit.REQUESTS, 3, 60_000_000_000L, clock)));
    clock.advanceMs(59_000);
    assertEquals(3, admitted(set, 10, 0));
    LimitSet.Decision d = set.tryAdmit(0);
    assertEquals(1_000_000_000L, d.waitNanos());
    clock.advanceMs(1_000); // the next minute: a full window again, one second after the last burst
    assertEquals(3, admitted(set, 10, 0));
  }

  @Test
  void quantizedWindowLetsOnlyTheSecondsShareThroughEvenWhenTheMinuteIsUnused() {
    // 600 RPM enforced as 10 per second
    LimitSet set = new LimitSet(List.of(new FixedWindow(Unit.REQUESTS, 10, 1_000_000_000L, clock)));
    assertEquals(10, admitted(set, 30, 0));
    clock.advanceMs(999);
    assertEquals(0, admitted(set, 1, 0));
    clock.advanceMs(1);
    assertEquals(10, admitted(set, 30, 0));
  }

  @Test
  void slidingWindowCountsTheLastWindowWhereverItStarts() {
    LimitSet set = new LimitSet(List.of(new SlidingWindow(Unit.REQUESTS, 4, 10_000_000_000L, clock)));
    assertEquals(2, admitted(set, 2, 0));
    clock.advanceMs(5_000);
    assertEquals(2, admitted(set, 5, 0));
    LimitSet.Decision d = set.tryAdmit(0);
    assertEquals(5_000_000_000L, d.waitNanos()); // the two first calls leave the window then
    clock.advanceMs(5_000);
    assertEquals(2, admitted(set, 5, 0));
  }

  @Test
  void concurrencyCapRefusesWithItsOwnKindUntilACallEnds() {
    LimitSet set = new LimitSet(List.of(new ConcurrencyCap(2), new TokenBucket(Unit.REQUESTS, 100, 100, clock)));
    assertEquals(2, admitted(set, 5, 0));
    assertEquals(Refusal.CONCURRENCY, set.tryAdmit(0).refusal());
    set.finish(clock.now, 0, 0);
    assertEquals(1, admitted(set, 5, 0));
  }

  @Test
  void tpmChargesTheEstimateAndSettlesWithTheReportedUsage() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.TOKENS, 1000, 1000 / 60.0, clock)));
    assertTrue(set.tryAdmit(600).admitted());
    assertFalse(set.tryAdmit(600).admitted()); // 400 left
    set.finish(clock.now, 600, 200); // the reply used 200: 400 come back
    assertTrue(set.tryAdmit(800).admitted());
    assertFalse(set.tryAdmit(1).admitted());
  }

  @Test
  void fixedWindowTpmRefundsOnlyIntoTheWindowThatWasCharged() {
    LimitSet set = new LimitSet(List.of(new FixedWindow(Unit.TOKENS, 1000, 60_000_000_000L, clock)));
    long takenAt = clock.now;
    assertTrue(set.tryAdmit(600).admitted());
    set.finish(takenAt, 600, 100);
    assertTrue(set.tryAdmit(900).admitted()); // 500 back in this minute: 900 of 1000 used
    long lateTaken = clock.now;
    clock.advanceMs(60_000);
    assertTrue(set.tryAdmit(1000).admitted());
    set.finish(lateTaken, 900, 100); // charged last minute: nothing comes back into this one
    assertFalse(set.tryAdmit(1).admitted());
  }

  @Test
  void slidingWindowTpmSettlesTheCallsOwnEntry() {
    LimitSet set = new LimitSet(List.of(new SlidingWindow(Unit.TOKENS, 1000, 10_000_000_000L, clock)));
    long takenAt = clock.now;
    assertTrue(set.tryAdmit(600).admitted());
    clock.advanceMs(1_000);
    set.finish(takenAt, 600, 250);
    assertTrue(set.tryAdmit(750).admitted());
    assertFalse(set.tryAdmit(1).admitted());
  }

  @Test
  void aCallLargerThanTheTokenLimitNeverPasses() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.TOKENS, 1000, 1000, clock)));
    assertEquals(Long.MAX_VALUE, set.tryAdmit(1001).waitNanos());
  }

  @Test
  void exhaustedQuotaNeverRecoversAndOutranksTheRate() {
    LimitSet set = new LimitSet(List.of(new TokenBucket(Unit.REQUESTS, 1, 1, clock), new Quota(Unit.REQUESTS, 1)));
    assertTrue(set.tryAdmit(0).admitted());
    assertEquals(Refusal.QUOTA, set.tryAdmit(0).refusal());
    clock.advanceMs(86_400_000);
    assertEquals(Refusal.QUOTA, set.tryAdmit(0).refusal());
  }

  @Test
  void slowDownRefusesASecondThatMoreThanDoublesThePrevious() {
    LimitSet set = new LimitSet(List.of(new RampGuard(2, 2.0, clock)));
    assertEquals(2, admitted(set, 10, 0));
    clock.advanceMs(1_000);
    assertEquals(4, admitted(set, 10, 0));
    assertEquals(Refusal.SLOW_DOWN, set.tryAdmit(0).refusal());
  }

  @Test
  void keysOfOneAccountShareItsLimits() {
    JsonObject m = new JsonObject("""
        {"accounts": {"org-1": ["a", "b"]}, "account": [{"type": "token_bucket", "capacity": 3, "perSecond": 3}]}""");
    SimProvider p = new SimProvider(ProviderModel.parse("shared", m),
        List.of(key("a", "sk-a-000000000"), key("b", "sk-b-000000000"), key("c", "sk-c-000000000")), List.of(), clock, new Random(1));
    int admittedAB = 0;
    for (int i = 0; i < 5; i++) {
      if (p.arrive("sk-a-000000000", 0).admitted()) admittedAB++;
      if (p.arrive("sk-b-000000000", 0).admitted()) admittedAB++;
    }
    assertEquals(3, admittedAB);
    assertEquals(3, p.stats().account("org-1").admitted);
    int admittedC = 0;
    for (int i = 0; i < 5; i++) if (p.arrive("sk-c-000000000", 0).admitted()) admittedC++;
    assertEquals(3, admittedC); // c is its own account
  }

  @Test
  void aRevokedKeyIsAnsweredUnauthorized() {
    SimProvider p = new SimProvider(ProviderModel.legacyModel(), List.of(key("r", "sk-r-000000000")), List.of("sk-r-000000000"),
        clock, new Random(1));
    assertEquals(401, p.arrive("sk-r-000000000", 0).reply().status());
    assertEquals(1, p.stats().key("r").unauthorized);
  }

  @Test
  void legacyModelIsABucketOfOneSecondAtTheKeysQps() {
    SimProvider p = new SimProvider(ProviderModel.legacyModel(), List.of(key("a", "sk-a-000000000")), List.of(), clock, new Random(1));
    int n = 0;
    for (int i = 0; i < 20; i++) if (p.arrive("sk-a-000000000", 0).admitted()) n++;
    assertEquals(10, n);
    assertEquals(10, p.stats().key("a").rateLimited);
  }

  private static LlmKeySpec key(String id, String secret) {
    return new LlmKeySpec(id, secret, 1, 10, 0, 1, null, null);
  }
}
