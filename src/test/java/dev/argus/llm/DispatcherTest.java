package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.Detection;
import dev.argus.model.MetricNames;
import dev.argus.model.RiskLevel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.*;

/** The dispatch decisions on a fake clock and a fake timer that only move when the test says so. */
class DispatcherTest {
  private static final long WALL = 1_700_000_000_000L;
  private static final long START_NANOS = 5_000_000_000_000L;
  private static final long DEADLINE_MS = 3_000;
  private static final long TICK_AND_A_BIT = Dispatcher.TICK_MS + 1;
  private static final ParsedReply REPLY = new ParsedReply(RiskLevel.LOW, 0.1, "calm", List.of());

  /** Wall time and monotonic time advancing together. */
  private static final class FakeClock implements Dispatcher.Clock {
    long nanos = START_NANOS;

    @Override
    public long millis() {
      return WALL + (nanos - START_NANOS) / 1_000_000L;
    }

    @Override
    public long nanos() {
      return nanos;
    }
  }

  private record Due(long atMs, long seq, Runnable action) {}

  /** Runs what was scheduled when {@link #advance} moves the clock past it, in time order. */
  private static final class FakeTimer implements Dispatcher.Timer {
    final FakeClock clock;
    final List<Due> pending = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();
    long seq;

    FakeTimer(FakeClock clock) {
      this.clock = clock;
    }

    @Override
    public void schedule(long delayMs, Runnable action) {
      delays.add(delayMs);
      pending.add(new Due(clock.millis() + delayMs, seq++, action));
    }

    final List<Long> wakeNanos = new ArrayList<>();

    /** Records the wake-up as asked; runs it on the fake clock's next millisecond. */
    @Override
    public void scheduleNanos(long delayNanos, Runnable action) {
      wakeNanos.add(delayNanos);
      pending.add(new Due(clock.millis() + Dispatcher.wakeMillis(delayNanos), seq++, action));
    }

    void advance(long ms) {
      long target = clock.millis() + ms;
      while (true) {
        Due next = pending.stream().filter(d -> d.atMs() <= target)
            .min(Comparator.comparingLong(Due::atMs).thenComparingLong(Due::seq)).orElse(null);
        if (next == null) break;
        pending.remove(next);
        clock.nanos += (next.atMs() - clock.millis()) * 1_000_000L;
        next.action().run();
      }
      clock.nanos += (target - clock.millis()) * 1_000_000L;
    }
  }

  private record Call(String keyId, AssessmentTask task, CompletableFuture<CallResult> result) {}

  /** Records every call; the test decides how each ends. */
  private static final class FakeCaller implements Dispatcher.Caller {
    final List<Call> calls = new ArrayList<>();

    @Override
    public CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease) {
      Call c = new Call(lease.id(), task, new CompletableFuture<>());
      calls.add(c);
      return c.result();
    }

    Call last() {
      return calls.get(calls.size() - 1);
    }
  }

  private final FakeClock clock = new FakeClock();
  private final FakeTimer timer = new FakeTimer(clock);
  private final FakeCaller caller = new FakeCaller();
  private final Set<String> openBreakers = new HashSet<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private int breakerAsks;
  private long taskSeq;

  private static LlmKeySpec key(String id) {
    return new LlmKeySpec(id, "sk-" + id + "-SECRETSECRET", 1, 0, 0, 1, null, null);
  }

  private Dispatcher dispatcher(int maxAttempts, int queueCapacity, Random random, LlmKeySpec... keys) {
    return dispatcher(new Dispatcher.Settings(10, maxAttempts, 50, 250, "m"), queueCapacity, random, keys);
  }

  private Dispatcher dispatcher(Dispatcher.Settings settings, int queueCapacity, Random random, LlmKeySpec... keys) {
    KeyPool pool = new KeyPool(List.of(keys), new KeyPool.Settings(SelectionStrategy.ROUND_ROBIN, 1_000, 8_000, 0.0),
        clock::nanos, new Random(1));
    return new Dispatcher(pool, queueCapacity, settings, clock, timer, caller, id -> {
      breakerAsks++;
      return !openBreakers.contains(id);
    }, new DispatchMeters(registry, List.of(keys), "m"), random);
  }

  private Dispatcher dispatcher(int maxAttempts, LlmKeySpec... keys) {
    return dispatcher(maxAttempts, 100, new Random(7), keys);
  }

  /** A task of a camera of its own. */
  private CompletableFuture<Assessment> submit(Dispatcher d) {
    return submit(d, "cam-" + taskSeq, 0);
  }

  private CompletableFuture<Assessment> submit(Dispatcher d, String camera, int priority) {
    long now = clock.millis();
    AssessmentTask task = new AssessmentTask("t" + taskSeq, camera, "f" + taskSeq++, now, now, now + DEADLINE_MS,
        "test", priority, 0, new JsonObject(), null);
    return d.submit(task, new Detection(camera, "f", now, null, null, List.of())).toCompletableFuture();
  }

  private static Assessment done(CompletableFuture<Assessment> f) {
    assertTrue(f.isDone(), "the task should have an assessment by now");
    return f.join();
  }

  private static CallResult serverError() {
    return new CallResult.Failed(CallOutcome.SERVER_ERROR, "HTTP 500");
  }

  @Test
  void aFailedCallIsRetriedOnAnotherKeyAfterABackoffWithinItsBounds() {
    Dispatcher d = dispatcher(3, key("a"), key("b"));
    CompletableFuture<Assessment> result = submit(d);
    String first = caller.last().keyId();
    caller.last().result().complete(serverError());

    assertEquals(1, timer.delays.size(), "one retry scheduled");
    long delay = timer.delays.get(0);
    assertTrue(delay >= 50 && delay < 250, "first retry waits in [50, 250) ms, got " + delay);
    timer.advance(delay - 1);
    assertEquals(1, caller.calls.size(), "not retried before its backoff");
    timer.advance(1);
    assertEquals(2, caller.calls.size());
    assertNotEquals(first, caller.last().keyId(), "the retry goes to a key the task has not tried");
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(result).source());
  }

  @Test
  void theRetryBackoffStaysWithinItsBoundsWhateverTheJitter() {
    for (int seed = 0; seed < 50; seed++) {
      timer.delays.clear();
      Dispatcher d = dispatcher(3, 100, new Random(seed), key("a"), key("b"));
      submit(d);
      caller.last().result().complete(serverError());
      long delay = timer.delays.get(0);
      assertTrue(delay >= 50 && delay < 250, "seed " + seed + ": " + delay);
    }
  }

  @Test
  void afterMaxAttemptsTheRulesAnswerNamingTheLastError() {
    Dispatcher d = dispatcher(2, key("a"), key("b"), key("c"));
    CompletableFuture<Assessment> result = submit(d);
    caller.last().result().complete(serverError());
    timer.advance(250);
    String second = caller.last().keyId();
    caller.last().result().complete(new CallResult.Failed(CallOutcome.TIMEOUT, "no answer"));

    Assessment a = done(result);
    assertEquals(Assessment.SOURCE_RULES, a.source());
    assertEquals("LLM failed after 2 attempt(s); last error " + second + ": timeout (no answer)", a.fallbackReason());
    assertEquals(2, caller.calls.size(), "no third call");
  }

  @Test
  void atTheDeadlineTheRulesAnswerNamingTheWaitAndTheLastError() {
    Dispatcher d = dispatcher(3, key("a"));
    CompletableFuture<Assessment> result = submit(d);
    caller.last().result().complete(new CallResult.RateLimited(60_000L));

    timer.advance(DEADLINE_MS - 1);
    assertFalse(result.isDone(), "still waiting for the cooling key");
    timer.advance(TICK_AND_A_BIT);
    Assessment a = done(result);
    assertEquals(Assessment.SOURCE_RULES, a.source());
    assertTrue(a.fallbackReason().matches("deadline passed after waiting 3\\d{3} ms for a key; last error a: rate_limited \\(rate\\)"),
        a.fallbackReason());
    assertEquals(1.0, registry.get(MetricNames.LLM_TASKS_EXPIRED).counter().count());
  }

  @Test
  void aCallStillInFlightAtTheDeadlineLeavesTheTaskToTheRulesThenOnlyTeachesThePool() {
    Dispatcher d = dispatcher(3, key("a"), key("b"));
    CompletableFuture<Assessment> result = submit(d);
    Call hung = caller.last(); // a provider that never answers (or trickles slower than the deadline)

    timer.advance(DEADLINE_MS - 1);
    d.pump(); // the verticle's periodic tick
    assertFalse(result.isDone(), "the call still has time");
    timer.advance(1);
    d.pump();
    Assessment a = done(result);
    assertEquals(Assessment.SOURCE_RULES, a.source());
    assertTrue(a.fallbackReason().startsWith("deadline passed while the call on key " + hung.keyId() + " was in flight"),
        a.fallbackReason());
    assertEquals(1, d.inFlight(), "the call itself is still running");

    hung.result().complete(new CallResult.Failed(CallOutcome.TIMEOUT, "no answer"));
    assertEquals(0, d.inFlight());
    assertEquals(1, caller.calls.size(), "a task the rules answered is not retried");
    assertSame(a, result.join(), "the late outcome does not replace the answer");
  }

  @Test
  void aRateLimitedCallRequeuesTheTaskWithoutCountingAnAttempt() {
    Dispatcher d = dispatcher(1, key("a"), key("b"));
    CompletableFuture<Assessment> result = submit(d);
    String first = caller.last().keyId();
    caller.last().result().complete(new CallResult.RateLimited(null));

    assertEquals(2, caller.calls.size(), "requeued at once, on the key that is not cooling");
    assertNotEquals(first, caller.last().keyId());
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(result).source(), "maxAttempts 1 was not used up by the 429");
    assertEquals(KeyPool.State.COOLING, state(d, first));
  }

  @Test
  void anAuthFailureDisablesTheKeyAndRequeuesTheTask() {
    Dispatcher d = dispatcher(1, key("a"), key("b"));
    CompletableFuture<Assessment> result = submit(d);
    String first = caller.last().keyId();
    caller.last().result().complete(new CallResult.AuthFailed("HTTP 401"));

    assertEquals(KeyPool.State.DISABLED, state(d, first));
    assertEquals(2, caller.calls.size());
    assertNotEquals(first, caller.last().keyId());
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(result).source());
  }

  @Test
  void whenNoKeyCanTakeACallTheTasksBehindAreNotTried() {
    openBreakers.add("a");
    Dispatcher d = dispatcher(3, key("a"));
    submit(d);
    submit(d);
    submit(d);
    breakerAsks = 0;
    d.pump();
    assertEquals(1, breakerAsks, "only the head of the queue asks for a key");
    assertEquals(0, caller.calls.size());
    assertEquals(3, d.queueDepth());
  }

  @Test
  void aTaskWaitingForAKeyItHasNotTriedDoesNotHoldBackLaterTasks() {
    // Retries come back at once (backoff in [0, 1)), so the first task is at the head again when "a" frees.
    Dispatcher d = dispatcher(new Dispatcher.Settings(10, 3, 0, 1, "m"), 100, new Random(7), key("a"), key("b"));
    CompletableFuture<Assessment> first = submit(d);
    submit(d);
    Call onA = caller.calls.get(0);
    Call onB = caller.calls.get(1);
    CompletableFuture<Assessment> third = submit(d); // both keys are probing with a call out: it waits
    assertEquals(2, caller.calls.size());

    onA.result().complete(serverError());
    assertEquals(3, caller.calls.size(), "the later task takes the freed key");
    assertEquals(onA.keyId(), caller.last().keyId());
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(third).source());
    assertFalse(first.isDone(), "the first task still waits for the key it has not tried");
    onB.result().complete(new CallResult.Success(REPLY));
    assertEquals(onB.keyId(), caller.last().keyId());
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(first).source());
  }

  @Test
  void theWakeForAPacedKeyIsThePoolsOwnWaitNotARoundedMillisecond() {
    Dispatcher d = dispatcher(3, new LlmKeySpec("a", "sk-a-SECRETSECRET", 1, 0, 600, 1, null, null));
    submit(d);
    caller.last().result().complete(new CallResult.Success(REPLY)); // proven: paced at 600 a minute from now on
    timer.advance(200); // the pacing bucket (one call, no burst) is full again
    submit(d);
    submit(d);
    assertEquals(2, caller.calls.size(), "the third waits for the rpm spacing");
    long wait = d.pool().nanosUntilAvailable(Set.of());
    assertTrue(wait > 1_000_000L && wait < 250_000_000L, "a wait inside the tick: " + wait);
    assertEquals(wait, timer.wakeNanos.get(timer.wakeNanos.size() - 1));
  }

  @Test
  void aFreeKeyThatItsBreakerRefusesIsLookedAtAgainInAMillisecondNotSpun() {
    openBreakers.add("a");
    Dispatcher d = dispatcher(3, key("a"));
    submit(d);
    assertEquals(0, d.pool().nanosUntilAvailable(Set.of()), "the pool itself would take the call");
    assertEquals(1_000_000L, timer.wakeNanos.get(timer.wakeNanos.size() - 1));
  }

  @Test
  void aKeyWhoseBreakerIsOpenIsNotCalled() {
    openBreakers.add("a");
    Dispatcher d = dispatcher(3, key("a"), key("b"));
    submit(d);
    submit(d);
    assertEquals(List.of("b"), caller.calls.stream().map(Call::keyId).toList());
  }

  @Test
  void aFullQueueSendsTheTaskToTheRules() {
    Dispatcher d = dispatcher(3, 1, new Random(7), key("a"));
    submit(d); // in flight
    submit(d); // waiting: the queue is full
    Assessment a = done(submit(d));
    assertEquals(Assessment.SOURCE_RULES, a.source());
    assertEquals("the dispatch queue is full", a.fallbackReason());
  }

  @Test
  void withoutKeysTheRulesAnswerAtOnce() {
    Dispatcher d = dispatcher(3);
    Assessment a = done(submit(d));
    assertEquals(Assessment.SOURCE_RULES, a.source());
    assertEquals("no LLM API keys are configured", a.fallbackReason());
  }

  @Test
  void aCallThatBlowsUpCountsAsAServerErrorOfItsKey() {
    Dispatcher d = dispatcher(1, key("a"));
    CompletableFuture<Assessment> result = submit(d);
    caller.last().result().completeExceptionally(new IllegalStateException("boom"));
    assertEquals("LLM failed after 1 attempt(s); last error a: server_error (boom)", done(result).fallbackReason());
    assertEquals(1.0, registry.get(MetricNames.LLM_REQUESTS).tag(MetricNames.TAG_KEY, "a")
        .tag(MetricNames.TAG_STATUS, "server_error").counter().count());
  }

  // ------------------------------------------------------------------ fresh work first (issue 10 point 3)

  @Test
  void withinAPriorityTheNewestTaskIsServedFirst() {
    Dispatcher d = dispatcher(3, key("a")); // a probing key: one call at a time
    submit(d, "cam-0", 0);
    submit(d, "cam-1", 0);
    submit(d, "cam-2", 0);
    caller.last().result().complete(new CallResult.Success(REPLY)); // proven: both waiting tasks start now
    assertEquals(List.of("cam-0", "cam-2", "cam-1"), caller.calls.stream().map(c -> c.task().cameraId()).toList(),
        "the newest waiting task goes first, not the oldest");
  }

  @Test
  void priorityStillComesBeforeNewness() {
    Dispatcher d = dispatcher(3, key("a"));
    submit(d, "cam-0", 0);
    submit(d, "cam-hot", 5);
    submit(d, "cam-2", 0);
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(List.of("cam-0", "cam-hot", "cam-2"), caller.calls.stream().map(c -> c.task().cameraId()).toList());
  }

  @Test
  void aNewerTaskOfTheSameCameraSupersedesTheWaitingOne() {
    Dispatcher d = dispatcher(3, key("a"));
    submit(d, "cam-0", 0);
    CompletableFuture<Assessment> old = submit(d, "cam-1", 0);
    CompletableFuture<Assessment> fresh = submit(d, "cam-1", 0);
    assertTrue(old.isDone(), "dropped at once");
    assertNull(old.join(), "done without a result");
    assertFalse(fresh.isDone());
    assertEquals(1, d.queueDepth());
    assertEquals(1.0, registry.get(MetricNames.LLM_TASKS_SUPERSEDED).counter().count());
  }

  @Test
  void aNewerTaskOfLowerPriorityDoesNotSupersedeAHigherOne() {
    Dispatcher d = dispatcher(3, key("a"));
    submit(d, "cam-0", 0);
    CompletableFuture<Assessment> hot = submit(d, "cam-1", 5);
    submit(d, "cam-1", 0);
    assertFalse(hot.isDone());
    assertEquals(2, d.queueDepth());
  }

  @Test
  void theRulesDoNotAnswerForATaskThatANewerOneSuperseded() {
    Dispatcher d = dispatcher(1, key("a"), key("b"));
    CompletableFuture<Assessment> old = submit(d, "cam-1", 0); // in flight on one key
    CompletableFuture<Assessment> fresh = submit(d, "cam-1", 0); // in flight on the other
    caller.calls.get(0).result().complete(serverError()); // out of attempts: would be the rules' turn
    assertNull(old.join(), "superseded: no stale rules answer");
    assertEquals(1.0, registry.get(MetricNames.LLM_TASKS_SUPERSEDED).counter().count());
    caller.calls.get(1).result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(fresh).source());
  }

  @Test
  void theNewestTaskOfACameraStillGetsTheRulesAtItsDeadline() {
    Dispatcher d = dispatcher(3, key("a"));
    submit(d, "cam-0", 0);
    CompletableFuture<Assessment> only = submit(d, "cam-1", 0);
    timer.advance(DEADLINE_MS + TICK_AND_A_BIT);
    d.pump();
    assertEquals(Assessment.SOURCE_RULES, done(only).source());
  }

  // ------------------------------------------------------------------ refusal kinds, overhead

  @Test
  void anExhaustedQuotaDisablesTheKeyAndTheTaskMovesOn() {
    Dispatcher d = dispatcher(1, key("a"), key("b"));
    CompletableFuture<Assessment> result = submit(d);
    String first = caller.last().keyId();
    caller.last().result().complete(new CallResult.QuotaExhausted("HTTP 429 (quota)", ProviderSignals.NONE));
    assertEquals(KeyPool.State.DISABLED, state(d, first));
    assertNotEquals(first, caller.last().keyId(), "requeued at once on the other key, no attempt used");
    caller.last().result().complete(new CallResult.Success(REPLY));
    assertEquals(Assessment.SOURCE_LLM, done(result).source());
  }

  @Test
  void everyCallRecordsItsDispatchOverhead() {
    Dispatcher d = dispatcher(3, key("a"), key("b"));
    submit(d);
    caller.last().result().complete(new CallResult.Success(REPLY));
    submit(d);
    caller.last().result().complete(new CallResult.RateLimited(null));
    assertEquals(2, registry.get(MetricNames.LLM_DISPATCH_OVERHEAD).timer().count());
  }

  private static KeyPool.State state(Dispatcher d, String keyId) {
    return d.pool().snapshot().stream().filter(k -> k.id().equals(keyId)).findFirst().orElseThrow().state();
  }
}
