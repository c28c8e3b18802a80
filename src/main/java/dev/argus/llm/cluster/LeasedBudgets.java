package dev.argus.llm.cluster;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The cluster's budgets as one node spends them: permits are taken from the distributed bucket in small
 * leases (about {@value #LEASE_SECONDS} s of the budget's rate, at least what the call needs) and spent
 * locally, so a call costs a remote request only when the lease runs dry, and that request never blocks: the
 * pool is told "not now" and woken when the permits arrive. Unspent permits expire {@link #LEASE_TTL_NANOS}
 * after they were asked for (not after they arrived: on a starved machine the answer may wait in the event
 * loop's queue), and permits that arrive later than that go back to the cluster: permits spent long after the
 * cluster granted them would add to what the other nodes send in that second.
 *
 * <p>When the cluster does not answer within {@link #FALLBACK_AFTER_NANOS} (or fails), the budget degrades to
 * a conservative local share, the rate ÷ the members last seen, until a request succeeds again: a slow or
 * unreachable cluster slows dispatch down to a safe share, it never stalls it. What the node spent from its
 * share is a debt: permits that arrive later pay it first, and what they cannot pay is taken from the cluster's
 * bucket (which may go below zero), so the other nodes get that much less and the cluster does not overspend.
 *
 * <p>Not thread-safe: call it on the pool's thread; remote answers come back through {@code owner}.
 */
public final class LeasedBudgets {
  private static final Logger log = LoggerFactory.getLogger(LeasedBudgets.class);
  static final double LEASE_SECONDS = 0.1;
  static final long LEASE_TTL_NANOS = 500_000_000L;
  static final long FALLBACK_AFTER_NANOS = 2_000_000_000L;

  /** The distributed buckets: take up to {@code max} permits of {@code budget} now (0 when it is empty). */
  public interface Remote {
    CompletionStage<Long> take(String budget, BucketConfiguration config, long max);

    /** Takes {@code amount} whatever the bucket holds (it may go negative): spent while the cluster was away. */
    CompletionStage<?> repay(String budget, BucketConfiguration config, long amount);

    /** Puts back permits that came too late to be spent safely. */
    CompletionStage<?> giveBack(String budget, BucketConfiguration config, long amount);
  }

  private static final class Budget {
    final String name;
    final BucketConfiguration config;
    final double perSecond;
    final long batch;
    long permits;
    long expiresAt;
    boolean asking;
    long askedAt;
    long retryAt;
    boolean degraded;
    long debt;              // spent from the local share, not yet taken from the cluster
    Bucket fallback;
    int fallbackMembers;

    Budget(String name, BucketConfiguration config, double perSecond) {
      this.name = name;
      this.config = config;
      this.perSecond = perSecond;
      this.batch = Math.max(1, Math.round(perSecond * LEASE_SECONDS));
    }
  }

  private final Map<String, Budget> budgets = new HashMap<>();
  private final Remote remote;
  private final Executor owner;
  private final Runnable wake;
  private final LongSupplier nanos;
  private final IntSupplier members;
  private final TimeMeter timeMeter;

  /**
   * @param owner   runs remote answers on the pool's thread
   * @param wake    called (on the pool's thread) when permits arrived: the dispatcher may start calls
   * @param members how many nodes share the budgets now (for the local share)
   */
  public LeasedBudgets(Remote remote, Executor owner, Runnable wake, LongSupplier nanos, IntSupplier members) {
    this.remote = remote;
    this.owner = owner;
    this.wake = wake;
    this.nanos = nanos;
    this.members = members;
    this.timeMeter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanos.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
  }

  public void declare(String budget, BucketConfiguration config, double perSecond) {
    budgets.put(budget, new Budget(budget, config, perSecond));
  }

  public boolean holds(String budget, long amount) {
    Budget b = budgets.get(budget);
    if (b == null) return true;
    long now = nanos.getAsLong();
    if (b.permits > 0 && now - b.expiresAt >= 0) b.permits = 0;
    if (b.permits >= amount) return true;
    if (b.asking && now - b.askedAt >= FALLBACK_AFTER_NANOS && !b.degraded) {
      b.degraded = true;
      log.warn("the cluster did not answer for budget {} within {} ms: spending a local share until it does",
          b.name, FALLBACK_AFTER_NANOS / 1_000_000);
    }
    if (!b.asking && now - b.retryAt >= 0) ask(b, amount, now);
    return b.degraded && fallback(b).estimateAbilityToConsume(amount).canBeConsumed();
  }

  public void spend(String budget, long amount) {
    Budget b = budgets.get(budget);
    if (b == null) return;
    if (b.permits >= amount) {
      b.permits -= amount;
    } else if (b.degraded) {
      fallback(b).consumeIgnoringRateLimits(amount);
      b.debt += amount;
    }
  }

  public void refund(String budget, long amount) {
    Budget b = budgets.get(budget);
    if (b != null && nanos.getAsLong() - b.expiresAt < 0) b.permits += amount;
  }

  /** Whether a budget spends its local share because the cluster did not answer (for views and tests). */
  public boolean degraded(String budget) {
    Budget b = budgets.get(budget);
    return b != null && b.degraded;
  }

  private void ask(Budget b, long amount, long now) {
    b.asking = true;
    b.askedAt = now;
    long want = Math.max(amount, b.batch);
    CompletionStage<Long> answer;
    try {
      answer = remote.take(b.name, b.config, want);
    } catch (RuntimeException e) {
      answer = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((got, err) -> owner.execute(() -> arrived(b, got, err)));
  }

  private void arrived(Budget b, Long got, Throwable err) {
    long now = nanos.getAsLong();
    b.asking = false;
    if (err != null) {
      if (!b.degraded) log.warn("budget {}: the cluster failed ({}); spending a local share", b.name, err.toString());
      b.degraded = true;
      b.retryAt = now + FALLBACK_AFTER_NANOS;
      return;
    }
    if (b.degraded) log.info("budget {}: the cluster answers again", b.name);
    b.degraded = false;
    long paid = Math.min(b.debt, got == null ? 0 : got);
    b.debt -= paid;
    got = got == null ? 0 : got - paid;
    if (b.debt > 0) {
      long owed = b.debt;
      b.debt = 0;
      remote.repay(b.name, b.config, owed).whenComplete((v, e) -> {
        if (e != null) log.debug("budget {}: could not repay {} to the cluster: {}", b.name, owed, e.toString());
      });
    }
    long expires = b.askedAt + LEASE_TTL_NANOS;
    if (got > 0 && now - expires >= 0) {
      long late = got;
      remote.giveBack(b.name, b.config, late).whenComplete((v, e) -> {
        if (e != null) log.debug("budget {}: could not give back {}: {}", b.name, late, e.toString());
      });
    } else if (got > 0) {
      if (now - b.expiresAt >= 0) b.permits = 0;
      b.permits += got;
      b.expiresAt = expires;
      wake.run();
    } else {
      // Empty: one permit refills in 1/rate; asking sooner would only load the cluster.
      b.retryAt = now + (long) Math.min(1e9, 1e9 / Math.max(b.perSecond, 1e-3) / 2);
    }
  }

  /** The local share: the budget's rate ÷ the members, with at most its share of the burst (at least 1). */
  private Bucket fallback(Budget b) {
    int n = Math.max(1, members.getAsInt());
    if (b.fallback == null || b.fallbackMembers != n) {
      double rate = b.perSecond / n;
      long capacity = Math.max(1, (long) Math.floor(rate));
      long period = Math.max(1, Math.round(capacity * 1e9 / rate));
      b.fallback = Bucket.builder().withCustomTimePrecision(timeMeter)
          .addLimit(l -> l.capacity(capacity).refillGreedy(capacity, Duration.ofNanos(period))).build();
      b.fallbackMembers = n;
    }
    return b.fallback;
  }
}
