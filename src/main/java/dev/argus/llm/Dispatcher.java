package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.Detection;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Spends the key pool on assessment tasks. Tasks wait in a bounded priority queue (priority from the
 * bridge, then newest first) until the {@link KeyPool} grants a key that its limits, cooldowns and breaker
 * allow; a failed call is retried on a different key after a jittered backoff; a task still waiting at its
 * deadline, or out of keys or attempts, is judged by the rules, and says why.
 *
 * <p><b>Fresh work first.</b> Under overload an old view of a camera is worth little: a task is
 * <em>superseded</em> once a newer task of the same camera with at least its priority arrives. A superseded
 * task that is waiting (or comes back for a retry) is dropped and counted ({@code llm_tasks_superseded_total}),
 * its stage completing with null: its record is done without a result. The rules answer only for a task that
 * is still its camera's newest; a call already in flight is let finish and its answer published.
 *
 * <p>Time, timers, the provider call and the breakers are injected, so every decision runs without Vert.x.
 * Not thread-safe: call it, and complete the caller's stages, on one thread (the verticle's event loop).
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /**
   * The owner calls {@link #pump} at least this often, so a deadline is noticed within it; a wake-up for a
   * key that frees later than that is left to the periodic pump.
   */
  public static final long TICK_MS = 250;
  /**
   * The earliest wake-up for a key: a pool that answers "free in 3 µs" (its buckets' arithmetic rounds) must not
   * spin the event loop.
   */
  static final long MIN_WAKE_NANOS = 50_000;
  static final String QUEUE_FULL = "the dispatch queue is full";
  static final String NO_KEYS = "no LLM API keys are configured";

  /** Wall-clock milliseconds (deadlines, timestamps) and a monotonic nanosecond clock (latency, the pool). */
  public interface Clock {
    long millis();

    long nanos();

    static Clock system() {
      return new Clock() {
        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
          return System.nanoTime();
        }
      };
    }
  }

  /** Runs {@code action} once, {@code delayMs} from now, on the dispatcher's thread. */
  public interface Timer {
    void schedule(long delayMs, Runnable action);

    /** The same, to the nanosecond where the timer can; this default rounds up to the millisecond. */
    default void scheduleNanos(long delayNanos, Runnable action) {
      schedule(Math.max(1, wakeMillis(delayNanos)), action);
    }
  }

  /** One provider call on a granted key; the stage completes with how it ended, on the dispatcher's thread. */
  public interface Caller {
    CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease);

    /**
     * The same, given the task's request body for the default model, encoded once when the task arrived (its
     * token estimate needed it anyway): a caller may send it as it is instead of building and encoding it again.
     * A caller may report when the reply arrived ({@link KeyPool.Lease#replyArrived}), so that the time spent
     * reading it counts as Argus's own, not the provider's.
     */
    default CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease, Buffer defaultModelRequest) {
      return call(task, lease);
    }
  }

  /**
   * {@code maxConcurrent} calls in flight at most; {@code maxAttempts} failed calls per task before the rules
   * answer; a retry waits a random time in [{@code retryMinBackoffMs}, {@code retryBackoffStepMs} × attempts).
   */
  public record Settings(int maxConcurrent, int maxAttempts, long retryMinBackoffMs, long retryBackoffStepMs,
                         String defaultModel) {
    public static Settings of(ArgusConfig.Llm llm) {
      return new Settings(llm.maxConcurrent(), llm.maxAttempts(), llm.retryMinBackoffMs(), llm.retryBackoffStepMs(),
          llm.model());
    }
  }

  /** A task on its way through the pool: what it tried, and the result its record waits on. */
  private static final class Job {
    final AssessmentTask task;
    final Detection frame;
    final long seq;
    final long enqueuedAtMs;
    final long tokens;
    /** The request for the default model, encoded once (see {@link Caller#call(AssessmentTask, KeyPool.Lease, Buffer)}). */
    final Buffer request;
    DispatchQueue.Entry<Job> queued;
    final CompletableFuture<Assessment> result = new CompletableFuture<>();
    final Set<String> tried = new HashSet<>();
    int attempts;
    String lastError;
    /** The key of the call in flight, and when it started (wall clock), or null between calls. */
    String callKey;
    long callStartedMs;
    /** Its first call started (the task_queue stage is timed once, to the first call). */
    boolean called;

    Job(AssessmentTask task, Detection frame, long seq, long enqueuedAtMs, Buffer request) {
      this.task = task;
      this.frame = frame;
      this.seq = seq;
      this.enqueuedAtMs = enqueuedAtMs;
      this.request = request;
      this.tokens = PromptBuilder.estimateTokens(request);
    }

    String camera() {
      return task.cameraId() == null ? "" : task.cameraId();
    }
  }

  /** A camera's unfinished tasks: the newest seq at or above each priority, and the ones waiting in the queue. */
  private static final class Camera {
    final Map<Integer, Long> newestAtPriority = new HashMap<>();
    final List<Job> waiting = new ArrayList<>(2);
    int open;

    /** A newer task with at least this one's priority exists. */
    boolean supersedes(Job j) {
      for (Map.Entry<Integer, Long> e : newestAtPriority.entrySet()) {
        if (e.getKey() >= j.task.priority() && e.getValue() > j.seq) return true;
      }
      return false;
    }
  }

  private record Start(Job job, KeyPool.Lease lease, long leftQueueNanos) {}

  private final KeyPool pool;
  private final DispatchQueue<Job> queue;
  private final Settings settings;
  private final Clock clock;
  private final Timer timer;
  private final Caller caller;
  private final Predicate<String> breakerAllows;
  private final DispatchMeters meters;
  private final Random random;
  private final Map<String, Camera> cameras = new HashMap<>();
  /** Jobs with a call in flight: a hung or trickling provider must not hold a task past its deadline. */
  private final Set<Job> calling = new LinkedHashSet<>();
  private int running;
  private long seq;
  private boolean wakeScheduled;

  public Dispatcher(KeyPool pool, int queueCapacity, Settings settings, Clock clock, Timer timer, Caller caller,
                    Predicate<String> breakerAllows, DispatchMeters meters, Random random) {
    this.pool = pool;
    this.queue = new DispatchQueue<>(queueCapacity);
    this.settings = settings;
    this.clock = clock;
    this.timer = timer;
    this.caller = caller;
    this.breakerAllows = breakerAllows;
    this.meters = meters;
    this.random = random;
    meters.observe(() -> running, queue::size);
  }

  /**
   * Takes a task; the stage completes with its assessment, by an LLM or by the rules, or with null when a newer
   * task of the same camera superseded it (its record is done without a result).
   */
  public CompletionStage<Assessment> submit(AssessmentTask task, Detection frame) {
    Job job = new Job(task, frame, seq++, clock.millis(), PromptBuilder.request(task, settings.defaultModel()).toBuffer());
    Camera cam = cameras.computeIfAbsent(job.camera(), c -> new Camera());
    cam.open++;
    cam.newestAtPriority.put(task.priority(), job.seq);
    for (Job older : List.copyOf(cam.waiting)) {
      if (cam.supersedes(older) && queue.remove(older.queued)) supersede(older);
    }
    if (pool.isEmpty()) {
      fallBack(job, NO_KEYS);
    } else if (!enqueue(job)) {
      fallBack(job, QUEUE_FULL);
    } else {
      pump();
    }
    return job.result;
  }

  /** Expires overdue tasks, then starts as many waiting ones as keys and the concurrency bound allow. */
  public void pump() {
    long now = clock.millis();
    for (DispatchQueue.Entry<Job> e : queue.expire(now)) {
      meters.expired();
      Job job = e.job();
      unqueued(job);
      fallBack(job, "deadline passed after waiting " + (now - job.enqueuedAtMs) + " ms for a key" + lastError(job));
    }
    expireCalls(now);
    // Calls start after the walk: a call that completes at once re-enters pump and changes the queue.
    List<Start> starts = new ArrayList<>();
    Iterator<DispatchQueue.Entry<Job>> it = queue.inOrder();
    while (running < settings.maxConcurrent() && it.hasNext()) {
      Job job = it.next().job();
      KeyPool.Lease lease = pool.acquire(job.tried, breakerAllows, job.tokens);
      if (lease != null) {
        it.remove();
        unqueued(job);
        running++;
        starts.add(new Start(job, lease, clock.nanos()));
      } else if (pool.nanosUntilAvailable(job.tried, job.tokens) == Long.MAX_VALUE) {
        it.remove();
        unqueued(job);
        fallBack(job, "no LLM key left to try (" + (job.tried.isEmpty() ? "all disabled" : "tried "
            + String.join(", ", job.tried)) + ")" + lastError(job));
      } else if (job.tried.isEmpty()) {
        break; // no key at all can take a call now: later tasks could not either
      }
    }
    for (Start s : starts) call(s.job(), s.lease(), s.leftQueueNanos());
    if (!queue.isEmpty() && running < settings.maxConcurrent()) wakeWhenAKeyFrees();
  }

  /**
   * A call still in flight at its task's deadline: the rules answer now. The call is let finish (its
   * connection is still taken), and its outcome still teaches the pool and the breaker, but it no longer
   * decides the task.
   */
  private void expireCalls(long now) {
    List<Job> overdue = null;
    for (Job job : calling) {
      if (job.task.deadlineMs() <= now && !job.result.isDone()) {
        if (overdue == null) overdue = new ArrayList<>();
        overdue.add(job);
      }
    }
    if (overdue == null) return;
    for (Job job : overdue) {
      meters.expired();
      fallBack(job, "deadline passed while the call on key " + job.callKey + " was in flight for "
          + (now - job.callStartedMs) + " ms" + lastError(job));
    }
  }

  public int inFlight() {
    return running;
  }

  public int queueDepth() {
    return queue.size();
  }

  public KeyPool pool() {
    return pool;
  }

  /**
   * When to look again for a key the pool says frees in {@code nanos}: then, to the nanosecond where the timer can
   * (else rounded up to the millisecond, never up and one more), as a key with no burst (a bucket of one) loses
   * whatever its call is late by, for good. 0 says a key is free but {@code acquire} refused it (its breaker is
   * open, or the task's tokens do not fit): nothing to wait for but a change, so a millisecond, not a spin.
   */
  static long wakeNanos(long nanos) {
    if (nanos <= 0) return 1_000_000L;
    return Math.max(MIN_WAKE_NANOS, Math.min(TICK_MS * 1_000_000L, nanos));
  }

  static long wakeMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  private void wakeWhenAKeyFrees() {
    long nanos = pool.nanosUntilAvailable(Set.of());
    if (nanos == Long.MAX_VALUE || wakeScheduled) return;
    wakeScheduled = true;
    timer.scheduleNanos(wakeNanos(nanos), () -> {
      wakeScheduled = false;
      pump();
    });
  }

  /**
   * Starts the call; Argus's own time from the task leaving the queue until the request is handed to the
   * caller (written, for an HTTP caller) counts as dispatch overhead.
   */
  private void call(Job job, KeyPool.Lease lease, long leftQueueNanos) {
    long started = clock.nanos();
    job.callKey = lease.id();
    job.callStartedMs = clock.millis();
    if (!job.called) {
      job.called = true;
      meters.queued(job.task.createdAtMs(), job.callStartedMs);
    }
    calling.add(job);
    if (log.isTraceEnabled()) log.trace("sent {} {}", clock.nanos() / 1000, lease.id());
    CompletionStage<CallResult> stage;
    try {
      stage = caller.call(job.task, lease, job.request);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    long before = clock.nanos() - leftQueueNanos;
    stage.whenComplete((result, err) -> settle(job, lease, started, before, result != null ? result
        : new CallResult.Failed(CallOutcome.SERVER_ERROR, String.valueOf(unwrap(err).getMessage()))));
  }

  /** The reply arrived: act on it; from here until the result is handed on (or the task requeued) is overhead too. */
  private void settle(Job job, KeyPool.Lease lease, long started, long overheadBefore, CallResult result) {
    long arrived = lease.replyArrivedNanos() != 0 ? lease.replyArrivedNanos() : clock.nanos();
    long nanos = arrived - started;
    running--;
    calling.remove(job);
    job.callKey = null;
    // Answered by the rules at its deadline while this call was in flight: the pool learns, the task is done.
    boolean late = job.result.isDone();
    String keyId = lease.id();
    meters.request(keyId, result.outcome());
    if (!(result instanceof CallResult.CircuitOpen)) meters.latency(nanos);
    if (result instanceof CallResult.Success s) {
      pool.succeeded(lease, s.signals());
      if (!late) finish(job, llmAssessment(job, s.reply(), lease, TimeUnit.NANOSECONDS.toMillis(nanos)));
    } else if (result instanceof CallResult.RateLimited r) {
      // Not the task's fault: the key (or its account) learns and the task goes straight back to wait for another.
      pool.refused(lease, r.kind(), r.signals());
      if (log.isDebugEnabled()) {
        log.debug("LLM key {}: refused ({}) {} ms after sending, provider asked for {} ms", keyId, r.kind().label,
            TimeUnit.NANOSECONDS.toMillis(nanos), r.signals().retryAfterMs());
      }
      if (!late) requeue(job, 0, keyId + ": rate_limited (" + r.kind().label + ")");
    } else if (result instanceof CallResult.QuotaExhausted q) {
      pool.refused(lease, RefusalKind.QUOTA, q.signals());
      log.warn("LLM key {} ({}): quota or spend limit exhausted, its account is disabled until an operator acts: {}",
          keyId, lease.key().masked(), q.message());
      if (!late) requeue(job, 0, keyId + ": quota_exhausted");
    } else if (result instanceof CallResult.AuthFailed a) {
      pool.authFailed(lease, "the provider refused the key (" + a.message() + ")");
      log.warn("LLM key {} ({}) disabled: {}", keyId, lease.key().masked(), a.message());
      if (!late) requeue(job, 0, keyId + ": auth_failed");
    } else {
      // a 5xx reply: the provider answered and generated nothing; "overloaded" also says it took no call
      if (result instanceof CallResult.Failed f && f.overloaded()) pool.refused(lease, RefusalKind.OVERLOADED, ProviderSignals.NONE);
      else pool.failed(lease, result.outcome() == CallOutcome.SERVER_ERROR && lease.replyArrivedNanos() != 0);
      job.tried.add(keyId);
      job.attempts++;
      String error = keyId + ": " + result.outcome().label
          + (result instanceof CallResult.Failed f ? " (" + f.message() + ")" : " (the key's circuit breaker is open)");
      if (late) {
        log.debug("task {}: key {} failed after the rules had answered at the deadline: {}", job.task.taskId(), keyId, error);
      } else if (job.attempts >= settings.maxAttempts()) {
        fallBack(job, "LLM failed after " + job.attempts + " attempt(s); last error " + error);
      } else {
        requeue(job, retryBackoffMs(job.attempts), error);
      }
    }
    meters.overhead(overheadBefore + clock.nanos() - arrived);
    pump();
  }

  /** Jittered so that tasks failed by the same outage do not all come back at once. */
  private long retryBackoffMs(int attempts) {
    long min = settings.retryMinBackoffMs();
    return random.nextLong(min, Math.max(min + 1, settings.retryBackoffStepMs() * attempts));
  }

  /** Back into the queue (keeping its place by age) after {@code delayMs}. */
  private void requeue(Job job, long delayMs, String error) {
    job.lastError = error;
    if (delayMs <= 0) {
      backInQueue(job); // the caller pumps
    } else {
      timer.schedule(delayMs, () -> {
        backInQueue(job);
        pump();
      });
    }
  }

  private void backInQueue(Job job) {
    if (superseded(job)) {
      supersede(job);
    } else if (!enqueue(job)) {
      fallBack(job, QUEUE_FULL);
    }
  }

  private boolean enqueue(Job job) {
    job.queued = queue.offer(job, job.task.priority(), job.seq, job.task.deadlineMs());
    if (job.queued == null) return false;
    cameras.get(job.camera()).waiting.add(job);
    return true;
  }

  /** The job left the queue (taken, expired, out of keys). */
  private void unqueued(Job job) {
    Camera cam = cameras.get(job.camera());
    if (cam != null) cam.waiting.remove(job);
    job.queued = null;
  }

  private boolean superseded(Job job) {
    Camera cam = cameras.get(job.camera());
    return cam != null && cam.supersedes(job);
  }

  /** Dropped for a newer task of its camera: counted, done without a result. */
  private void supersede(Job job) {
    unqueued(job);
    meters.superseded();
    close(job);
    job.result.complete(null);
  }

  private static String lastError(Job job) {
    return job.lastError == null ? "" : "; last error " + job.lastError;
  }

  private Assessment llmAssessment(Job job, ParsedReply r, KeyPool.Lease lease, long latencyMs) {
    AssessmentTask t = job.task;
    return new Assessment(t.taskId(), t.cameraId(), t.frameId(), r.level(), r.score(), r.summary(), r.recommendations(),
        Assessment.SOURCE_LLM, ProviderClient.model(lease.key(), settings.defaultModel()), lease.id(), latencyMs,
        t.detectedAtMs(), clock.millis(), null, t.context());
  }

  /** The rules answer, unless a newer task of the camera superseded this one: stale answers help no one. */
  private void fallBack(Job job, String why) {
    if (superseded(job)) {
      supersede(job);
      return;
    }
    ParsedReply r = RulesAssessor.assess(job.frame);
    AssessmentTask t = job.task;
    finish(job, new Assessment(t.taskId(), t.cameraId(), t.frameId(), r.level(), r.score(), r.summary(),
        r.recommendations(), Assessment.SOURCE_RULES, "rules", null, 0, t.detectedAtMs(), clock.millis(), why,
        t.context()));
  }

  private void finish(Job job, Assessment a) {
    close(job);
    job.result.complete(a);
  }

  /**
   * The job is over; its camera is forgotten once it has nothing open (until then it remembers its newest
   * tasks, so an older one coming back from a retry still learns it was superseded).
   */
  private void close(Job job) {
    Camera cam = cameras.get(job.camera());
    if (cam != null && --cam.open <= 0) cameras.remove(job.camera());
  }

  private static Throwable unwrap(Throwable err) {
    return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
  }
}
