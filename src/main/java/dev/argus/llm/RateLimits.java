package dev.argus.llm;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * One set of provider counters as the pool sees them: an account's (shared by its keys), or a key's own
 * declared limits inside a named account. Not thread-safe (the {@link KeyPool} owns it).
 *
 * <p>Buckets (Bucket4j, on the pool's clock), each only when its limit is known or learned: requests per
 * second (capacity {@code max(1, ceil(qps))}), where a known {@code rpm_limit} without a {@code qps_limit}
 * also means {@code rpm/60} per second because providers enforce "60 RPM" as 1/s; requests per minute; and
 * tokens per second at {@code tpm/60} (capacity one second's worth), charged the call's estimate. The rates
 * run {@code margin} below the declared limits so that arrival jitter between Argus and the provider does not
 * turn a call sent in time into one that arrives early. Besides: the provider's own counters as its headers
 * report them ({@link ProviderView}), cooling after a refusal, and the AIMD'd effective QPS.
 */
final class RateLimits {
  private static final long SECOND_NANOS = 1_000_000_000L;
  final String name;
  String sharedId;         // the pool's id for it: key:<id>, account:<name> or own:<id>
  private boolean sharedRequests;
  private boolean sharedTokens;
  private double sharedPerSecond = Double.POSITIVE_INFINITY; // the cluster budget's rate, once requests are shared
  private java.util.function.IntSupplier members = () -> 1;
  final double qpsLimit;   // declared requests per second, incl. rpm/60; 0 = unknown
  final double declaredQps; // qps_limit as declared; 0 = not declared
  final int rpmLimit;
  final long tpmLimit;
  private final Function<BucketConfiguration, Bucket> buckets;

  double margin;
  int successesSinceMarginChange;
  static final long NEVER = Long.MIN_VALUE;
  long sentAtLastRefusal = NEVER; // the send count at the last refusal under a declared limit
  boolean answered;        // a call of the account was answered well, ever
  double effectiveQps;    // NaN while unknown and nothing learned
  double ramp = 1;        // share of the AIMD increase; "slow down" lowers it
  boolean limitFound;     // an unknown limit was refused once: its rate is raised slowly from then on
  long burstCap = Long.MAX_VALUE; // the provider's reported request limit, when below one second's worth
  Bucket qpsBucket;
  final Bucket rpmBucket;
  final Bucket tpmBucket;
  final long tpmCapacity;
  final ProviderView requests = new ProviderView();
  final ProviderView tokens = new ProviderView();

  double measuredRefill = Double.NaN; // requests a second the provider's counter refilled at, measured from two reports
  private boolean sampled;
  private long sampleAt;        // pool nanos: the send time of the call whose report is the sample
  private long sampleRemaining;
  private long sampleSent;      // the account's send count just after that call

  boolean hasCooldown;
  long cooldownUntil;     // pool nanos
  String coolingReason;
  int consecutive429;
  long lastRateLimitSeq;
  boolean disabled;       // quota exhausted: until an operator enables a key of it
  String disabledReason;

  int inFlight;
  long sent;              // calls sent, ever
  long sentTokens;        // tokens charged, ever
  long settledTokens;     // tokens given back, ever: charged beyond the usage of settled calls (negative: used more)
  final ArrayDeque<Long> recentSends = new ArrayDeque<>();
  /**
   * Sends of the last second the provider may have counted: every send until its reply says it refused the
   * call or was overloaded. A provider's ramp guard counts only the calls it took, so a second of 429s or of an
   * overload burst is a second without calls to it, and the next second may carry only its floor.
   */
  private final ArrayDeque<Long> takenSends = new ArrayDeque<>();
  private boolean everSent;
  private long resumedAt;  // when sending last resumed after a second or more without a call
  private int resumedSends;
  private boolean resuming; // inside the first second after a pause the provider caused
  private boolean stoppedByProvider; // refused, overloaded or failing since the last call: a pause may follow

  RateLimits(String name, double qpsLimit, int rpmLimit, long tpmLimit, double margin, double unknownStartQps,
             Function<BucketConfiguration, Bucket> buckets) {
    this.name = name;
    this.declaredQps = Math.max(0, qpsLimit);
    this.qpsLimit = qpsLimit > 0 ? qpsLimit : rpmLimit > 0 ? rpmLimit / 60.0 : 0;
    this.rpmLimit = rpmLimit;
    this.tpmLimit = tpmLimit;
    this.margin = margin;
    this.buckets = buckets;
    this.rpmBucket = rpmLimit > 0
        ? buckets.apply(BucketConfiguration.builder()
            .addLimit(l -> l.capacity(rpmLimit).refillGreedy(rpmLimit, Duration.ofMinutes(1)).id("rpm")).build())
        : null;
    this.tpmCapacity = Math.max(1, tpmLimit / 60);
    this.tpmBucket = tpmLimit > 0 ? buckets.apply(perSecond(tpmCapacity, tpmLimit / 60.0 * (1 - margin), "tpm")) : null;
    this.effectiveQps = Double.NaN;
    // A per-minute limit is counted in windows (fixed, sliding, or quantized to seconds): a burst would be
    // counted in the window too, so calls derived from rpm_limit alone are spaced evenly instead.
    if (qpsLimit <= 0 && rpmLimit > 0) burstCap = 1;
    if (this.qpsLimit > 0) {
      setEffectiveQps(ceiling());
    } else if (!Double.isNaN(unknownStartQps)) {
      // An unknown limit starts slow and is probed up (AIMD), rather than found by a burst of 429s.
      setEffectiveQps(unknownStartQps);
    }
  }

  /** The highest rate the declared limit allows, less the safety margin. */
  double ceiling() {
    return qpsLimit * (1 - margin);
  }

  boolean cooling(long now) {
    return hasCooldown && now - cooldownUntil < 0;
  }

  /** Nanoseconds until a call of {@code cost} tokens could be sent; 0 = now. Cooling and disabling aside. */
  long waitNanos(long now, long cost) {
    long wait = refillWait(qpsBucket, 1);
    wait = Math.max(wait, refillWait(rpmBucket, 1));
    wait = Math.max(wait, refillWait(tpmBucket, tpmCost(cost)));
    wait = Math.max(wait, requests.waitNanos(now, 1));
    if (cost > 0) wait = Math.max(wait, tokens.waitNanos(now, cost));
    return Math.max(wait, resumeWait(now));
  }

  /**
   * A reply reported the provider's request counter at {@code r} when the call sent at {@code sentAt} arrived
   * ({@code sentCount}: the account's send count just after that call). Two reports a second or more apart, both
   * below full, measure the refill: what the counter gained plus what was sent between them, over the time. A
   * counter that was full in between refilled by less than it could have, so the measure errs low. Needs no
   * reset header: Anthropic's are rounded to the second, and OpenAI's say nothing of a window's length.
   */
  void sampleRequests(ProviderSignals.Level r, long sentAt, long sentCount) {
    if (!r.known() || r.limit() <= 0) return;
    boolean belowFull = r.remaining() < r.limit() - 1;
    if (sampled && sentAt - sampleAt < SECOND_NANOS) return;
    if (sampled && belowFull && sentAt - sampleAt < 5 * SECOND_NANOS) {
      double gained = r.remaining() - sampleRemaining + (sentCount - sampleSent);
      measuredRefill = Math.max(0, gained) * 1e9 / (sentAt - sampleAt);
    }
    sampled = belowFull;
    sampleAt = sentAt;
    sampleRemaining = r.remaining();
    sampleSent = sentCount;
  }

  /** The provider's request counter stood below half of its limit in this report. */
  boolean requestsDraining(ProviderSignals.Level r) {
    return r.known() && r.limit() > 1 && r.remaining() * 2 < r.limit();
  }

  /** The provider refused or failed a call: if the calls pause for a second or more, they resume gently. */
  void stoppedByProvider() {
    stoppedByProvider = true;
  }

  /**
   * After the provider stopped the calls (cooling after a 429, an open breaker, an overloaded or failing
   * provider) and took none of them for a second or more, the first second back carries at most half the
   * rate: providers refuse traffic that grows too fast even inside the rate limit (OpenAI {@code slow_down}, Anthropic's
   * acceleration limits, DashScope), and a key coming back would otherwise jump from nothing to its whole
   * rate. A pause for lack of work does not count (the tests and benches start at the full rate).
   */
  private long resumeWait(long now) {
    if (!resuming || Double.isNaN(effectiveQps) || noneTaken(now)) return 0; // this call resumes
    if (now - resumedAt >= SECOND_NANOS) {
      resuming = false;
      return 0;
    }
    return resumedSends < Math.max(1, (int) Math.floor(effectiveQps / 2)) ? 0 : resumedAt + SECOND_NANOS - now;
  }

  /**
   * Declares the declared limits as budgets the cluster spends together ({@code <id>:req} for requests per
   * second and minute, {@code <id>:tok} for tokens per minute), at the rates of this node's own buckets.
   */
  void declareShared(ClusterHooks hooks) {
    members = hooks::members;
    if (qpsLimit <= 0 && !Double.isNaN(effectiveQps)) {
      double qps = effectiveQps;
      effectiveQps = Double.NaN; // force this node's share into the bucket
      setEffectiveQps(qps);
    }
    if (qpsLimit > 0 || rpmLimit > 0) {
      double perSecond = ceiling();
      long capacity = Math.max(1, Math.min(burstCap, (long) Math.ceil(perSecond)));
      var b = BucketConfiguration.builder().addLimit(perSecond(capacity, perSecond, "qps").getBandwidths()[0]);
      if (rpmLimit > 0) b.addLimit(l -> l.capacity(rpmLimit).refillGreedy(rpmLimit, Duration.ofMinutes(1)).id("rpm"));
      hooks.declare(sharedId + ":req", b.build(), perSecond);
      sharedRequests = true;
      sharedPerSecond = perSecond;
    }
    if (tpmLimit > 0) {
      double perSecond = tpmLimit / 60.0 * (1 - margin);
      hooks.declare(sharedId + ":tok", perSecond(tpmCapacity, perSecond, "tpm"), perSecond);
      sharedTokens = true;
    }
  }

  /** The cluster's budgets (when declared) hold a call of {@code cost} tokens for this node. */
  boolean sharedHolds(long cost, ClusterHooks hooks) {
    return (!sharedRequests || hooks.holds(sharedId + ":req", 1))
        && (!sharedTokens || hooks.holds(sharedId + ":tok", tpmCost(cost)));
  }

  /** Takes the call from every bucket and view; call only when {@link #waitNanos} said 0. */
  void take(long now, long cost, ClusterHooks hooks) {
    if (sharedRequests) hooks.spend(sharedId + ":req", 1);
    if (sharedTokens) hooks.spend(sharedId + ":tok", tpmCost(cost));
    if (qpsBucket != null) qpsBucket.consumeIgnoringRateLimits(1);
    if (rpmBucket != null) rpmBucket.consumeIgnoringRateLimits(1);
    if (tpmBucket != null) tpmBucket.consumeIgnoringRateLimits(tpmCost(cost));
    requests.take(1);
    tokens.take(cost);
    inFlight++;
    sent++;
    sentTokens += cost;
    recentSends.addLast(now);
    pruneSends(now);
    if (stoppedByProvider && everSent && noneTaken(now)) {
      resumedAt = now;
      resumedSends = 0;
      resuming = true;
    }
    // Only the pause that follows the provider's stop counts: calls sent again without one made no jump.
    stoppedByProvider = false;
    if (resuming) resumedSends++;
    everSent = true;
    takenSends.addLast(now);
  }

  /** No send of the last second may have been counted by the provider (see {@link #takenSends}). */
  private boolean noneTaken(long now) {
    while (!takenSends.isEmpty() && now - takenSends.peekFirst() >= SECOND_NANOS) takenSends.pollFirst();
    return takenSends.isEmpty();
  }

  /** The provider did not take the call sent at {@code sentAt} (refused it, or was overloaded). */
  void notTaken(long sentAt) {
    takenSends.removeFirstOccurrence(sentAt);
  }

  /** The call was charged {@code charged} tokens and used {@code used}: the token counters settle the difference. */
  void settleTokens(long charged, long used, ClusterHooks hooks) {
    if (used < 0 || used == charged) return;
    long diff = charged - used;
    settledTokens += diff;
    if (sharedTokens && diff > 0) hooks.refund(sharedId + ":tok", Math.min(diff, tpmCapacity));
    if (tpmBucket != null) {
      if (diff > 0) tpmBucket.addTokens(Math.min(diff, tpmCapacity));
      else tpmBucket.consumeIgnoringRateLimits(-diff);
    }
    tokens.giveBack(diff);
  }

  /**
   * The provider counted {@code reported} tokens left when a call arrived that left {@code leftAfter} in the TPM
   * bucket when it was sent: the call arrived later, so the provider had refilled meanwhile and held at least as
   * much, were the two in step. Where it held less, the bucket is ahead of the provider by the difference and
   * gives it up now. They drift apart while calls are on their way: a reservation given back while the
   * provider's counter is full is lost to it but not to the bucket (measured: 5% of calls refused for tokens
   * at a TPM limit with 10 ms of arrival jitter). Only ever downwards: upwards would trust a stale report.
   */
  void syncTpmDown(ProviderSignals.Level reported, long leftAfter) {
    if (tpmBucket == null || leftAfter < 0 || !reported.known()) return;
    long ahead = leftAfter - reported.remaining();
    if (ahead > 0) tpmBucket.consumeIgnoringRateLimits(Math.min(ahead, tpmCapacity));
  }

  /** A bigger call than the bucket holds is charged the whole bucket: it must pass some time. */
  private long tpmCost(long cost) {
    return Math.max(1, Math.min(cost, tpmCapacity));
  }

  void pruneSends(long now) {
    while (!recentSends.isEmpty() && now - recentSends.peekFirst() >= KeyPool.SEND_WINDOW_NANOS) recentSends.pollFirst();
  }

  /**
   * The provider reported a request limit of {@code limit}: a bucket holding less than one second's worth (a
   * token bucket of small capacity) must not be met with a burst of a whole second's calls.
   */
  void capBurst(long limit) {
    if (limit <= 0 || limit >= burstCap) return;
    burstCap = limit;
    if (!Double.isNaN(effectiveQps) && Math.ceil(effectiveQps) > limit) {
      double qps = effectiveQps;
      effectiveQps = Double.NaN; // force the new configuration
      setEffectiveQps(qps);
    }
  }

  void setEffectiveQps(double qps) {
    qps = Math.max(KeyPool.MIN_EFFECTIVE_QPS, qps);
    if (qps == effectiveQps) return;
    effectiveQps = qps;
    // The cluster's budget binds at the declared limit, so there each node's own bucket may hold the whole rate.
    // A learned rate has no budget of its own (without a declared limit, or below it after 429s: the budget
    // keeps the declared rate), so each of the cluster's nodes sends its share of it; otherwise what one node
    // learned would slow no one down.
    boolean budgetBinds = qpsLimit > 0 && (!sharedRequests || qps >= sharedPerSecond - 1e-9);
    double local = budgetBinds ? qps : qps / Math.max(1, members.getAsInt());
    BucketConfiguration c = perSecond(Math.max(1, Math.min(burstCap, (long) Math.ceil(local))), local, "qps");
    if (qpsBucket == null) {
      qpsBucket = buckets.apply(c);
    } else {
      // Keep the tokens it has (cut down to the new capacity when it shrinks): no burst on raising.
      qpsBucket.replaceConfiguration(c, TokensInheritanceStrategy.AS_IS);
    }
  }

  /** Capacity {@code capacity}, refilled greedily at exactly {@code rate} tokens per second. */
  private static BucketConfiguration perSecond(long capacity, double rate, String id) {
    long periodNanos = Math.max(1, Math.round(capacity * 1e9 / rate));
    return BucketConfiguration.builder()
        .addLimit(l -> l.capacity(capacity).refillGreedy(capacity, Duration.ofNanos(periodNanos)).id(id))
        .build();
  }

  private static long refillWait(Bucket b, long tokens) {
    if (b == null) return 0;
    var probe = b.estimateAbilityToConsume(tokens);
    return probe.canBeConsumed() ? 0 : probe.getNanosToWaitForRefill();
  }
}
