package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import dev.argus.llm.KeyPool.Lease;
import dev.argus.llm.KeyPool.Settings;
import dev.argus.llm.KeyPool.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class KeyPoolTest {
  private static final long MS = 1_000_000L;
  private static final long WALL = 1_700_000_000_000L;

  /** The fake clock, in nanoseconds; starts far from zero like System.nanoTime. */
  private static final long START = 5_000_000_000_000L;
  private final long[] now = {START};
  private final Random random = new Random(42);

  private void advanceMs(long ms) {
    now[0] += ms * MS;
  }

  private static LlmKeySpec key(String id, int priority, double qps, int rpm, int weight) {
    return new LlmKeySpec(id, "sk-" + id + "-SECRETSECRET" + id, priority, qps, rpm, weight, null, null);
  }

  private static LlmKeySpec key(String id, double qps) {
    return key(id, 1, qps, 0, 1);
  }

  private KeyPool pool(Settings settings, LlmKeySpec... specs) {
    return new KeyPool(List.of(specs), settings, () -> now[0], random, WALL);
  }

  /** Cooling from 1 s to 8 s, no jitter. */
  private KeyPool pool(SelectionStrategy strategy, LlmKeySpec... specs) {
    return pool(new Settings(strategy, 1_000, 8_000, 0.0), specs);
  }

  private KeyPool pool(LlmKeySpec... specs) {
    return pool(SelectionStrategy.LEAST_LOADED, specs);
  }

  private static Lease take(KeyPool p) {
    return p.acquire(Set.of(), id -> true);
  }

  private static String takeAndSucceed(KeyPool p) {
    Lease l = take(p);
    if (l == null) return null;
    p.succeeded(l);
    return l.id();
  }

  /**
   * The account's first refusal once the provider has answered is a stray and changes nothing: gives it that
   * one, then a clean call a second later (past the gentle resumption), so that the next refusal acts.
   */
  private void pastTheFirstStray(KeyPool p) {
    p.rateLimited(take(p), 0L);
    advanceMs(1_000);
    p.succeeded(take(p));
    advanceMs(1_000);
  }

  /** One answered call per key, so none is PROBING any more. */
  private static void prove(KeyPool p) {
    Set<String> all = p.snapshot().stream().map(KeyPool.KeyView::id).collect(Collectors.toSet());
    for (String id : all) {
      Set<String> others = all.stream().filter(o -> !o.equals(id)).collect(Collectors.toSet());
      Lease l = p.acquire(others, x -> true);
      assertNotNull(l, "could not prove " + id);
      p.succeeded(l);
    }
  }

  private static KeyPool.KeyView view(KeyPool p, String id) {
    return p.snapshot().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
  }

  /** The cooldown left, from the wall-clock deadline in the key's view. */
  private long cooldownMs(KeyPool p, String id) {
    long until = view(p, id).cooldownUntilMs();
    return until == 0 ? 0 : until - (WALL + (now[0] - START) / MS);
  }

  // ------------------------------------------------------------------ buckets

  @Test
  void qpsBucketRefusesPastTheLimitAndRefillsWithTime() {
    KeyPool p = pool(key("a", 3));
    for (int i = 0; i < 3; i++) assertEquals("a", takeAndSucceed(p));
    assertNull(take(p), "three per second, all three spent");
    advanceMs(300);
    assertNull(take(p), "0.9 of a token is not a token");
    advanceMs(34);
    assertEquals("a", takeAndSucceed(p));
    assertNull(take(p));
    advanceMs(10_000);
    for (int i = 0; i < 3; i++) assertEquals("a", takeAndSucceed(p));
    assertNull(take(p), "the bucket holds at most its capacity, however long it rested");
  }

  @Test
  void fractionalQpsGetsABucketOfOneRefilledAtThatRate() {
    KeyPool p = pool(key("a", 0.5));
    assertEquals("a", takeAndSucceed(p));
    assertNull(take(p));
    assertEquals(2_000 * MS, p.nanosUntilAvailable(Set.of()), 1 * MS);
    advanceMs(2_000);
    assertEquals("a", takeAndSucceed(p));
  }

  @Test
  void rpmLimitBindsWhenQpsWouldAllow() {
    KeyPool p = pool(key("a", 1, 10, 15, 1));
    for (int i = 0; i < 10; i++) assertEquals("a", takeAndSucceed(p));
    assertNull(take(p));
    advanceMs(1_000);
    // QPS is full again (10) but the minute bucket has 5 + 0.25 left
    for (int i = 0; i < 5; i++) assertEquals("a", takeAndSucceed(p));
    assertNull(take(p), "the RPM bucket is empty although the QPS bucket is not");
    long wait = p.nanosUntilAvailable(Set.of());
    assertEquals(3_000 * MS, wait, 1 * MS, "0.75 of a token at 15/min is 3 s");
  }

  @Test
  void aKeyWithNoKnownLimitsIsNotThrottled() {
    KeyPool p = pool(key("a", 0));
    prove(p);
    List<Lease> held = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) held.add(take(p));
    assertFalse(held.contains(null));
    assertEquals(1_000, view(p, "a").inFlight());
    assertTrue(Double.isNaN(view(p, "a").effectiveQps()));
  }

  // ------------------------------------------------------------------ strategies

  @Test
  void leastLoadedPicksFewestInFlightRelativeToLimitThenPriorityThenLeastRecentlyChosen() {
    KeyPool p = pool(SelectionStrategy.LEAST_LOADED, key("a", 1, 10, 0, 1), key("b", 1, 2, 0, 1), key("c", 2, 0, 0, 1));
    prove(p);
    advanceMs(1_000);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 9; i++) order.add(take(p).id()); // held: nothing is released
    // loads a=n/10, b=n/2, c=n/1; ties go to priority 1 (a, b) before c, then to the key chosen longest ago
    // (the 8th: a at 5/10 and b at 1/2 tie, b was chosen longer ago), then by id
    assertEquals(List.of("a", "b", "c", "a", "a", "a", "a", "b", "a"), order);
  }

  @Test
  void leastLoadedSpreadsEqualLoadsOverTheKeysInsteadOfPilingOnTheFirst() {
    // three keys of one account, nothing in flight between calls (a fast provider): every load is 0
    KeyPool p = pool(SelectionStrategy.LEAST_LOADED,
        new LlmKeySpec("a", "sk-a-SECRETSECRETa", 1, 0, 0, 1, null, null, "org", 0),
        new LlmKeySpec("b", "sk-b-SECRETSECRETb", 1, 0, 0, 1, null, null, "org", 0),
        new LlmKeySpec("c", "sk-c-SECRETSECRETc", 1, 0, 0, 1, null, null, "org", 0));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) order.add(takeAndSucceed(p));
    assertEquals(List.of("a", "b", "c", "a", "b", "c"), order, "the key chosen longest ago takes the tie");
  }

  @Test
  void leastLoadedFollowsReleases() {
    KeyPool p = pool(SelectionStrategy.LEAST_LOADED, key("a", 0), key("b", 0));
    prove(p);
    Lease a = take(p);
    Lease b = take(p);
    assertEquals(List.of("a", "b"), List.of(a.id(), b.id()));
    p.succeeded(b);
    assertEquals("b", take(p).id(), "b has nothing in flight now, a still has one");
  }

  @Test
  void roundRobinTakesKeysInTurnSkippingUnusableOnes() {
    KeyPool p = pool(SelectionStrategy.ROUND_ROBIN, key("a", 0), key("b", 0), key("c", 0));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) order.add(takeAndSucceed(p));
    Lease l = p.acquire(Set.of(), id -> !id.equals("b")); // b's breaker is open: its turn passes to c
    order.add(l.id());
    p.succeeded(l);
    order.add(takeAndSucceed(p));
    order.add(takeAndSucceed(p));
    l = p.acquire(Set.of("c"), id -> true); // c already tried by this task
    order.add(l.id());
    assertEquals(List.of("a", "b", "c", "a", "c", "a", "b", "a"), order);
  }

  @Test
  void weightedIsSmoothWeightedRoundRobin() {
    KeyPool p = pool(SelectionStrategy.WEIGHTED, key("a", 1, 0, 0, 5), key("b", 1, 0, 0, 1), key("c", 1, 0, 0, 1));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 14; i++) order.add(takeAndSucceed(p));
    // nginx's example: weights 5,1,1 give a a b a c a a, spread rather than a a a a a b c
    assertEquals(List.of("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"), order);
  }

  @Test
  void weightedPrefersTheLowerPriorityNumberAmongEqualCandidates() {
    KeyPool p = pool(SelectionStrategy.WEIGHTED, key("a", 2, 0, 0, 1), key("b", 1, 0, 0, 1));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) order.add(takeAndSucceed(p));
    assertEquals(List.of("b", "a", "b", "a"), order);
  }

  @Test
  void weightedSkipsUnusableKeysWithoutStarvingTheOthers() {
    KeyPool p = pool(SelectionStrategy.WEIGHTED, key("a", 1, 0, 0, 3), key("b", 1, 0, 0, 1));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Lease l = p.acquire(Set.of("a"), id -> true);
      order.add(l.id());
      p.succeeded(l);
    }
    assertEquals(List.of("b", "b", "b"), order);
  }

  // ------------------------------------------------------------------ cooling

  @Test
  void cooldownUsesRetryAfter() {
    KeyPool p = pool(key("a", 1));
    p.rateLimited(take(p), 2_500L);
    assertEquals(State.COOLING, view(p, "a").state());
    assertEquals(2_500, cooldownMs(p, "a"));
    assertEquals(2_500 * MS, p.nanosUntilAvailable(Set.of()));
    advanceMs(2_499);
    assertNull(take(p));
    advanceMs(1);
    assertEquals(State.ACTIVE, view(p, "a").state(), "a 429 is an answer: the key is proven");
    assertEquals(0, view(p, "a").cooldownUntilMs());
    assertNotNull(take(p));
  }

  @Test
  void cooldownWithoutRetryAfterDoublesFromMinAndIsCappedAtMax() {
    KeyPool p = pool(key("a", 1)); // min 1 s, max 8 s
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Lease l = take(p);
      assertNotNull(l, "usable again once the cooldown passed");
      p.rateLimited(l, null);
      waits.add(cooldownMs(p, "a"));
      advanceMs(waits.get(i));
    }
    assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 8_000L, 8_000L), waits);
  }

  @Test
  void aSuccessResetsTheBackoff() {
    KeyPool p = pool(key("a", 1));
    p.rateLimited(take(p), null);
    advanceMs(1_000);
    p.rateLimited(take(p), null);
    assertEquals(2_000, cooldownMs(p, "a"));
    advanceMs(2_000);
    p.succeeded(take(p));
    advanceMs(1_000);
    p.rateLimited(take(p), null);
    assertEquals(1_000, cooldownMs(p, "a"));
  }

  @Test
  void jitterAddsUpToTheFractionOfTheWait() {
    Settings s = new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.5);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 2_000; i++) {
      KeyPool p = pool(s, key("a", 1));
      p.rateLimited(take(p), i % 2 == 0 ? 2_000L : null); // Retry-After 2 s, or the 1 s backoff
      long base = i % 2 == 0 ? 2_000 * MS : 1_000 * MS;
      long wait = p.nanosUntilAvailable(Set.of());
      assertTrue(wait >= base && wait <= base + base / 2, "wait " + wait + " outside [base, 1.5 base]");
      double share = (double) (wait - base) / base;
      min = Math.min(min, Math.round(share * 1000));
      max = Math.max(max, Math.round(share * 1000));
    }
    assertTrue(min < 10, "jitter reaches near zero, least was " + min + "/1000");
    assertTrue(max > 490, "jitter reaches near the fraction, most was " + max + "/1000");
  }

  @Test
  void reCoolingNeverShortensTheDeadline() {
    KeyPool p = pool(key("a", 10));
    prove(p);
    Lease first = take(p);
    Lease second = take(p);
    p.rateLimited(first, 10_000L);
    advanceMs(100);
    p.rateLimited(second, 1_000L); // a later 429 with a shorter Retry-After
    assertEquals(9_900, cooldownMs(p, "a"), "still the first deadline, 10 s after the first 429");
    assertEquals(9_900 * MS, p.nanosUntilAvailable(Set.of()));
    advanceMs(5_000);
    assertEquals(State.COOLING, view(p, "a").state());
  }

  @Test
  void reCoolingExtendsToALongerDeadline() {
    KeyPool p = pool(key("a", 10));
    prove(p);
    Lease first = take(p);
    Lease second = take(p);
    p.rateLimited(first, 1_000L);
    p.rateLimited(second, 10_000L);
    assertEquals(10_000, cooldownMs(p, "a"));
  }

  @Test
  void aCoolingKeyIsSkippedForTheOthers() {
    KeyPool p = pool(SelectionStrategy.ROUND_ROBIN, key("a", 0), key("b", 0));
    p.rateLimited(take(p), 5_000L);
    assertEquals(List.of("b", "b"), Arrays.asList(takeAndSucceed(p), takeAndSucceed(p)));
  }

  // ------------------------------------------------------------------ AIMD

  @Test
  void a429UnderTheLimitHalvesTheRateAndTheBucketFollows() {
    KeyPool p = pool(key("a", 4));
    prove(p);
    pastTheFirstStray(p);
    Lease answered = take(p);
    Lease refused = take(p);
    p.succeeded(answered); // the provider took a call this second: the next ones are no resumption after a pause
    p.rateLimited(refused, 0L); // two calls in the last second, limit 4: the real limit is lower
    assertEquals(2.0, view(p, "a").effectiveQps());
    // the bucket had 2 tokens left; at 2 qps it holds at most 2 (calls held, so no success raises the rate)
    assertNotNull(take(p));
    assertNotNull(take(p));
    assertNull(take(p));
    advanceMs(499);
    assertNull(take(p));
    advanceMs(1);
    assertNotNull(take(p), "refilled at the halved rate: one token per 500 ms");
  }

  @Test
  void afterTheProviderStoppedTheCallsTheFirstSecondBackCarriesHalfTheRate() {
    KeyPool p = pool(key("a", 4));
    prove(p);
    advanceMs(1_000);
    p.failed(take(p)); // an overloaded provider (503): the breaker's business, and the calls pause
    advanceMs(3_000);
    assertEquals("a", takeAndSucceed(p));
    assertEquals("a", takeAndSucceed(p));
    assertNull(take(p), "half of 4 per second in the first second back (slow_down, acceleration limits)");
    advanceMs(1_000);
    for (int i = 0; i < 2; i++) assertEquals("a", takeAndSucceed(p), "then the whole rate again, as the bucket refills");
  }

  @Test
  void aSecondOfOverloadedRepliesIsASecondWithoutCallsSoTheNextSecondCarriesHalfTheRate() {
    KeyPool p = pool(key("a", 4));
    prove(p);
    advanceMs(1_000);
    // A provider's ramp guard counts only the calls it took: an overload burst is a second without calls to
    // it, although the pool kept sending (measured: 3-5 slow_down refusals per burst on the hostile model).
    for (int i = 0; i < 4; i++) {
      p.refused(take(p), RefusalKind.OVERLOADED, ProviderSignals.NONE);
      advanceMs(250);
    }
    assertEquals("a", takeAndSucceed(p));
    assertEquals("a", takeAndSucceed(p));
    assertNull(take(p), "half of 4 per second in the first second after the burst");
  }

  @Test
  void aFailureFollowedByCallsWithoutAPauseDoesNotSlowALaterPauseForLackOfWork() {
    KeyPool p = pool(key("a", 4));
    prove(p);
    advanceMs(1_000);
    p.failed(take(p));
    advanceMs(500);
    assertEquals("a", takeAndSucceed(p)); // sent again at once: no jump from nothing
    advanceMs(10_000); // then quiet for lack of work
    for (int i = 0; i < 4; i++) assertEquals("a", takeAndSucceed(p), "the whole rate: this pause was not the provider's");
  }

  @Test
  void aPauseForLackOfWorkResumesAtTheWholeRate() {
    KeyPool p = pool(key("a", 4));
    prove(p);
    advanceMs(3_000);
    for (int i = 0; i < 4; i++) assertEquals("a", takeAndSucceed(p));
    assertNull(take(p));
  }

  @Test
  void theFirstRefusalOnceTheProviderHasAnsweredIsAStray() {
    KeyPool p = pool(key("a", 4));
    prove(p);
    advanceMs(1_000);
    p.rateLimited(take(p), 0L); // e.g. the first call was held up opening its connection, the second arrived too soon
    assertEquals(4.0, view(p, "a").effectiveQps(), "a stray: the rate stays");
    advanceMs(1_000);
    p.rateLimited(take(p), 0L);
    assertEquals(2.0, view(p, "a").effectiveQps(), "the second in fewer than 200 calls halves it");
  }

  @Test
  void a429AtTheConfiguredLimitDoesNotLowerTheRate() {
    KeyPool p = pool(key("a", 2));
    prove(p);
    p.rateLimited(take(p), 0L); // two calls in the last second: the limit explains the 429
    assertEquals(2.0, view(p, "a").effectiveQps());
  }

  @Test
  void theRateNeverDropsBelowOneTenthQps() {
    KeyPool p = pool(key("a", 2));
    double[] seen = new double[8];
    for (int i = 0; i < seen.length; i++) {
      advanceMs(20_000);
      p.rateLimited(take(p), 0L);
      seen[i] = view(p, "a").effectiveQps();
    }
    assertEquals(1.0, seen[0]);
    assertEquals(0.5, seen[1]);
    assertEquals(0.1, seen[seen.length - 1]);
  }

  @Test
  void successesRaiseTheRateAdditivelyUpToTheLimit() {
    KeyPool p = pool(key("a", 10));
    p.rateLimited(take(p), 0L);
    assertEquals(5.0, view(p, "a").effectiveQps());
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      advanceMs(1_000);
      p.succeeded(take(p));
      rates.add(view(p, "a").effectiveQps());
    }
    assertEquals(List.of(6.0, 7.0, 8.0, 9.0, 10.0, 10.0, 10.0), rates, "+0.1 × limit each, capped at the limit");
  }

  @Test
  void aVolleyOf429sCountsAsOneDecreaseAndOneBackoffStep() {
    KeyPool p = pool(key("a", 10));
    prove(p);
    pastTheFirstStray(p);
    Lease x = take(p);
    Lease y = take(p);
    Lease z = take(p);
    Lease late = take(p);
    p.rateLimited(x, null);
    p.rateLimited(y, null);
    p.rateLimited(z, null);
    assertEquals(5.0, view(p, "a").effectiveQps(), "halved once, not three times");
    assertEquals(1_000, cooldownMs(p, "a"), "the first step of the backoff, not the third");
    p.succeeded(late);
    assertEquals(5.0, view(p, "a").effectiveQps(), "a call sent before the 429 does not undo the decrease");
  }

  @Test
  void anUnknownLimitIsLearnedFromTheFirst429AndThenEnforced() {
    KeyPool p = pool(key("a", 0));
    prove(p);
    advanceMs(1_000);
    List<Lease> burst = new ArrayList<>();
    for (int i = 0; i < 6; i++) burst.add(take(p));
    assertTrue(Double.isNaN(view(p, "a").effectiveQps()));
    p.rateLimited(burst.get(0), 0L);
    assertEquals(3.0, view(p, "a").effectiveQps(), "six calls in the last second, halved");
    for (int i = 0; i < 3; i++) assertNotNull(take(p));
    assertNull(take(p), "a bucket of 3 now stands in front of the key");
    p.succeeded(burst.get(1));
    assertEquals(3.0, view(p, "a").effectiveQps(), "sent before the 429: no news");
    advanceMs(1_000);
    List<Lease> second = new ArrayList<>();
    for (Lease l = take(p); l != null; l = take(p)) second.add(l);
    assertEquals(3, second.size());
    p.succeeded(second.get(0));
    assertEquals(3.0 + 0.5 / 3, view(p, "a").effectiveQps(), 1e-9,
        "once found, +0.5 qps per second's worth of successes (three at 3 qps)");
  }

  @Test
  void aFoundRateIsRaisedOnlyWhileTheCallsUseIt() {
    KeyPool p = pool(key("a", 0));
    prove(p);
    advanceMs(1_000);
    List<Lease> burst = new ArrayList<>();
    for (int i = 0; i < 6; i++) burst.add(take(p));
    p.rateLimited(burst.get(0), 0L); // found at 3
    advanceMs(2_000);
    p.succeeded(take(p)); // one call in the last second, of 3 allowed
    assertEquals(3.0, view(p, "a").effectiveQps(), 1e-9, "a rate not used is not raised (RFC 7661)");
  }

  /** Each second for {@code seconds}: as many calls as the key takes, all answered well. */
  private void useFully(KeyPool p, int seconds) {
    for (int s = 0; s < seconds; s++) {
      advanceMs(1_000);
      List<Lease> sent = new ArrayList<>();
      for (Lease l = take(p); l != null; l = take(p)) sent.add(l);
      sent.forEach(p::succeeded);
    }
  }

  @Test
  void anUnknownLimitGrowsBySlowStartUntilItsFirst429ThenSlowlyAndA429TakesAFifteenthOff() {
    KeyPool p = pool(key("a", 0));
    prove(p);
    advanceMs(1_000);
    p.rateLimited(take(p), 0L);
    assertEquals(0.5, view(p, "a").effectiveQps(), 1e-9);
    KeyPool q = pool(key("b", 0));
    prove(q);
    q.rateLimited(take(q), 0L); // found at 0.5 (one call in the last second)
    advanceMs(10_000);
    double before = view(q, "b").effectiveQps();
    q.succeeded(take(q));
    assertEquals(before + 0.5, view(q, "b").effectiveQps(), 1e-9, "below one qps a success counts as a whole second");
    double start = view(q, "b").effectiveQps();
    useFully(q, 10);
    double high = view(q, "b").effectiveQps();
    // at a few calls a second, whole calls in the last second fall short of 0.9 of the rate now and then
    assertTrue(high > start + 1.5 && high < start + 5.5,
        "10 seconds of successes raise it by up to 0.5 qps a second, not 0.5 a call: " + start + " -> " + high);
    advanceMs(1_000);
    q.rateLimited(take(q), 0L);
    assertEquals(high * 0.85, view(q, "b").effectiveQps(), 1e-9, "found before: the rate was just past the limit");
  }

  @Test
  void aLate429OfAnUnknownLimitHalvesTheRateItWasSentAtNotTheEmptyLastSecond() {
    KeyPool p = pool(key("a", 0));
    prove(p);
    p.rateLimited(take(p), 0L); // found at 0.5
    for (int i = 0; i < 20; i++) {
      advanceMs(1_000);
      p.succeeded(take(p));
    }
    double rate = view(p, "a").effectiveQps();
    Lease old = take(p);
    advanceMs(5_000); // no call since: the last second holds none
    p.rateLimited(old, 0L);
    assertEquals(rate * 0.85, view(p, "a").effectiveQps(), 1e-9);
  }

  @Test
  void aSlowStartedRateIsHalvedAtItsFirst429EvenWhenTheRefusedCallIsOld() {
    KeyPool p = pool(new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.0, 1.0), key("u", 0));
    prove(p);
    useFully(p, 4);
    double rate = view(p, "u").effectiveQps();
    assertTrue(rate > 5, "slow start: +0.5 a success, the calls using the rate: " + rate);
    advanceMs(1_000);
    Lease old = take(p);
    advanceMs(3_000);
    p.rateLimited(old, 0L);
    assertEquals(rate / 2, view(p, "u").effectiveQps(), 1e-9, "half the rate it was sent at, not half of one call");
  }

  @Test
  void anUnknownLimitStartsAtHalfAQpsAfterASingleCall() {
    KeyPool p = pool(key("a", 0));
    p.rateLimited(take(p), 0L);
    assertEquals(0.5, view(p, "a").effectiveQps());
  }

  // ------------------------------------------------------------------ auth, probing, operator

  @Test
  void anAuthFailureDisablesTheKeyUntilEnabledWhichBringsItBackAsProbing() {
    KeyPool p = pool(key("a", 10));
    p.authFailed(take(p), "401 invalid api key");
    KeyPool.KeyView v = view(p, "a");
    assertEquals(State.DISABLED, v.state());
    assertEquals("401 invalid api key", v.reason());
    assertEquals(0, p.usableCount());
    advanceMs(3_600_000);
    assertNull(take(p), "disabled stays disabled, however long");
    assertTrue(p.enable("a"));
    assertEquals(State.PROBING, view(p, "a").state());
    assertEquals(1, p.usableCount());
    assertNotNull(take(p));
    assertNull(take(p), "probing again: one call until it answers");
  }

  @Test
  void probingAllowsExactlyOneCallInFlightUntilItsFirstAnswer() {
    KeyPool p = pool(key("a", 10));
    assertEquals(State.PROBING, view(p, "a").state());
    Lease probe = take(p);
    assertNotNull(probe);
    assertNull(take(p));
    assertEquals(1, view(p, "a").inFlight());
    long wait = p.nanosUntilAvailable(Set.of());
    assertTrue(wait > 0 && wait < Long.MAX_VALUE, "the probe's answer will free it: " + wait);
    p.failed(probe); // a failure proves nothing: still one call at a time
    assertEquals(State.PROBING, view(p, "a").state());
    Lease second = take(p);
    assertNotNull(second);
    assertNull(take(p));
    p.succeeded(second); // a good answer does
    assertEquals(State.ACTIVE, view(p, "a").state());
    assertNotNull(take(p));
    assertNotNull(take(p));
  }

  @Test
  void anUnknownLimitStartsSlowAndIsProbedUpBySuccesses() {
    KeyPool p = pool(new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.0, 1.0), key("u", 0));
    assertEquals(1.0, view(p, "u").effectiveQps(), 1e-9);
    p.succeeded(take(p));
    assertNull(take(p), "1 qps: the second call in the same second waits");
    assertEquals(1.5, view(p, "u").effectiveQps(), 1e-9, "+0.5 qps per success");
    advanceMs(1000);
    assertNotNull(take(p));
  }

  @Test
  void aRevokedKeyGetsExactlyOneCall() {
    KeyPool p = pool(SelectionStrategy.LEAST_LOADED, key("bad", 0), key("good", 0));
    p.succeeded(p.acquire(Set.of("bad"), id -> true)); // good is proven; bad is new
    List<Lease> held = new ArrayList<>();
    for (int i = 0; i < 50; i++) held.add(take(p)); // a burst of demand while the probe is out
    assertFalse(held.contains(null));
    assertEquals(1, held.stream().filter(l -> l.id().equals("bad")).count());
    Lease bad = held.stream().filter(l -> l != null && l.id().equals("bad")).findFirst().orElseThrow();
    p.authFailed(bad, "401");
    for (int i = 0; i < 50; i++) {
      Lease l = take(p);
      if (l != null) {
        assertEquals("good", l.id());
        p.succeeded(l);
      }
    }
  }

  @Test
  void operatorDisableAndUnknownIds() {
    KeyPool p = pool(key("a", 0), key("b", 0));
    assertTrue(p.disable("a", "operator"));
    assertEquals(State.DISABLED, view(p, "a").state());
    assertEquals("operator", view(p, "a").reason());
    assertEquals("b", takeAndSucceed(p));
    assertEquals(1, p.usableCount());
    assertFalse(p.disable("nope", "x"));
    assertFalse(p.enable("nope"));
    assertTrue(p.enable("b"), "enabling a usable key is a no-op");
    assertEquals(State.ACTIVE, view(p, "b").state());
  }

  @Test
  void outcomesAfterAnOperatorDisableDoNotReEnable() {
    KeyPool p = pool(key("a", 0));
    Lease l = take(p);
    p.disable("a", "operator");
    p.succeeded(l);
    assertEquals(State.DISABLED, view(p, "a").state());
    assertEquals(0, view(p, "a").inFlight());
  }

  // ------------------------------------------------------------------ waiting

  @Test
  void nanosUntilAvailableIsZeroWhenAKeyCanTakeACallNow() {
    KeyPool p = pool(key("a", 10));
    assertEquals(0, p.nanosUntilAvailable(Set.of()));
  }

  @Test
  void nanosUntilAvailableIsTheEarliestCooldownEnd() {
    KeyPool p = pool(key("a", 0), key("b", 0));
    p.rateLimited(p.acquire(Set.of("b"), id -> true), 7_000L);
    p.rateLimited(p.acquire(Set.of("a"), id -> true), 3_000L);
    assertEquals(3_000 * MS, p.nanosUntilAvailable(Set.of()));
    assertEquals(7_000 * MS, p.nanosUntilAvailable(Set.of("b")), "b is excluded for this task");
  }

  @Test
  void nanosUntilAvailableIsForeverWhenAllKeysAreDisabledOrExcluded() {
    KeyPool p = pool(key("a", 0), key("b", 0));
    p.authFailed(take(p), "401");
    assertEquals(Long.MAX_VALUE, p.nanosUntilAvailable(Set.of("b")));
    p.disable("b", "operator");
    assertEquals(Long.MAX_VALUE, p.nanosUntilAvailable(Set.of()));
    assertNull(take(p));
    assertFalse(p.isEmpty());
  }

  @Test
  void anEmptyPoolHasNothingEver() {
    KeyPool p = pool();
    assertTrue(p.isEmpty());
    assertNull(take(p));
    assertEquals(Long.MAX_VALUE, p.nanosUntilAvailable(Set.of()));
  }

  // ------------------------------------------------------------------ bookkeeping

  @Test
  void successRateCountsFailuresRateLimitsAndAuthFailuresAgainstTheKey() {
    KeyPool p = pool(key("a", 0));
    assertTrue(Double.isNaN(view(p, "a").successRate()));
    p.succeeded(take(p));
    p.failed(take(p));
    p.rateLimited(take(p), 0L);
    p.succeeded(take(p));
    assertEquals(0.5, view(p, "a").successRate());
    advanceMs(10_000);
    p.authFailed(take(p), "403");
    assertEquals(0.4, view(p, "a").successRate(), 1e-9);
  }

  @Test
  void aLeaseIsReleasedExactlyOnce() {
    KeyPool p = pool(key("a", 0));
    Lease l = take(p);
    p.succeeded(l);
    assertThrows(IllegalStateException.class, () -> p.failed(l));
    assertEquals(0, view(p, "a").inFlight());
  }

  @Test
  void secretsNeverAppearInTextOrErrors() {
    LlmKeySpec spec = key("a", 0);
    KeyPool p = pool(spec);
    Lease l = take(p);
    p.succeeded(l);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.succeeded(l));
    String secret = spec.secret();
    for (String text : List.of(p.toString(), l.toString(), p.snapshot().toString(), e.getMessage())) {
      assertFalse(text.contains(secret), text);
      assertFalse(text.contains("SECRETSECRET"), text);
    }
    assertEquals(spec.masked(), view(p, "a").maskedKey());
  }

  @Test
  void duplicateKeyIdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> pool(key("a", 0), key("a", 1)));
  }
}
