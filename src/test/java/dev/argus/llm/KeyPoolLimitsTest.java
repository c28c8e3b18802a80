package dev.argus.llm;

import dev.argus.config.LlmAccountSpec;
import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import dev.argus.llm.KeyPool.Lease;
import dev.argus.llm.KeyPool.Settings;
import dev.argus.llm.KeyPool.State;
import dev.argus.llm.ProviderSignals.Level;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Accounts, the provider's reported counters, TPM, concurrency and the kinds of refusal (issue 10). */
class KeyPoolLimitsTest {
  private static final long MS = 1_000_000L;
  private static final long START = 5_000_000_000_000L;
  private final long[] now = {START};

  private void advanceMs(long ms) {
    now[0] += ms * MS;
  }

  private static LlmKeySpec key(String id, double qps, int rpm, long tpm, String account) {
    return new LlmKeySpec(id, "sk-" + id + "-SECRETSECRET" + id, 1, qps, rpm, 1, null, null, account, tpm);
  }

  private KeyPool pool(double margin, double maxMargin, LlmKeySpec... specs) {
    return new KeyPool(List.of(specs), new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.0, Double.NaN,
        margin, maxMargin), () -> now[0], new Random(1), 1_700_000_000_000L);
  }

  private KeyPool pool(LlmKeySpec... specs) {
    return pool(0, 0, specs);
  }

  private static Lease take(KeyPool p) {
    return p.acquire(Set.of(), id -> true);
  }

  private static Lease take(KeyPool p, String only) {
    Set<String> others = new HashSet<>();
    p.snapshot().forEach(v -> {
      if (!v.id().equals(only)) others.add(v.id());
    });
    return p.acquire(others, id -> true);
  }

  private static KeyPool.KeyView view(KeyPool p, String id) {
    return p.snapshot().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
  }

  private static ProviderSignals requests(long limit, long remaining, long resetMs) {
    return new ProviderSignals(new Level(limit, remaining, resetMs), Level.UNKNOWN, null, null, -1);
  }

  private static ProviderSignals refusal(RefusalKind kind, Long retryAfterMs) {
    return new ProviderSignals(Level.UNKNOWN, Level.UNKNOWN, retryAfterMs, kind, -1);
  }

  // ------------------------------------------------------------------ accounts

  @Test
  void keysOfOneAccountCoolTogetherAndOtherAccountsCarryOn() {
    KeyPool p = pool(key("a1", 0, 0, 0, "org"), key("a2", 0, 0, 0, "org"), key("b", 0, 0, 0, null));
    p.refused(take(p, "a1"), RefusalKind.RATE, refusal(RefusalKind.RATE, 5_000L));
    assertEquals(State.COOLING, view(p, "a2").state(), "the account cools, not just the key that was refused");
    assertNotEquals(State.COOLING, view(p, "b").state());
    assertNull(take(p, "a2"));
    assertNotNull(take(p, "b"));
  }

  @Test
  void perKeyLimitsStillApplyInsideAnAccount() {
    KeyPool p = pool(key("a1", 2, 0, 0, "org"), key("a2", 2, 0, 0, "org"));
    List<String> got = new ArrayList<>();
    Lease l;
    while ((l = take(p)) != null) {
      got.add(l.id());
      p.succeeded(l);
    }
    assertEquals(4, got.size(), "two per second on each key");
  }

  @Test
  void theAccountsReportedCounterBindsAllItsKeys() {
    KeyPool p = pool(key("a1", 0, 0, 0, "org"), key("a2", 0, 0, 0, "org"));
    Lease first = take(p, "a1");
    p.succeeded(first, requests(2, 0, 1_000)); // empty; two a second come back
    assertNull(take(p, "a2"), "the provider said the account has nothing left");
    assertTrue(p.nanosUntilAvailable(Set.of()) <= 500 * MS, "one call's worth refills in half a second");
    advanceMs(500);
    assertNotNull(take(p, "a2"));
    assertNull(take(p, "a1"), "that refilled call was taken; the next is half a second away");
  }

  @Test
  void theReportedCounterCountsCallsSentAfterTheReportedOne() {
    KeyPool p = pool(key("a", 0, 0, 0, null));
    p.succeeded(take(p)); // proven
    Lease reported = take(p);
    Lease sentAfter = take(p);
    assertNotNull(sentAfter);
    p.succeeded(reported, requests(10, 1, 60_000)); // one left when "reported" arrived; "sentAfter" took it
    assertNull(take(p), "known to be refused: not sent");
  }

  @Test
  void withoutALimitNothingRefillsBeforeTheReset() {
    KeyPool p = pool(key("a", 0, 0, 0, null));
    p.succeeded(take(p), requests(-1, 0, 2_000));
    advanceMs(1_999);
    assertNull(take(p), "no limit said: no refill rate to assume");
    advanceMs(1);
    assertNotNull(take(p), "at the reset the counter is full again");
  }

  @Test
  void accountsAreCountedOnce() {
    KeyPool p = pool(key("a1", 0, 0, 0, "org"), key("a2", 0, 0, 0, "org"), key("b", 0, 0, 0, null));
    List<KeyPool.AccountView> accounts = p.accounts();
    assertEquals(2, accounts.size());
    assertEquals("org", accounts.get(0).name());
    assertEquals(2, accounts.get(0).keys());
    assertEquals("b", accounts.get(1).name());
    assertEquals("org", view(p, "a2").account());
  }

  private static LlmKeySpec key(String id, double qps, String account, LlmAccountSpec limits) {
    return new LlmKeySpec(id, "sk-" + id + "-SECRETSECRET" + id, 1, qps, 0, 1, null, null, account, 0, limits);
  }

  @Test
  void anAccountsDeclaredLimitBindsItsKeysTogetherBesidesTheirOwn() {
    LlmAccountSpec org = new LlmAccountSpec("org", 4, 0, 0);
    // three keys declaring nothing of their own: without the account's limit they would be unthrottled
    KeyPool p = pool(key("a1", 0, "org", org), key("a2", 0, "org", org), key("a3", 0, "org", org),
        key("b", 3, null, null));
    List<Long> orgSentAtMs = new ArrayList<>();
    int other = 0;
    for (long t = 0; t < 3_000; t++) {
      Lease l;
      while ((l = take(p)) != null) {
        if (l.key().account() != null) orgSentAtMs.add(t);
        else other++;
        p.succeeded(l);
      }
      advanceMs(1);
    }
    // a burst of one second's worth (4), then 4 a second: at most 4 + 4 × 3 s, and not less than 4 × 3 s
    assertTrue(orgSentAtMs.size() <= 16 && orgSentAtMs.size() >= 12, "the account's 4 qps over 3 s: " + orgSentAtMs);
    for (int i = 4; i < orgSentAtMs.size(); i++) {
      // a bucket of 4 refilled at 4 a second: the i-th call waits for i - 3 refills of 250 ms, whichever key sends it
      assertTrue(orgSentAtMs.get(i) >= (i - 3) * 250L - 1, "the account's bucket, shared by its keys: " + orgSentAtMs);
    }
    assertTrue(other >= 9 && other <= 12, "a key outside the account keeps its own 3 qps: " + other);
  }

  @Test
  void aKeysOwnLimitStillAppliesUnderItsAccountsDeclaredLimit() {
    LlmAccountSpec org = new LlmAccountSpec("org", 100, 0, 0);
    KeyPool p = pool(key("a1", 2, "org", org), key("a2", 2, "org", org));
    int got = 0;
    Lease l;
    while ((l = take(p)) != null) {
      got++;
      p.succeeded(l);
    }
    assertEquals(4, got, "the account allows 100 but each key only 2");
  }

  @Test
  void anAccountsDeclaredLimitsShowInItsViewAndNeedNoSlowStart() {
    LlmAccountSpec org = new LlmAccountSpec("org", 0, 600, 60_000);
    KeyPool p = new KeyPool(List.of(key("a1", 0, "org", org), key("a2", 0, "org", org), key("u", 0, "u-org", null)),
        new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.0, 1.0, 0, 0), () -> now[0], new Random(1),
        1_700_000_000_000L);
    KeyPool.AccountView a = p.accounts().get(0);
    assertEquals("org", a.name());
    assertEquals(600, a.rpmLimit());
    assertEquals(60_000, a.tpmLimit());
    assertEquals(0, a.qpsLimit(), "no qps_limit declared (rpm/60 is enforced, not reported as declared)");
    assertEquals(10.0, a.effectiveQps(), 1e-9, "600 a minute runs at 10 a second, not the unknown-limit slow start");
    assertEquals(1.0, p.accounts().get(1).effectiveQps(), 1e-9, "an account declaring nothing starts slow");
  }

  // ------------------------------------------------------------------ limit models

  @Test
  void anRpmLimitIsAlsoEnforcedPerSecondEvenlySpaced() {
    KeyPool p = pool(key("a", 0, 600, 0, null));
    List<Long> sentAtMs = new ArrayList<>();
    for (long t = 0; t < 1_000; t++) {
      Lease l = take(p);
      if (l != null) {
        sentAtMs.add(t);
        p.succeeded(l);
      }
      advanceMs(1);
    }
    assertEquals(10, sentAtMs.size(), "600 a minute is 10 in a second, not a burst of 600");
    for (int i = 1; i < sentAtMs.size(); i++) {
      assertTrue(sentAtMs.get(i) - sentAtMs.get(i - 1) >= 100, "spaced, as windows count bursts too: " + sentAtMs);
    }
  }

  @Test
  void aTpmLimitChargesTheEstimateAndUsageSettlesIt() {
    KeyPool p = pool(key("a", 0, 0, 6_000, null)); // 100 tokens a second, a bucket of 100
    Lease l = p.acquire(Set.of(), id -> true, 80);
    assertNotNull(l);
    assertNull(p.acquire(Set.of(), id -> true, 80), "80 of 100 taken");
    p.succeeded(l, new ProviderSignals(Level.UNKNOWN, Level.UNKNOWN, null, null, 20));
    assertNotNull(p.acquire(Set.of(), id -> true, 80), "the call used 20: 60 came back");
  }

  @Test
  void tokensGivenBackAfterTheProviderCountedAreAddedToItsCount() {
    KeyPool p = pool(key("a", 0, 0, 0, null));
    p.succeeded(take(p));
    Lease first = p.acquire(Set.of(), id -> true, 400);
    Lease second = p.acquire(Set.of(), id -> true, 400);
    advanceMs(10);
    p.succeeded(second, new ProviderSignals(Level.UNKNOWN, Level.UNKNOWN, null, null, 100)); // 300 given back
    advanceMs(790);
    // the provider counted the first call alone (600 of 1,000 left), refilling slowly (about 11 in 0.8 s)
    p.succeeded(first, new ProviderSignals(Level.UNKNOWN, new Level(1_000, 600, 60_000), null, null, -1));
    assertNotNull(p.acquire(Set.of(), id -> true, 400),
        "600 − the second call's 400 + its 300 given back: 500 left, not 200");
    assertNull(p.acquire(Set.of(), id -> true, 400), "about 100 left");
  }

  @Test
  void aRefusalForTokensDoesNotLowerAnUnknownRequestRate() {
    KeyPool p = new KeyPool(List.of(key("a", 0, 0, 0, null)), new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000,
        0.0, 4.0, 0, 0), () -> now[0], new Random(1), 1_700_000_000_000L);
    p.succeeded(take(p));
    double before = view(p, "a").effectiveQps();
    Lease l = p.acquire(Set.of(), id -> true, 500);
    // 19 requests left, 480 tokens: the call's 500 tokens are what was refused
    p.refused(l, RefusalKind.RATE, new ProviderSignals(new Level(20, 19, 50), new Level(4_000, 480, 880), 1L,
        RefusalKind.RATE, -1));
    assertEquals(before, view(p, "a").effectiveQps(), 1e-9);
    advanceMs(10);
    Lease r = p.acquire(Set.of(), id -> true, 1);
    assertNotNull(r);
    p.refused(r, RefusalKind.RATE, new ProviderSignals(new Level(20, 0, 50), Level.UNKNOWN, 1L, RefusalKind.RATE, -1));
    assertTrue(view(p, "a").effectiveQps() < before, "a refusal with no request left is one for requests");
  }

  @Test
  void aSlowStartEndsWhenTheProvidersRequestCounterFallsBelowHalf() {
    KeyPool p = new KeyPool(List.of(key("a", 0, 0, 0, null)), new Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000,
        0.0, 8.0, 0, 0), () -> now[0], new Random(1), 1_700_000_000_000L);
    p.succeeded(take(p), requests(10, 9, 100));
    advanceMs(1_000);
    List<Lease> sent = new ArrayList<>();
    for (Lease l = take(p); l != null; l = take(p)) sent.add(l);
    p.succeeded(sent.get(0), requests(10, 8, 200)); // well below full: slow start goes on, a double step
    assertEquals(9.0, view(p, "a").effectiveQps(), 1e-9, "+2 × 0.5 while the provider reports room");
    advanceMs(1_000);
    List<Lease> more = new ArrayList<>();
    for (Lease l = take(p); l != null; l = take(p)) more.add(l);
    // a second after the last report: 8 then, 3 now, with the calls sent between (this one included): the
    // counter refilled at 3 − 8 + sent a second, and it is below half
    double measured = 3 - 8 + sent.size();
    assertTrue(measured < 9, "sent " + sent.size());
    p.succeeded(more.get(0), requests(10, 3, 700));
    assertEquals(measured, view(p, "a").effectiveQps(), 1e-6, "ended at the measured refill");
    advanceMs(1_000);
    for (Lease l = take(p); l != null; l = take(p)) p.succeeded(l, requests(10, 6, 400));
    assertTrue(view(p, "a").effectiveQps() <= measured + 0.5 + 1e-9, "from now on slowly: " + view(p, "a").effectiveQps());
  }

  @Test
  void aServerErrorGivesTheTokensBackButATimeoutDoesNot() {
    KeyPool p = pool(key("a", 0, 0, 6_000, null)); // 100 tokens a second, a bucket of 100
    Lease l = p.acquire(Set.of(), id -> true, 80);
    p.failed(l, true);
    Lease again = p.acquire(Set.of(), id -> true, 80);
    assertNotNull(again, "a 5xx used nothing: the 80 came back");
    p.failed(again, false);
    assertNull(p.acquire(Set.of(), id -> true, 80), "a timeout may have been counted: the 80 stay charged");
  }

  @Test
  void theSafetyMarginRunsBelowTheDeclaredLimitAndWidensOnAnUnexpectedRefusal() {
    KeyPool p = pool(0.02, 0.1, key("a", 10, 0, 0, null));
    assertEquals(9.8, view(p, "a").effectiveQps(), 1e-9);
    p.succeeded(take(p));
    p.rateLimited(take(p), 0L); // two sent in the last second, limit 10: the calls bunched up on the way
    assertEquals(9.8, view(p, "a").effectiveQps(), 1e-9, "the first refusal once answered is a stray");
    p.rateLimited(take(p), 0L);
    assertEquals(9.6, view(p, "a").effectiveQps(), 1e-9, "the next one: the margin widened by 2%; the rate was not halved");
  }

  @Test
  void aWidenedMarginNarrowsBackAQuarterStepPer200Successes() {
    KeyPool p = pool(0.02, 0.1, key("a", 10, 0, 0, null));
    p.succeeded(take(p));
    p.rateLimited(take(p), 0L); // a stray
    p.rateLimited(take(p), 0L);
    assertEquals(9.6, view(p, "a").effectiveQps(), 1e-9, "widened to 4%");
    advanceMs(2_000);
    for (int i = 0; i < 199; i++) {
      p.succeeded(take(p));
      advanceMs(250);
    }
    assertEquals(9.6, view(p, "a").effectiveQps(), 1e-9, "not before 200 successes");
    p.succeeded(take(p));
    assertEquals(9.65, view(p, "a").effectiveQps(), 1e-9, "200 successes without a refusal: 3.5%, the rate rises to it");
    for (int i = 0; i < 2_000; i++) {
      advanceMs(250);
      p.succeeded(take(p));
    }
    assertEquals(9.8, view(p, "a").effectiveQps(), 1e-9, "never below the configured 2%");
  }

  @Test
  void aStrayRefusalAfterTwoHundredCallsWithoutOneChangesNoRate() {
    KeyPool p = pool(0.02, 0.1, key("a", 10, 0, 0, null));
    for (int i = 0; i < 200; i++) {
      p.succeeded(take(p));
      advanceMs(110);
    }
    p.rateLimited(take(p), 0L);
    assertEquals(9.8, view(p, "a").effectiveQps(), 1e-9, "one in 200: two calls bunched up on the way");
    advanceMs(1_000);
    p.rateLimited(take(p), 0L);
    assertEquals(9.6, view(p, "a").effectiveQps(), 1e-9, "a second one soon after: the margin widens");
  }

  @Test
  void anAbsoluteResetCountsFromWhenTheReplyWasReadNotFromTheSend() {
    KeyPool p = pool(key("a", 0, 0, 0, null));
    p.succeeded(take(p));
    Lease l = take(p);
    advanceMs(800); // the reply took 800 ms; the provider's counter is full 1 s after it was read
    p.succeeded(l, new ProviderSignals(new Level(-1, 0, 1_000, true), Level.UNKNOWN, null, null, -1));
    advanceMs(999);
    assertNull(take(p), "not before the reset, which is 1.8 s after the send");
    advanceMs(1);
    assertNotNull(take(p));
  }

  @Test
  void aSmallReportedLimitCapsTheBurst() {
    KeyPool p = pool(key("a", 10, 0, 0, null));
    p.succeeded(take(p), requests(1, 0, 100)); // a token bucket of one: no bursts at all
    advanceMs(1_000);
    assertNotNull(take(p));
    assertNull(take(p), "one call at a time, although ten a second are declared");
    advanceMs(100);
    assertNotNull(take(p));
  }

  @Test
  void aDeclaredRateFloorsTheRefillOfARoundedUpReset() {
    KeyPool p = pool(key("a", 10, 0, 0, null));
    // Anthropic rounds resets up to the second: "full in 2 s" for ten calls would look like 5 a second
    p.succeeded(take(p), requests(10, 0, 2_000));
    advanceMs(100);
    assertNotNull(take(p), "refilled at the declared 10 a second, not 5");
  }

  // ------------------------------------------------------------------ refusal kinds

  @Test
  void aConcurrencyRefusalTeachesTheKeysLimitWithoutCooling() {
    KeyPool p = pool(key("a", 0, 0, 0, null));
    p.succeeded(take(p));
    List<Lease> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) held.add(take(p));
    p.refused(held.get(4), RefusalKind.CONCURRENCY, refusal(RefusalKind.CONCURRENCY, null));
    assertEquals(4, view(p, "a").concurrencyLimit(), "refused with five in flight: at most four");
    assertEquals(State.ACTIVE, view(p, "a").state());
    assertNull(take(p), "four in flight: the limit");
    p.succeeded(held.get(0));
    assertNotNull(take(p));
  }

  @Test
  void anExhaustedQuotaDisablesTheWholeAccountUntilAnOperatorActs() {
    KeyPool p = pool(key("a1", 0, 0, 0, "org"), key("a2", 0, 0, 0, "org"), key("b", 0, 0, 0, null));
    p.refused(take(p, "a1"), RefusalKind.QUOTA, refusal(RefusalKind.QUOTA, null));
    assertEquals(State.DISABLED, view(p, "a2").state());
    assertTrue(view(p, "a2").reason().startsWith("quota or spend limit exhausted"));
    advanceMs(3_600_000);
    assertNull(take(p, "a1"), "never retried by itself");
    assertTrue(p.enable("a2"));
    assertEquals(State.PROBING, view(p, "a2").state());
    assertNotNull(take(p, "a1"));
  }

  @Test
  void slowDownLowersTheRateAndTheRamp() {
    KeyPool p = pool(key("a", 10, 0, 0, null));
    p.refused(take(p), RefusalKind.SLOW_DOWN, refusal(RefusalKind.SLOW_DOWN, null));
    assertEquals(8.0, view(p, "a").effectiveQps(), 1e-9);
    advanceMs(1_000);
    p.succeeded(take(p));
    assertEquals(8.5, view(p, "a").effectiveQps(), 1e-9, "+0.1 × limit × a ramp of one half");
  }

  @Test
  void anOverloadedProviderIsAFailureNotARate() {
    KeyPool p = pool(key("a", 10, 0, 0, null));
    p.refused(take(p), RefusalKind.OVERLOADED, refusal(RefusalKind.OVERLOADED, 1_000L));
    assertNotEquals(State.COOLING, view(p, "a").state());
    assertEquals(10.0, view(p, "a").effectiveQps(), 1e-9);
  }
}
