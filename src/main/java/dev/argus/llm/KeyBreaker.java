package dev.argus.llm;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * One key's circuit breaker, decided on the dispatcher's own thread: no timers, no locks, and no hop through the
 * event loop's task queue. (Vert.x's {@code CircuitBreaker} completes every call with {@code runOnContext}: each
 * reply waited behind whatever else the event loop had queued before the dispatcher saw it, which at 500 calls/s
 * on a busy machine was most of the dispatch overhead's tail. Measured against the library, same machine, same
 * session, {@code bench/llm/dispatch.sh} three runs each on the jar before and the jar with this change, 500 tasks/s
 * saturating two cores: dispatch overhead mean 112 → 4.4 ms, p99 626 → 201 ms;
 * {@code bench/results/llm-dispatch-20261130T223817Z.md} and {@code -224027Z.md}.) Same rules as the Vert.x breaker it replaces:
 * <ul>
 *   <li>CLOSED: {@code maxFailures} failures within {@value #ROLLING_WINDOW_MS} ms open it; a success forgets
 *       the failures.</li>
 *   <li>OPEN: refuses calls until its wait passed, then HALF_OPEN.</li>
 *   <li>HALF_OPEN: lets one trial call through; its success closes the breaker, its failure opens it again.</li>
 * </ul>
 * One deviation: the wait grows. Opening from CLOSED waits {@code firstResetMs}; each failed trial doubles the
 * wait, up to {@code maxResetMs}; a success starts over. (With one fixed wait, a one-second burst of 503s from an
 * overloaded provider opened every key's breaker for the full 10 s, and the rules answered all that time; a dead
 * key is still tried only every {@code maxResetMs} once its trials have failed a few times.) Envoy's outlier
 * ejection and Resilience4j's exponential wait do the same.
 * Not thread-safe.
 */
final class KeyBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  /** As Vert.x's {@code failuresRollingWindow} default: failures older than this do not count. */
  static final long ROLLING_WINDOW_MS = 10_000;

  private final int maxFailures;
  private final long firstResetNanos;
  private final long maxResetNanos;
  private long resetNanos;
  private final LongSupplier nanoClock;
  private final ArrayDeque<Long> failures = new ArrayDeque<>();
  private State state = State.CLOSED;
  private long openedAt;
  private boolean trialOut;

  KeyBreaker(int maxFailures, long firstResetMs, long maxResetMs, LongSupplier nanoClock) {
    this.maxFailures = Math.max(1, maxFailures);
    this.maxResetNanos = maxResetMs * 1_000_000L;
    this.firstResetNanos = Math.min(firstResetMs * 1_000_000L, maxResetNanos);
    this.resetNanos = firstResetNanos;
    this.nanoClock = nanoClock;
  }

  /** How long the breaker stays open this time (after {@link #failed} returned true: the wait just begun). */
  long waitMs() {
    return resetNanos / 1_000_000L;
  }

  State state() {
    if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= resetNanos) {
      state = State.HALF_OPEN;
      trialOut = false;
    }
    return state;
  }

  /** Whether a call may be made now (half-open: while its one trial is not out). */
  boolean allows() {
    State s = state();
    return s == State.CLOSED || (s == State.HALF_OPEN && !trialOut);
  }

  /** Takes the right to call; false: refused (open, or the half-open trial is out). */
  boolean tryCall() {
    if (!allows()) return false;
    if (state == State.HALF_OPEN) trialOut = true;
    return true;
  }

  void succeeded() {
    failures.clear();
    resetNanos = firstResetNanos;
    state = State.CLOSED;
    trialOut = false;
  }

  /** A failed call; true when it opened the breaker (the caller tells whoever listens). */
  boolean failed() {
    long now = nanoClock.getAsLong();
    if (state() == State.HALF_OPEN) { // the trial failed: wait longer this time
      resetNanos = Math.min(maxResetNanos, resetNanos * 2);
      return open(now);
    }
    if (state == State.OPEN) return false; // a call from before it opened: it is open already
    failures.addLast(now);
    while (!failures.isEmpty() && now - failures.peekFirst() > ROLLING_WINDOW_MS * 1_000_000L) failures.pollFirst();
    return failures.size() >= maxFailures && open(now);
  }

  private boolean open(long now) {
    state = State.OPEN;
    openedAt = now;
    trialOut = false;
    failures.clear();
    return true;
  }
}
