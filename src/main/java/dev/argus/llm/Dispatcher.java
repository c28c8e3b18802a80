package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.Detection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Spends the key pool on assessment tasks. Tasks wait in a bounded priority queue (priority from the
 * bridge, then age) until the {@link KeyPool} grants a key that its limits, cooldowns and breaker allow;
 * a failed call is retried on a different key after a jittered backoff; a task still waiting at its
 * deadline, or out of keys or attempts, is judged by the rules, and says why.
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
  }

  /** One provider call on a granted key; the stage completes with how it ended, on the dispatcher's thread. */
  public interface Caller {
    CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease);
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
    final CompletableFuture<Assessment> result = new CompletableFuture<>();
    final Set<String> tried = new HashSet<>();
    int attempts;
    String lastError;

    Job(AssessmentTask task, Detection frame, long seq, long enqueuedAtMs) {
      this.task = task;
      this.frame = frame;
      this.seq = seq;
      this.enqueuedAtMs = enqueuedAtMs;
    }
  }

  private record Start(Job job, KeyPool.Lease lease) {}

  private final KeyPool pool;
  private final DispatchQueue<Job> queue;
  private final Settings settings;
  private final Clock clock;
  private final Timer timer;
  private final Caller caller;
  private final Predicate<String> breakerAllows;
  private final DispatchMeters meters;
  private final Random random;
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

  /** Takes a task; the stage completes with its assessment, by an LLM or by the rules. */
  public CompletionStage<Assessment> submit(AssessmentTask task, Detection frame) {
    Job job = new Job(task, frame, seq++, clock.millis());
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
      fallBack(job, "deadline passed after waiting " + (now - job.enqueuedAtMs) + " ms for a key" + lastError(job));
    }
    // Calls start after the walk: a call that completes at once re-enters pump and changes the queue.
    List<Start> starts = new ArrayList<>();
    Iterator<DispatchQueue.Entry<Job>> it = queue.inOrder();
    while (running < settings.maxConcurrent() && it.hasNext()) {
      Job job = it.next().job();
      KeyPool.Lease lease = pool.acquire(job.tried, breakerAllows);
      if (lease != null) {
        it.remove();
        running++;
        starts.add(new Start(job, lease));
      } else if (pool.nanosUntilAvailable(job.tried) == Long.MAX_VALUE) {
        it.remove();
        fallBack(job, "no LLM key left to try (" + (job.tried.isEmpty() ? "all disabled" : "tried "
            + String.join(", ", job.tried)) + ")" + lastError(job));
      } else if (job.tried.isEmpty()) {
        break; // no key at all can take a call now: later tasks could not either
      }
    }
    for (Start s : starts) call(s.job(), s.lease());
    if (!queue.isEmpty() && running < settings.maxConcurrent()) wakeWhenAKeyFrees();
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

  private void wakeWhenAKeyFrees() {
    long nanos = pool.nanosUntilAvailable(Set.of());
    if (nanos == Long.MAX_VALUE || wakeScheduled) return;
    wakeScheduled = true;
    timer.schedule(Math.max(1, Math.min(TICK_MS, TimeUnit.NANOSECONDS.toMillis(nanos) + 1)), () -> {
      wakeScheduled = false;
      pump();
    });
  }

  private void call(Job job, KeyPool.Lease lease) {
    long started = clock.nanos();
    CompletionStage<CallResult> stage;
    try {
      stage = caller.call(job.task, lease);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((result, err) -> settle(job, lease, clock.nanos() - started, result != null ? result
        : new CallResult.Failed(CallOutcome.SERVER_ERROR, String.valueOf(unwrap(err).getMessage()))));
  }

  private void settle(Job job, KeyPool.Lease lease, long nanos, CallResult result) {
    running--;
    String keyId = lease.id();
    meters.request(keyId, result.outcome());
    if (!(result instanceof CallResult.CircuitOpen)) meters.latency(nanos);
    if (result instanceof CallResult.Success s) {
      pool.succeeded(lease);
      finish(job, llmAssessment(job, s.reply(), lease, TimeUnit.NANOSECONDS.toMillis(nanos)));
    } else if (result instanceof CallResult.RateLimited r) {
      // Not the task's fault: the key cools and the task goes straight back to wait for another.
      pool.rateLimited(lease, r.retryAfterMs());
      requeue(job, 0, keyId + ": rate_limited");
    } else if (result instanceof CallResult.AuthFailed a) {
      pool.authFailed(lease, "the provider refused the key (" + a.message() + ")");
      log.warn("LLM key {} ({}) disabled: {}", keyId, lease.key().masked(), a.message());
      requeue(job, 0, keyId + ": auth_failed");
    } else {
      pool.failed(lease);
      job.tried.add(keyId);
      job.attempts++;
      String error = keyId + ": " + result.outcome().label
          + (result instanceof CallResult.Failed f ? " (" + f.message() + ")" : " (the key's circuit breaker is open)");
      if (job.attempts >= settings.maxAttempts()) {
        fallBack(job, "LLM failed after " + job.attempts + " attempt(s); last error " + error);
      } else {
        requeue(job, retryBackoffMs(job.attempts), error);
      }
    }
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
      backInQueue(job);
    } else {
      timer.schedule(delayMs, () -> backInQueue(job));
    }
  }

  private void backInQueue(Job job) {
    if (!enqueue(job)) fallBack(job, QUEUE_FULL);
    pump();
  }

  private boolean enqueue(Job job) {
    return queue.offer(job, job.task.priority(), job.seq, job.task.deadlineMs());
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

  private void fallBack(Job job, String why) {
    ParsedReply r = RulesAssessor.assess(job.frame);
    AssessmentTask t = job.task;
    finish(job, new Assessment(t.taskId(), t.cameraId(), t.frameId(), r.level(), r.score(), r.summary(),
        r.recommendations(), Assessment.SOURCE_RULES, "rules", null, 0, t.detectedAtMs(), clock.millis(), why,
        t.context()));
  }

  private static void finish(Job job, Assessment a) {
    job.result.complete(a);
  }

  private static Throwable unwrap(Throwable err) {
    return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
  }
}
