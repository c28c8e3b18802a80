package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The key pool: which key may take the next call now, and what each outcome does to a key. Not thread-safe
 * (one dispatcher owns it).
 *
 * <p>Per key:
 * <ul>
 *   <li><b>Token buckets</b> (Bucket4j, on the injected clock): a QPS bucket (capacity {@code max(1, ceil(qps))},
 *       greedy refill at qps per second) when the QPS limit is known or has been learned, and an RPM bucket
 *       (capacity rpm, greedy refill rpm per minute) when {@code rpm_limit > 0}. A key is only handed out when
 *       every bucket it has holds a token, so nothing is sent that its known limits would refuse.</li>
 *   <li><b>Cooling</b> after a 429: until {@code Retry-After} says, else {@code minCooldown × 2^(n−1)} capped at
 *       {@code maxCooldown} for the n-th 429 in a row, plus a random jitter of up to {@code jitterFraction} of
 *       that wait. Cooling again only ever extends the deadline.</li>
 *   <li><b>AIMD</b> on the effective QPS: halved (never below {@value #MIN_EFFECTIVE_QPS}) when a 429 comes
 *       while the key was sending under its configured limit; raised after each success by
 *       {@value #INCREASE_SHARE_OF_LIMIT} × the configured limit (or {@value #INCREASE_WHEN_UNKNOWN} qps when
 *       the limit is unknown), capped at the configured limit.</li>
 *   <li><b>Probing</b>: a new or re-enabled key takes at most one call at a time until its first answer, so a
 *       revoked key gets exactly one call.</li>
 *   <li><b>Disabled</b> on an auth failure (or by an operator) until {@link #enable}.</li>
 * </ul>
 *
 * <p><b>Episodes.</b> Calls that were already in flight when a key's 429 arrived were sent before anyone knew;
 * their outcomes carry no news about the key's rate. So only an outcome of a call <em>sent after</em> the key's
 * latest 429 moves the 429 count and the effective rate: a burst of five 429s from one volley halves the rate
 * once and counts as one 429 in a row (each still extends the cooldown), and the successes of calls sent before
 * a decrease do not undo it.
 */
public final class KeyPool {
  /**
   * PROBING: not yet proven (no answer yet): at most ONE call in flight until its first answer of any kind.
   * ACTIVE; COOLING (until a deadline, after 429); DISABLED (auth failure or operator; stays until enable()).
   */
  public enum State { PROBING, ACTIVE, COOLING, DISABLED }

  /**
   * Cooldowns in milliseconds; {@code jitterFraction} 0.2 means up to 20% added to each cooldown.
   * {@code unknownStartQps}: the rate a key with no configured QPS limit starts at and is probed up from
   * (slow start); NaN leaves such a key unthrottled until its first 429 teaches the pool a rate.
   */
  public record Settings(SelectionStrategy strategy, long minCooldownMs, long maxCooldownMs, double jitterFraction,
                         double unknownStartQps) {
    public Settings(SelectionStrategy strategy, long minCooldownMs, long maxCooldownMs, double jitterFraction) {
      this(strategy, minCooldownMs, maxCooldownMs, jitterFraction, Double.NaN);
    }

    public Settings {
      if (strategy == null) throw new IllegalArgumentException("strategy is required");
      if (minCooldownMs < 0 || maxCooldownMs < minCooldownMs) {
        throw new IllegalArgumentException("need 0 <= minCooldownMs <= maxCooldownMs, got "
            + minCooldownMs + " and " + maxCooldownMs);
      }
      if (!(jitterFraction >= 0) || Double.isInfinite(jitterFraction)) {
        throw new IllegalArgumentException("jitterFraction must be >= 0, got " + jitterFraction);
      }
    }
  }

  /** One granted call: release it through exactly one of succeeded/rateLimited/authFailed/failed. */
  public static final class Lease {
    private final KeyPool pool;
    private final Key k;
    private final long seq;
    private boolean released;

    private Lease(KeyPool pool, Key k, long seq) {
      this.pool = pool;
      this.k = k;
      this.seq = seq;
    }

    public LlmKeySpec key() {
      return k.spec;
    }

    public String id() {
      return k.spec.id();
    }

    @Override
    public String toString() {
      return "Lease[" + k.spec.id() + ", " + k.spec.masked() + "]";
    }
  }

  /**
   * What an operator or a metric may see of a key. {@code cooldownUntilMs} is wall-clock epoch milliseconds
   * (derived from the pool's clock and the wall clock when the pool was built).
   */
  public record KeyView(String id, String maskedKey, State state, String reason, int inFlight,
                        double effectiveQps /* NaN when unknown */, double successRate /* NaN when no calls */,
                        long cooldownUntilMs /* 0 when not cooling */, int priority) {}

  // --- constants (documented in the class comment) ---
  /** AIMD multiplicative decrease on a 429 under the configured limit. */
  static final double DECREASE_FACTOR = 0.5;
  /** The effective rate never drops below this (one call per ten seconds). */
  static final double MIN_EFFECTIVE_QPS = 0.1;
  /** AIMD additive increase per success, as a share of the configured QPS limit. */
  static final double INCREASE_SHARE_OF_LIMIT = 0.1;
  /** AIMD additive increase per success when the limit is unknown (learned from 429s), in qps. */
  static final double INCREASE_WHEN_UNKNOWN = 0.5;
  /** The recent send rate that a 429 is judged against: calls sent in this window. */
  static final long SEND_WINDOW_NANOS = 1_000_000_000L;
  /**
   * {@link #nanosUntilAvailable} for a key whose probe is still out: it frees on an answer, not at a time,
   * so this is only a re-check hint (the answer's release will normally come first).
   */
  static final long PROBE_RECHECK_NANOS = 100_000_000L;
  /** Success rate window: five minutes in 30 buckets of 10 s. */
  static final long SUCCESS_WINDOW_MS = 300_000;
  static final int SUCCESS_BUCKETS = 30;
  /** Waits are clamped so that clock arithmetic never overflows (about 73 years). */
  private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

  private static final class Key {
    final LlmKeySpec spec;
    final int weight;
    boolean disabled;
    String disabledReason;
    boolean proven;
    int inFlight;
    boolean hasCooldown;
    long cooldownUntil;          // nanos on the pool clock
    String coolingReason;
    int consecutive429;
    long lastRateLimitSeq;       // the newest lease seq issued when this key's latest 429 arrived
    double effectiveQps;         // NaN while the limit is unknown and nothing was learned
    Bucket qpsBucket;
    final Bucket rpmBucket;
    final ArrayDeque<Long> sends = new ArrayDeque<>();
    final RollingRate successRate = new RollingRate(SUCCESS_WINDOW_MS, SUCCESS_BUCKETS);
    long wrrCurrent;

    Key(LlmKeySpec spec, Bucket rpmBucket) {
      this.spec = spec;
      this.weight = Math.max(1, spec.weight());
      this.rpmBucket = rpmBucket;
      this.effectiveQps = spec.qpsLimit() > 0 ? spec.qpsLimit() : Double.NaN;
    }

    boolean cooling(long now) {
      return hasCooldown && now - cooldownUntil < 0;
    }

    /** In-flight calls relative to the key's rate; an unknown rate counts as 1. */
    double load() {
      return inFlight / (Double.isNaN(effectiveQps) ? 1.0 : effectiveQps);
    }
  }

  private final List<Key> keys = new ArrayList<>();
  private final Settings settings;
  private final LongSupplier nanoClock;
  private final Random random;
  private final TimeMeter timeMeter;
  private final long wallAtStartMs;
  private final long nanosAtStart;
  private long seq;
  private int rrNext;

  public KeyPool(List<LlmKeySpec> specs, Settings settings, LongSupplier nanoClock, Random random) {
    this(specs, settings, nanoClock, random, System.currentTimeMillis());
  }

  /** With the wall-clock time that corresponds to the clock's reading now (for {@link KeyView#cooldownUntilMs}). */
  KeyPool(List<LlmKeySpec> specs, Settings settings, LongSupplier nanoClock, Random random, long wallNowMs) {
    if (settings == null || nanoClock == null || random == null) {
      throw new IllegalArgumentException("settings, clock and random are required");
    }
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.random = random;
    this.timeMeter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanoClock.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
    this.nanosAtStart = nanoClock.getAsLong();
    this.wallAtStartMs = wallNowMs;
    Set<String> ids = new HashSet<>();
    for (LlmKeySpec s : specs) {
      if (s.id() == null || !ids.add(s.id())) throw new IllegalArgumentException("duplicate or missing key id: " + s.id());
      Bucket rpm = s.rpmLimit() > 0
          ? bucket(BucketConfiguration.builder()
              .addLimit(l -> l.capacity(s.rpmLimit()).refillGreedy(s.rpmLimit(), Duration.ofMinutes(1)).id("rpm"))
              .build())
          : null;
      Key k = new Key(s, rpm);
      if (s.qpsLimit() > 0) {
        k.qpsBucket = bucket(qpsConfig(k.effectiveQps));
      } else if (!Double.isNaN(settings.unknownStartQps())) {
        // An unknown limit starts slow and is probed up (AIMD), rather than found by a burst of 429s.
        setEffectiveQps(k, settings.unknownStartQps());
      }
      keys.add(k);
    }
  }

  private Bucket bucket(BucketConfiguration config) {
    var b = Bucket.builder().withCustomTimePrecision(timeMeter);
    for (var bw : config.getBandwidths()) b.addLimit(bw);
    return b.build();
  }

  /** Capacity {@code max(1, ceil(qps))}, refilled greedily at exactly qps tokens per second. */
  private static BucketConfiguration qpsConfig(double qps) {
    long capacity = Math.max(1, (long) Math.ceil(qps));
    long periodNanos = Math.max(1, Math.round(capacity * 1e9 / qps));
    return BucketConfiguration.builder()
        .addLimit(l -> l.capacity(capacity).refillGreedy(capacity, Duration.ofNanos(periodNanos)).id("qps"))
        .build();
  }

  // ------------------------------------------------------------------ acquiring

  /**
   * A key that may take a call now (not excluded, not disabled, not cooling, breaker allows it, has QPS and RPM
   * tokens, not PROBING with a call already in flight), chosen by the strategy; consumes one token from each of
   * its buckets and counts it in flight. null when no key can take a call now.
   *
   * @param breakerAllowsKeyId asked only for keys that pass every other check; should be free of side effects
   */
  public Lease acquire(Set<String> exclude, Predicate<String> breakerAllowsKeyId) {
    long now = nanoClock.getAsLong();
    List<Key> candidates = new ArrayList<>();
    for (Key k : keys) {
      if (usableNow(k, now, exclude) && (breakerAllowsKeyId == null || breakerAllowsKeyId.test(k.spec.id()))) {
        candidates.add(k);
      }
    }
    while (!candidates.isEmpty()) {
      Key k = choose(candidates);
      if (takeTokens(k)) {
        k.inFlight++;
        k.sends.addLast(now);
        pruneSends(k, now);
        return new Lease(this, k, ++seq);
      }
      candidates.remove(k); // cannot happen with a monotonic clock; stay correct if it does
    }
    return null;
  }

  private boolean usableNow(Key k, long now, Set<String> exclude) {
    if (k.disabled || (exclude != null && exclude.contains(k.spec.id()))) return false;
    if (k.cooling(now)) return false;
    if (!k.proven && k.inFlight > 0) return false;
    return hasToken(k.qpsBucket) && hasToken(k.rpmBucket);
  }

  private static boolean hasToken(Bucket b) {
    return b == null || b.estimateAbilityToConsume(1).canBeConsumed();
  }

  private static boolean takeTokens(Key k) {
    if (k.qpsBucket != null && !k.qpsBucket.tryConsume(1)) return false;
    if (k.rpmBucket != null && !k.rpmBucket.tryConsume(1)) {
      if (k.qpsBucket != null) k.qpsBucket.addTokens(1);
      return false;
    }
    return true;
  }

  private static final Comparator<Key> BY_PRIORITY_THEN_ID =
      Comparator.<Key>comparingInt(k -> k.spec.priority()).thenComparing(k -> k.spec.id());

  private Key choose(List<Key> candidates) {
    switch (settings.strategy()) {
      case LEAST_LOADED:
        return Collections.min(candidates, Comparator.comparingDouble(Key::load).thenComparing(BY_PRIORITY_THEN_ID));
      case ROUND_ROBIN:
        for (int i = 0; i < keys.size(); i++) {
          int idx = (rrNext + i) % keys.size();
          if (candidates.contains(keys.get(idx))) {
            rrNext = (idx + 1) % keys.size();
            return keys.get(idx);
          }
        }
        throw new IllegalStateException("no candidate in the ring");
      case WEIGHTED:
      default: {
        // Smooth weighted round robin (nginx): every candidate gains its weight, the highest current weight
        // wins and pays back the total. Among equal current weights the lower priority number, then the id.
        long total = 0;
        Key best = null;
        for (Key k : candidates) {
          k.wrrCurrent += k.weight;
          total += k.weight;
          if (best == null || k.wrrCurrent > best.wrrCurrent
              || (k.wrrCurrent == best.wrrCurrent && BY_PRIORITY_THEN_ID.compare(k, best) < 0)) {
            best = k;
          }
        }
        best.wrrCurrent -= total;
        return best;
      }
    }
  }

  /**
   * How long until some non-excluded, non-disabled key could take a call (earliest cooldown end or token
   * refill); 0 if one could now; Long.MAX_VALUE if none ever could (all disabled or excluded). Circuit breakers
   * are not considered: 0 while {@link #acquire} returns null means the breakers are what stands in the way.
   * A key whose single probe is still out counts as {@value #PROBE_RECHECK_NANOS} ns away (it frees on its
   * answer, not at a time).
   */
  public long nanosUntilAvailable(Set<String> exclude) {
    long now = nanoClock.getAsLong();
    long best = Long.MAX_VALUE;
    for (Key k : keys) {
      if (k.disabled || (exclude != null && exclude.contains(k.spec.id()))) continue;
      long wait = k.cooling(now) ? k.cooldownUntil - now : 0;
      wait = Math.max(wait, refillWait(k.qpsBucket));
      wait = Math.max(wait, refillWait(k.rpmBucket));
      if (!k.proven && k.inFlight > 0) wait = Math.max(wait, PROBE_RECHECK_NANOS);
      best = Math.min(best, wait);
    }
    return best;
  }

  private static long refillWait(Bucket b) {
    if (b == null) return 0;
    var probe = b.estimateAbilityToConsume(1);
    return probe.canBeConsumed() ? 0 : probe.getNanosToWaitForRefill();
  }

  // ------------------------------------------------------------------ outcomes

  /** The call was answered well: AIMD additive increase, PROBING → ACTIVE, the 429 streak ends. */
  public void succeeded(Lease lease) {
    Key k = release(lease);
    long now = nanoClock.getAsLong();
    k.successRate.record(true, ms(now));
    k.proven = true;
    if (k.disabled || lease.seq <= k.lastRateLimitSeq) return; // sent before the latest 429: no news
    k.consecutive429 = 0;
    if (Double.isNaN(k.effectiveQps)) return; // unknown and never limited: nothing to raise
    double limit = k.spec.qpsLimit();
    double raised = limit > 0
        ? Math.min(limit, k.effectiveQps + INCREASE_SHARE_OF_LIMIT * limit)
        : k.effectiveQps + INCREASE_WHEN_UNKNOWN;
    setEffectiveQps(k, raised);
  }

  /**
   * The provider refused the call (429). Cools the key until {@code retryAfterMs} (when the provider said) or
   * the exponential backoff, plus jitter, never shortening an existing cooldown; lowers the effective rate
   * when the key was sending under its configured limit (or its limit is unknown).
   */
  public void rateLimited(Lease lease, Long retryAfterMs) {
    Key k = release(lease);
    long now = nanoClock.getAsLong();
    k.successRate.record(false, ms(now));
    k.proven = true;
    if (k.disabled) return;
    boolean news = lease.seq > k.lastRateLimitSeq;
    k.lastRateLimitSeq = seq;
    if (news) {
      k.consecutive429++;
      lowerRate(k, now);
    }

    long waitMs;
    String why;
    if (retryAfterMs != null) {
      waitMs = Math.max(0, retryAfterMs);
      why = "rate limited: provider asked for " + waitMs + " ms";
    } else {
      int n = Math.max(1, k.consecutive429);
      double backoff = settings.minCooldownMs() * Math.pow(2, Math.min(n - 1, 62));
      waitMs = (long) Math.min(settings.maxCooldownMs(), backoff);
      why = "rate limited: " + n + " in a row, backing off " + waitMs + " ms";
    }
    long waitNanos = toNanos(waitMs);
    double jitter = random.nextDouble() * settings.jitterFraction() * waitNanos;
    long total = (long) Math.min(MAX_WAIT_NANOS, waitNanos + jitter);
    long deadline = now + total;
    if (!k.hasCooldown || !k.cooling(now) || deadline - k.cooldownUntil > 0) {
      k.hasCooldown = true;
      k.cooldownUntil = deadline;
      k.coolingReason = why;
    }
  }

  /** 401/403: the key is disabled with the reason and not handed out again until {@link #enable}. */
  public void authFailed(Lease lease, String reason) {
    Key k = release(lease);
    k.successRate.record(false, ms(nanoClock.getAsLong()));
    k.disabled = true;
    k.disabledReason = reason;
  }

  /**
   * 5xx, timeout, reset or an unusable reply: released and counted as a failure. A key still PROBING stays
   * so: a key that has never answered well gets one call at a time, never a burst.
   */
  public void failed(Lease lease) {
    Key k = release(lease);
    k.successRate.record(false, ms(nanoClock.getAsLong()));
  }

  private Key release(Lease lease) {
    if (lease == null) throw new IllegalArgumentException("no lease");
    if (lease.pool != this) throw new IllegalArgumentException("lease for key " + lease.id() + " is from another pool");
    if (lease.released) throw new IllegalStateException("lease for key " + lease.id() + " was already released");
    lease.released = true;
    lease.k.inFlight--;
    return lease.k;
  }

  /** AIMD decrease, or the first estimate of an unknown limit. */
  private void lowerRate(Key k, long now) {
    double limit = k.spec.qpsLimit();
    pruneSends(k, now);
    int recent = k.sends.size();
    if (Double.isNaN(k.effectiveQps)) {
      // Unknown limit, first 429: it was about what we just sent, so start from half of that.
      setEffectiveQps(k, Math.max(1, recent) * DECREASE_FACTOR);
    } else if (limit <= 0 || recent < limit) {
      // Refused while under what we were told (or for a learned limit): the real limit is lower.
      setEffectiveQps(k, k.effectiveQps * DECREASE_FACTOR);
    }
    // At or over the configured limit: the 429 is explained; cooling alone deals with it.
  }

  private void setEffectiveQps(Key k, double qps) {
    qps = Math.max(MIN_EFFECTIVE_QPS, qps);
    if (qps == k.effectiveQps) return;
    k.effectiveQps = qps;
    if (k.qpsBucket == null) {
      k.qpsBucket = bucket(qpsConfig(qps));
    } else {
      // Keep the tokens it has (cut down to the new capacity when it shrinks): no burst on raising.
      k.qpsBucket.replaceConfiguration(qpsConfig(qps), TokensInheritanceStrategy.AS_IS);
    }
  }

  private static void pruneSends(Key k, long now) {
    while (!k.sends.isEmpty() && now - k.sends.peekFirst() >= SEND_WINDOW_NANOS) k.sends.pollFirst();
  }

  // ------------------------------------------------------------------ operator

  /** DISABLED → PROBING (cooldown and 429 streak cleared); true for any known id, false for an unknown one. */
  public boolean enable(String id) {
    Key k = find(id);
    if (k == null) return false;
    if (k.disabled) {
      k.disabled = false;
      k.disabledReason = null;
      k.proven = false;
      k.hasCooldown = false;
      k.coolingReason = null;
      k.consecutive429 = 0;
    }
    return true;
  }

  /** The key is not handed out until {@link #enable}; calls in flight finish normally. */
  public boolean disable(String id, String reason) {
    Key k = find(id);
    if (k == null) return false;
    k.disabled = true;
    k.disabledReason = reason;
    return true;
  }

  private Key find(String id) {
    for (Key k : keys) if (k.spec.id().equals(id)) return k;
    return null;
  }

  // ------------------------------------------------------------------ views

  public List<KeyView> snapshot() {
    long now = nanoClock.getAsLong();
    List<KeyView> out = new ArrayList<>(keys.size());
    for (Key k : keys) {
      State state = state(k, now);
      String reason = switch (state) {
        case DISABLED -> k.disabledReason;
        case COOLING -> k.coolingReason;
        case PROBING -> "not yet proven: one call at a time until its first answer";
        case ACTIVE -> null;
      };
      long cooldownUntilMs = state == State.COOLING ? wallMs(k.cooldownUntil) : 0;
      out.add(new KeyView(k.spec.id(), k.spec.masked(), state, reason, k.inFlight, k.effectiveQps,
          k.successRate.rate(ms(now)), cooldownUntilMs, k.spec.priority()));
    }
    return out;
  }

  private static State state(Key k, long now) {
    if (k.disabled) return State.DISABLED;
    if (k.cooling(now)) return State.COOLING;
    return k.proven ? State.ACTIVE : State.PROBING;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Keys not DISABLED. */
  public long usableCount() {
    return keys.stream().filter(k -> !k.disabled).count();
  }

  @Override
  public String toString() {
    return "KeyPool[" + keys.size() + " keys, " + settings.strategy() + "]";
  }

  private static long ms(long nanos) {
    return Math.floorDiv(nanos, 1_000_000L);
  }

  /** A deadline on the pool clock as wall-clock epoch milliseconds, rounded up. */
  private long wallMs(long nanos) {
    return wallAtStartMs - Math.floorDiv(-(nanos - nanosAtStart), 1_000_000L);
  }

  private static long toNanos(long ms) {
    return ms >= MAX_WAIT_NANOS / 1_000_000L ? MAX_WAIT_NANOS : ms * 1_000_000L;
  }
}
