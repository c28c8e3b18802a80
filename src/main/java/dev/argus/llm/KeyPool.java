package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmAccountSpec;
import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The key pool: which key may take the next call now, and what each outcome does to a key and its account.
 * Not thread-safe (one dispatcher owns it).
 *
 * <p><b>Accounts.</b> Providers limit the account (organization, project), not the key. Keys naming the same
 * {@code account} share one {@link RateLimits}: its buckets (at the account's own limits when the key file's
 * {@code accounts:} section declares them), its copy of the provider's counters, its cooling and its AIMD rate.
 * A key without an account is its own account, carrying its declared limits; a key inside a named account keeps
 * its declared limits as its own buckets besides the account's.
 *
 * <p>A key is handed out only when nothing known would refuse the call: its account is not cooling or
 * disabled; every bucket (QPS, RPM, TPM, see {@link RateLimits}) and the provider's reported counters
 * ({@link ProviderView}) hold the call; the key is under its learned concurrency limit; and a PROBING key has
 * no call out yet (a revoked key gets exactly one call).
 *
 * <p>Refusals ({@link RefusalKind}):
 * <ul>
 *   <li><b>rate</b>: the account cools until the provider's wait, else {@code minCooldown × 2^(n−1)} capped at
 *       {@code maxCooldown} for the n-th in a row, plus up to {@code jitterFraction} of it; cooling again only
 *       extends. With a declared limit the safety margin widens first (up to {@code maxSafetyMargin}); past
 *       that, if the account was sending under its declared limit, the effective QPS halves (AIMD; a success adds back
 *       {@value #INCREASE_SHARE_OF_LIMIT} × the limit). An unknown limit starts slow and grows by
 *       {@value #INCREASE_WHEN_UNKNOWN} qps per success until the first refusal, which halves what was sent; from
 *       then on it grows by {@value #INCREASE_WHEN_UNKNOWN} qps per second of successes and a refusal takes it to
 *       {@value #UNKNOWN_DECREASE_FACTOR} of itself.</li>
 *   <li><b>concurrency</b>: the key's concurrency limit drops below the calls it had in flight; after
 *       {@value #CONCURRENCY_PROBE_SUCCESSES} successes at the limit it is tried one higher. No cooling.</li>
 *   <li><b>slow down</b>: the account's ramp (the AIMD increase) halves and its rate drops by a fifth.</li>
 *   <li><b>quota</b>: the account is disabled until an operator enables one of its keys.</li>
 *   <li><b>overloaded</b>: a plain failure; the key's breaker deals with it.</li>
 * </ul>
 *
 * <p><b>Episodes.</b> Calls already in flight when a 429 arrived were sent before anyone knew; only an outcome
 * of a call <em>sent after</em> the account's latest 429 moves the 429 count and the effective rate.
 */
public final class KeyPool {
  /**
   * PROBING: not yet proven (no answer yet): at most ONE call in flight until its first answer of any kind.
   * ACTIVE; COOLING (its account, until a deadline); DISABLED (auth, quota or operator; stays until enable()).
   */
  public enum State { PROBING, ACTIVE, COOLING, DISABLED }

  /**
   * Cooldowns in milliseconds; {@code jitterFraction} 0.2 means up to 20% added to each cooldown.
   * {@code unknownStartQps}: the rate an account with no known limit starts at (NaN: unthrottled until its
   * first 429). {@code safetyMargin}: the share below declared limits that the buckets run at, against arrival
   * jitter; unexpected refusals widen it up to {@code maxSafetyMargin}.
   */
  public record Settings(SelectionStrategy strategy, long minCooldownMs, long maxCooldownMs, double jitterFraction,
                         double unknownStartQps, double safetyMargin, double maxSafetyMargin) {
    public Settings(SelectionStrategy strategy, long minCooldownMs, long maxCooldownMs, double jitterFraction) {
      this(strategy, minCooldownMs, maxCooldownMs, jitterFraction, Double.NaN);
    }

    public Settings(SelectionStrategy strategy, long minCooldownMs, long maxCooldownMs, double jitterFraction,
                    double unknownStartQps) {
      this(strategy, minCooldownMs, maxCooldownMs, jitterFraction, unknownStartQps, 0, 0);
    }

    /** The pool's settings as the configuration gives them. */
    public static Settings of(ArgusConfig.Llm llm) {
      return new Settings(llm.selectionStrategy(), llm.minCooldownMs(), llm.maxCooldownMs(), llm.cooldownJitter(),
          llm.unknownLimitStartQps(), llm.safetyMargin(), llm.maxSafetyMargin());
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
      if (!(safetyMargin >= 0 && safetyMargin < 1 && maxSafetyMargin < 1)) {
        throw new IllegalArgumentException("need 0 <= safetyMargin < 1 and maxSafetyMargin < 1");
      }
      maxSafetyMargin = Math.max(safetyMargin, maxSafetyMargin);
    }
  }

  /** One granted call: release it through exactly one outcome method. */
  public static final class Lease {
    private final KeyPool pool;
    private final PooledKey k;
    private final long seq;
    final long cost;
    final long sentAt;
    final long accountSent;        // the account's send count just after this call
    final long accountSentTokens;  // the account's charged tokens just after this call
    final long accountSettledTokens; // the account's tokens given back by settled calls, at this call's send
    final long tpmLeftAfter;       // the account's TPM bucket just after this call took its charge; -1: none
    final int keyInFlight;         // the key's calls in flight on this node, this one included
    final int keyConcurrencyLimit; // the key's learned limit (the cluster's total) when this call was sent
    private long replyArrivedNanos;
    private boolean released;

    private Lease(KeyPool pool, PooledKey k, long seq, long cost, long sentAt) {
      this.pool = pool;
      this.k = k;
      this.seq = seq;
      this.cost = cost;
      this.sentAt = sentAt;
      this.accountSent = k.account.sent;
      this.accountSentTokens = k.account.sentTokens;
      this.accountSettledTokens = k.account.settledTokens;
      this.tpmLeftAfter = k.account.tpmBucket == null ? -1 : k.account.tpmBucket.getAvailableTokens();
      this.keyInFlight = k.inFlight;
      this.keyConcurrencyLimit = k.concurrencyLimit;
    }

    public LlmKeySpec key() {
      return k.spec;
    }

    public String id() {
      return k.spec.id();
    }

    /** The caller saw the provider's reply arrive (before reading it): now, on the pool's clock. */
    public void replyArrived() {
      if (replyArrivedNanos == 0) replyArrivedNanos = pool.nanoClock.getAsLong();
    }

    /** When {@link #replyArrived} was called, on the pool's clock; 0 when it was not. */
    public long replyArrivedNanos() {
      return replyArrivedNanos;
    }

    /** The tokens the call was charged before it was sent (0 when no token limit concerns it). */
    public long cost() {
      return cost;
    }

    @Override
    public String toString() {
      return "Lease[" + k.spec.id() + ", " + k.spec.masked() + "]";
    }
  }

  /**
   * What an operator or a metric may see of a key. {@code cooldownUntilMs} is wall-clock epoch milliseconds
   * (derived from the pool's clock and the wall clock when the pool was built). {@code effectiveQps} is its
   * account's; {@code concurrencyLimit} is 0 while none was learned.
   */
  public record KeyView(String id, String maskedKey, State state, String reason, int inFlight,
                        double effectiveQps /* NaN when unknown */, double successRate /* NaN when no calls */,
                        long cooldownUntilMs /* 0 when not cooling */, int priority, String account,
                        int concurrencyLimit) {}

  /**
   * An account: its keys, how many can be used, its rate (NaN when unknown), its calls in flight, and its declared
   * limits (the {@code accounts:} section's for a named account, the key's own for a key that is its own account).
   */
  public record AccountView(String name, int keys, int usableKeys, double effectiveQps, double sentLastSecond,
                            int inFlight, boolean cooling, boolean disabled,
                            double qpsLimit, int rpmLimit, long tpmLimit /* declared; 0 when not */) {}

  // --- constants (documented in the class comment) ---
  static final double DECREASE_FACTOR = 0.5;
  static final double MIN_EFFECTIVE_QPS = 0.1;
  static final double INCREASE_SHARE_OF_LIMIT = 0.1;
  static final double INCREASE_WHEN_UNKNOWN = 0.5;
  /** A refusal of an unknown limit already found: the rate, raised slowly since, was just past it. */
  static final double UNKNOWN_DECREASE_FACTOR = 0.85;
  /**
   * An unknown limit found before is raised only while the calls use this share of its rate: raised on while a
   * refill-limited provider held them lower, the rate ran to 1.5× the limit and each pass over it cost a volley
   * of 429s (token bucket, no declared limit, 800 ms provider: 0.86–0.88 of the limit admitted, 2–3% 429 in
   * {@code VirtualRun}; 0.93–0.97 and 0.8% with it). During the slow start, half: its rate runs a latency
   * ahead of the sends.
   */
  static final double RATE_USED_TO_RAISE = 0.9;
  /** How much an unexpected refusal under a declared limit widens the safety margin. */
  static final double MARGIN_STEP = 0.02;
  /**
   * A widened margin narrows by a quarter step after this many successes without a refusal of the account, down
   * to the configured one. A margin that only ever widened made every 429 (a late timer, jitter on the way) a
   * permanent loss of 2% of the limit: a bucket of one call, no burst, lost 10% to a handful of 429s in the
   * warm-up. Narrowing only 0.5% per 200 successes: where the margin is what keeps 429s away (30 ms of jitter
   * on 100 ms spacing), each 429 costs its cooling, a second of the key, so they must stay rare (widening 2%
   * per refusal and narrowing so settles at about one refusal in 800 calls).
   */
  static final int MARGIN_RELAX_SUCCESSES = 200;
  /**
   * A refusal under a declared limit after at least this many calls without one is a stray and changes no rate:
   * on a bucket of one call (no burst at all) a pause of the machine bunches two calls on the way now and then
   * whatever the margin, and widening it for each cost 10% of the limit (0.89 admitted, 0.45% 429) for nothing.
   * At most one refusal in 200 calls is a 429 share of 0.5%, below the goal of 1%.
   */
  static final long STRAY_REFUSAL_CALLS = 200;
  /** "Slow down": the rate drops to this share, and the ramp halves down to {@link #MIN_RAMP}. */
  static final double SLOW_DOWN_FACTOR = 0.8;
  static final double MIN_RAMP = 1.0 / 16;
  /** Successes at a learned concurrency limit before one more call in flight is tried. */
  static final int CONCURRENCY_PROBE_SUCCESSES = 100;
  static final long SEND_WINDOW_NANOS = 1_000_000_000L;
  /** Re-check hint for a key that frees on an answer, not at a time (probe out, concurrency full). */
  static final long PROBE_RECHECK_NANOS = 100_000_000L;
  static final long SUCCESS_WINDOW_MS = 300_000;
  static final int SUCCESS_BUCKETS = 30;
  /** Waits are clamped so that clock arithmetic never overflows (about 73 years). */
  private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

  private final List<PooledKey> keys = new ArrayList<>();
  private final Map<String, RateLimits> accounts = new LinkedHashMap<>();
  private final Settings settings;
  private final LongSupplier nanoClock;
  private final Random random;
  private final TimeMeter timeMeter;
  private final long wallAtStartMs;
  private final long nanosAtStart;
  private final KeySelection selection;
  private ClusterHooks hooks = ClusterHooks.STANDALONE;
  private long seq;

  public KeyPool(List<LlmKeySpec> specs, Settings settings, LongSupplier nanoClock, Random random) {
    this(specs, settings, nanoClock, random, System.currentTimeMillis());
  }

  /** With the wall-clock time that corresponds to the clock's reading now (for {@link KeyView#cooldownUntilMs}). */
  KeyPool(List<LlmKeySpec> specs, Settings settings, LongSupplier nanoClock, Random random, long wallNowMs) {
    if (settings == null || nanoClock == null || random == null) {
      throw new IllegalArgumentException("settings, clock and random are required");
    }
    this.settings = settings;
    this.selection = new KeySelection(settings.strategy());
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
    }
    for (LlmKeySpec s : specs) {
      RateLimits account;
      RateLimits own = null;
      if (s.account() == null) {
        account = limits("key " + s.id(), s.qpsLimit(), s.rpmLimit(), s.tpmLimit(), settings.unknownStartQps());
        account.sharedId = "key:" + s.id();
        accounts.put(account.sharedId, account);
      } else {
        // The account's own limits when the key file declares them (accounts:); else its keys' declared limits
        // bind them. What the provider reports (headers, refusals) teaches the account's either way. Slow start
        // only when neither the account nor any of its keys declares a request limit.
        LlmAccountSpec accountLimits = s.accountLimits() != null ? s.accountLimits() : new LlmAccountSpec(s.account(), 0, 0, 0);
        boolean declared = accountLimits.declaresRequests()
            || specs.stream().anyMatch(o -> s.account().equals(o.account()) && (o.qpsLimit() > 0 || o.rpmLimit() > 0));
        account = accounts.computeIfAbsent("account:" + s.account(), a -> limits(s.account(), accountLimits.qpsLimit(),
            accountLimits.rpmLimit(), accountLimits.tpmLimit(), declared ? Double.NaN : settings.unknownStartQps()));
        account.sharedId = "account:" + s.account();
        if (s.qpsLimit() > 0 || s.rpmLimit() > 0 || s.tpmLimit() > 0) {
          own = limits("key " + s.id(), s.qpsLimit(), s.rpmLimit(), s.tpmLimit(), Double.NaN);
          own.sharedId = "own:" + s.id();
        }
      }
      keys.add(new PooledKey(s, account, own));
    }
  }

  private RateLimits limits(String name, double qps, int rpm, long tpm, double unknownStartQps) {
    return new RateLimits(name, qps, rpm, tpm, settings.safetyMargin(), unknownStartQps, this::bucket);
  }

  private Bucket bucket(BucketConfiguration config) {
    var b = Bucket.builder().withCustomTimePrecision(timeMeter);
    for (var bw : config.getBandwidths()) b.addLimit(bw);
    return b.build();
  }

  /**
   * Joins the pool to a cluster: its declared limits become budgets the cluster spends together, unproven keys
   * need the cluster's probe, and its decisions are published. Call once, before the first acquire.
   */
  public void attach(ClusterHooks hooks) {
    this.hooks = hooks;
    for (RateLimits a : allLimits()) a.declareShared(hooks);
  }

  private List<RateLimits> allLimits() {
    List<RateLimits> all = new ArrayList<>(accounts.values());
    for (PooledKey k : keys) if (k.own != null) all.add(k.own);
    return all;
  }

  /** A decision another node (or this one) published: applied without publishing it again. */
  public void apply(SharedChange change) {
    SharedApply.apply(this, change, nanoClock.getAsLong());
  }

  // ------------------------------------------------------------------ acquiring

  /** {@link #acquire(Set, Predicate, long)} for a call whose tokens no limit counts. */
  public Lease acquire(Set<String> exclude, Predicate<String> breakerAllowsKeyId) {
    return acquire(exclude, breakerAllowsKeyId, 0);
  }

  /**
   * A key that may take a call of {@code tokens} estimated tokens now, chosen by the strategy; takes the call
   * from its buckets and counts it in flight. null when no key can take it now.
   *
   * @param breakerAllowsKeyId asked only for keys that pass every other check; should be free of side effects
   */
  public Lease acquire(Set<String> exclude, Predicate<String> breakerAllowsKeyId, long tokens) {
    long now = nanoClock.getAsLong();
    List<PooledKey> candidates = new ArrayList<>();
    for (PooledKey k : keys) {
      if (waitNanos(k, now, exclude, tokens) == 0
          && (breakerAllowsKeyId == null || breakerAllowsKeyId.test(k.spec.id()))) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) return null;
    PooledKey k = selection.choose(keys, candidates);
    k.lastChosen = seq + 1; // the lease's number, below
    k.account.take(now, tokens, hooks);
    if (k.own != null) k.own.take(now, tokens, hooks);
    if (!k.proven) hooks.probeSent(k.spec.id());
    k.inFlight++;
    return new Lease(this, k, ++seq, tokens, now);
  }

  /** The calls in flight this node may have on the key: its share of the learned limit (all of it alone). */
  private int concurrencyShare(PooledKey k) {
    return k.concurrencyLimit == Integer.MAX_VALUE ? Integer.MAX_VALUE : hooks.share(k.concurrencyLimit);
  }

  /** 0 when the key could take the call now; Long.MAX_VALUE when it never can without an operator. */
  private long waitNanos(PooledKey k, long now, Set<String> exclude, long tokens) {
    if (k.disabled || k.account.disabled || (exclude != null && exclude.contains(k.spec.id()))) return Long.MAX_VALUE;
    long wait = k.account.cooling(now) ? k.account.cooldownUntil - now : 0;
    if ((!k.proven && k.inFlight > 0) || k.inFlight >= concurrencyShare(k)) wait = Math.max(wait, PROBE_RECHECK_NANOS);
    if (k.breakerOpenUntil != 0 && now - k.breakerOpenUntil < 0) wait = Math.max(wait, k.breakerOpenUntil - now);
    if (wait > 0) return wait;
    wait = k.account.waitNanos(now, tokens);
    if (k.own != null) wait = Math.max(wait, k.own.waitNanos(now, tokens));
    if (wait > 0) return wait;
    // The cluster's share: asked last, so a node asks for budgets and probes only for keys it could use now.
    boolean cluster = k.account.sharedHolds(tokens, hooks) && (k.own == null || k.own.sharedHolds(tokens, hooks))
        && (k.proven || hooks.mayProbe(k.spec.id()));
    return cluster ? 0 : PROBE_RECHECK_NANOS;
  }

  /** {@link #nanosUntilAvailable(Set, long)} for a call whose tokens no limit counts. */
  public long nanosUntilAvailable(Set<String> exclude) {
    return nanosUntilAvailable(exclude, 0);
  }

  /**
   * How long until some non-excluded, usable key could take a call of {@code tokens}; 0 if one could now;
   * Long.MAX_VALUE if none ever could (all disabled or excluded). Breakers are not considered: 0 while
   * {@link #acquire} returns null means the breakers are what stands in the way. A key that frees on an
   * answer (its probe is out, its concurrency is full) counts as {@value #PROBE_RECHECK_NANOS} ns away.
   */
  public long nanosUntilAvailable(Set<String> exclude, long tokens) {
    long now = nanoClock.getAsLong();
    long best = Long.MAX_VALUE;
    for (PooledKey k : keys) best = Math.min(best, waitNanos(k, now, exclude, tokens));
    return best;
  }

  // ------------------------------------------------------------------ outcomes

  /** {@link #succeeded(Lease, ProviderSignals)} without anything said. */
  public void succeeded(Lease lease) {
    succeeded(lease, ProviderSignals.NONE);
  }

  /**
   * The call was answered well: the provider's counters are copied, the token charge settled against the
   * usage, AIMD additive increase, PROBING → ACTIVE, the 429 streak ends.
   */
  public void succeeded(Lease lease, ProviderSignals signals) {
    PooledKey k = release(lease);
    long now = nanoClock.getAsLong();
    k.successRate.record(true, ms(now));
    prove(k);
    learn(k, lease, signals);
    if (signals.usedTokens() >= 0 && lease.cost > 0) {
      settleTokens(k, lease.cost, signals.usedTokens());
    }
    if (k.concurrencyLimit != Integer.MAX_VALUE && lease.keyInFlight >= concurrencyShare(k)
        && ++k.successesAtLimit >= CONCURRENCY_PROBE_SUCCESSES) {
      k.concurrencyLimit++;
      k.successesAtLimit = 0;
      hooks.publish(new SharedChange.ConcurrencyLearned(k.spec.id(), k.concurrencyLimit));
    }
    RateLimits a = k.account;
    a.answered = true;
    if (k.disabled || a.disabled || lease.seq <= a.lastRateLimitSeq) return; // sent before the latest 429: no news
    a.consecutive429 = 0;
    if (Double.isNaN(a.effectiveQps)) return; // unknown and never limited: nothing to raise
    if (a.qpsLimit <= 0 && a.requestsDraining(signals.requests())) {
      if (!a.limitFound) endSlowStart(a);
      return;
    }
    // Probing up an unknown limit is pointless while the provider says its counter is (nearly) empty.
    if (a.qpsLimit <= 0 && a.requests.have(now) < 1) return;
    // Nor while the rate is not being used (RFC 7661's rule for TCP): a rate raised on no evidence is a burst
    // once the work (or the provider's refill) comes back.
    if (a.qpsLimit <= 0) {
      a.pruneSends(now);
      if (a.recentSends.size() < a.effectiveQps * (a.limitFound ? RATE_USED_TO_RAISE : 0.5)) return;
    }
    if (a.qpsLimit > 0 && a.margin > settings.safetyMargin() && ++a.successesSinceMarginChange >= MARGIN_RELAX_SUCCESSES) {
      a.margin = Math.max(settings.safetyMargin(), a.margin - MARGIN_STEP / 4);
      a.successesSinceMarginChange = 0;
    }
    double raised = a.qpsLimit > 0
        ? Math.min(a.ceiling(), a.effectiveQps + INCREASE_SHARE_OF_LIMIT * a.qpsLimit * a.ramp)
        : a.effectiveQps + unknownIncrease(a, signals.requests());
    if (raised > a.effectiveQps) {
      a.setEffectiveQps(raised);
      hooks.publish(new SharedChange.RateLearned(a.sharedId, a.effectiveQps));
    }
  }

  /**
   * One success's raise of an unknown limit. Until the provider first refused, {@value #INCREASE_WHEN_UNKNOWN} qps
   * per success (a slow start: the rate doubles in about a second, as TCP's does per round trip). Once a refusal
   * showed where the limit lies, {@value #INCREASE_WHEN_UNKNOWN} qps per second's worth of successes: a raise per
   * success then grew the rate by half of itself every second, so it was well past the limit again before the
   * provider's next 429 (sent an LLM latency later) could say so, and every cycle cost a volley of refusals.
   */
  private static double unknownIncrease(RateLimits a, ProviderSignals.Level requests) {
    if (a.limitFound) return INCREASE_WHEN_UNKNOWN * a.ramp / Math.max(1, a.effectiveQps);
    // The provider says its counter is at least half full: well below the limit, so a step twice as large
    boolean roomReported = requests.known() && requests.limit() > 0 && requests.remaining() * 2 >= requests.limit();
    return (roomReported ? 2 : 1) * INCREASE_WHEN_UNKNOWN * a.ramp;
  }

  /**
   * The provider's request counter fell below half: the slow start is past the limit (the reply is a latency
   * old, so by now further still). It ends here, at the rate the counter was measured to refill at when there is
   * a measurement, else at what was sent in the last second; from then on the rate grows slowly. Without this
   * the slow start ran on to twice the limit before the first 429, and a volley of them followed.
   */
  private void endSlowStart(RateLimits a) {
    a.pruneSends(nanoClock.getAsLong());
    double base = !Double.isNaN(a.measuredRefill) ? a.measuredRefill : Math.max(1, a.recentSends.size());
    a.limitFound = true;
    a.setEffectiveQps(Math.min(a.effectiveQps, base * (1 - a.margin)));
    hooks.publish(new SharedChange.RateLearned(a.sharedId, a.effectiveQps));
  }

  /** The key's first answer since start or enable: one call at a time no more, here and on every node. */
  private void prove(PooledKey k) {
    if (k.proven) return;
    k.proven = true;
    hooks.publish(new SharedChange.Proven(k.spec.id()));
  }

  /** The provider's reported counters, anchored at the call's send time, into the account's copies. */
  private void learn(PooledKey k, Lease lease, ProviderSignals signals) {
    RateLimits a = k.account;
    a.capBurst(signals.requests().limit());
    long now = nanoClock.getAsLong();
    a.requests.sync(signals.requests(), lease.sentAt, now, a.sent - lease.accountSent, a.margin, a.qpsLimit);
    a.sampleRequests(signals.requests(), lease.sentAt, lease.accountSent);
    // The provider's count was taken when this call arrived; since then calls went out (charged), and calls
    // that were in flight then finished and gave back what they were charged beyond their usage: left out,
    // the copy would stay short by every reservation returned in the last reply's latency (at 800 ms and
    // 15 calls a second, most of a 4,000-token bucket).
    long tokensSince = (a.sentTokens - lease.accountSentTokens) - (a.settledTokens - lease.accountSettledTokens);
    a.syncTpmDown(signals.tokens(), lease.tpmLeftAfter);
    a.tokens.sync(signals.tokens(), lease.sentAt, now, tokensSince, a.margin,
        a.tpmLimit / 60.0);
  }

  /** A 429 as a rate refusal, with the wait the provider asked for (null when it did not say). */
  public void rateLimited(Lease lease, Long retryAfterMs) {
    refused(lease, RefusalKind.RATE, new ProviderSignals(ProviderSignals.Level.UNKNOWN, ProviderSignals.Level.UNKNOWN,
        retryAfterMs, RefusalKind.RATE, -1));
  }

  /** The provider refused the call for {@code kind}; see the class comment for what each kind does. */
  public void refused(Lease lease, RefusalKind kind, ProviderSignals signals) {
    notTaken(lease);
    if (kind == RefusalKind.OVERLOADED) {
      failed(lease, true);
      return;
    }
    PooledKey k = release(lease);
    long now = nanoClock.getAsLong();
    k.successRate.record(false, ms(now));
    prove(k);
    learn(k, lease, signals);
    RateLimits a = k.account;
    if (lease.cost > 0) {
      settleTokens(k, lease.cost, 0); // a refused call used nothing
    }
    if (k.disabled || a.disabled) return;
    switch (kind) {
      case QUOTA -> {
        a.disabled = true;
        a.disabledReason = "quota or spend limit exhausted: the provider will not take calls on "
            + a.name + " until an operator acts";
        hooks.publish(new SharedChange.AccountDisabled(a.sharedId, a.disabledReason));
      }
      case CONCURRENCY -> {
        // The limit is the cluster's total. Each node holds about its share, so what was in flight on the key
        // is about this node's calls times the members; one less than that, and never below what the calls sent
        // under the same limit already taught (several refusals of one episode do not compound).
        long inFlight = Math.min((long) lease.keyInFlight * Math.max(1, hooks.members()), lease.keyConcurrencyLimit);
        k.concurrencyLimit = (int) Math.min(k.concurrencyLimit, Math.max(1, inFlight - 1));
        k.successesAtLimit = 0;
        hooks.publish(new SharedChange.ConcurrencyLearned(k.spec.id(), k.concurrencyLimit));
      }
      case SLOW_DOWN -> {
        a.ramp = Math.max(MIN_RAMP, a.ramp / 2);
        a.pruneSends(now);
        double base = Double.isNaN(a.effectiveQps) ? Math.max(1, a.recentSends.size()) : a.effectiveQps;
        a.setEffectiveQps(base * SLOW_DOWN_FACTOR);
        hooks.publish(new SharedChange.RateLearned(a.sharedId, a.effectiveQps));
        if (signals.retryAfterMs() != null) cool(a, now, signals.retryAfterMs(), "slowing down: provider asked for "
            + signals.retryAfterMs() + " ms");
      }
      default -> rate(a, lease, now, signals.retryAfterMs(), tokensShort(signals, lease.cost));
    }
  }

  /**
   * The refusal was for tokens, by the counters it carries: fewer tokens left than the call asked for, while a
   * request was left. The request rate is not what the provider refused, so it is not lowered (an unknown one
   * halved for it, and then crawled back at 0.5 qps a second: measured 0.88 of a TPM limit); the token copy,
   * re-synced from this reply, holds the next call until the tokens are there.
   */
  static boolean tokensShort(ProviderSignals signals, long cost) {
    ProviderSignals.Level t = signals.tokens(), r = signals.requests();
    return cost > 0 && t.known() && t.remaining() < cost && (!r.known() || r.remaining() >= 1);
  }

  private void rate(RateLimits a, Lease lease, long now, Long retryAfterMs, boolean tokensShort) {
    boolean news = lease.seq > a.lastRateLimitSeq;
    a.lastRateLimitSeq = seq;
    if (news) {
      a.consecutive429++;
      double before = a.effectiveQps;
      if (!tokensShort) lowerRate(a, now);
      if (Double.compare(before, a.effectiveQps) != 0) hooks.publish(new SharedChange.RateLearned(a.sharedId, a.effectiveQps));
    }
    if (retryAfterMs != null) {
      cool(a, now, Math.max(0, retryAfterMs), "rate limited: provider asked for " + Math.max(0, retryAfterMs) + " ms");
    } else {
      int n = Math.max(1, a.consecutive429);
      double backoff = settings.minCooldownMs() * Math.pow(2, Math.min(n - 1, 62));
      long waitMs = (long) Math.min(settings.maxCooldownMs(), backoff);
      cool(a, now, waitMs, "rate limited: " + n + " in a row, backing off " + waitMs + " ms");
    }
  }

  /** The provider refused the call or was overloaded: its ramp guard did not count it. */
  private void notTaken(Lease lease) {
    if (lease == null || lease.released) return; // release() reports the misuse
    PooledKey k = lease.k;
    k.account.notTaken(lease.sentAt);
    if (k.own != null) k.own.notTaken(lease.sentAt);
  }

  /** Cools for {@code waitMs} plus jitter; never shortens a cooldown already running. */
  private void cool(RateLimits a, long now, long waitMs, String why) {
    a.stoppedByProvider();
    long waitNanos = toNanos(waitMs);
    double jitter = random.nextDouble() * settings.jitterFraction() * waitNanos;
    long deadline = now + (long) Math.min(MAX_WAIT_NANOS, waitNanos + jitter);
    if (!a.cooling(now) || deadline - a.cooldownUntil > 0) {
      a.hasCooldown = true;
      a.cooldownUntil = deadline;
      a.coolingReason = why;
      hooks.publish(new SharedChange.AccountCooling(a.sharedId, wallMs(deadline), why));
    }
  }

  /** 401/403: the key is disabled with the reason and not handed out again until {@link #enable}. */
  public void authFailed(Lease lease, String reason) {
    PooledKey k = release(lease);
    k.successRate.record(false, ms(nanoClock.getAsLong()));
    k.disabled = true;
    k.disabledReason = reason;
    hooks.publish(new SharedChange.KeyDisabled(k.spec.id(), reason, true));
  }

  /**
   * 5xx, timeout, reset or an unusable reply: released and counted as a failure. A key still PROBING stays
   * so: a key that has never answered well gets one call at a time, never a burst.
   */
  public void failed(Lease lease) {
    failed(lease, false);
  }

  /**
   * {@link #failed(Lease)}; {@code usedNothing}: the provider answered with an error (5xx, overloaded), so the
   * call's token charge comes back as for a refusal. Left charged, every failed call kept a whole estimate out
   * of the TPM bucket (measured: about 4% of a TPM limit at 2% server errors). A timeout or an unreadable reply
   * stays charged: the provider may have counted it.
   */
  public void failed(Lease lease, boolean usedNothing) {
    PooledKey k = release(lease);
    if (usedNothing && lease.cost > 0) {
      settleTokens(k, lease.cost, 0);
    }
    k.account.stoppedByProvider();
    if (k.own != null) k.own.stoppedByProvider();
    k.successRate.record(false, ms(nanoClock.getAsLong()));
    if (!k.proven) hooks.publish(new SharedChange.ProbeEnded(k.spec.id()));
  }

  /** A call charged {@code charged} tokens used {@code used}: its account's and its key's own counters settle it. */
  private void settleTokens(PooledKey k, long charged, long used) {
    k.account.settleTokens(charged, used, hooks);
    if (k.own != null) k.own.settleTokens(charged, used, hooks);
  }

  private PooledKey release(Lease lease) {
    if (lease == null) throw new IllegalArgumentException("no lease");
    if (lease.pool != this) throw new IllegalArgumentException("lease for key " + lease.id() + " is from another pool");
    if (lease.released) throw new IllegalStateException("lease for key " + lease.id() + " was already released");
    lease.released = true;
    lease.k.inFlight--;
    lease.k.account.inFlight--;
    if (lease.k.own != null) lease.k.own.inFlight--;
    return lease.k;
  }

  /** A refusal with a declared limit widens the margin, then halves the rate; an unknown limit is estimated. */
  private void lowerRate(RateLimits a, long now) {
    a.pruneSends(now);
    int recent = a.recentSends.size();
    if (Double.isNaN(a.effectiveQps) || (a.qpsLimit <= 0 && !a.limitFound)) {
      // Unknown limit, first 429: it was about what we just sent (a slow start overshoots by up to its last
      // second's growth), so start from half of that.
      // (No call in the last second: the 429 answers an older one, so the rate it was sent at is the basis.)
      double sent = Double.isNaN(a.effectiveQps) ? Math.max(1, recent)
          : recent > 0 ? Math.min(recent, a.effectiveQps) : a.effectiveQps;
      a.setEffectiveQps(sent * DECREASE_FACTOR);
      a.limitFound = true;
    } else if (a.qpsLimit <= 0) {
      // Unknown limit found before: the rate was raised slowly from below it, so the 429 says it is just past.
      a.setEffectiveQps(a.effectiveQps * UNKNOWN_DECREASE_FACTOR);
    } else if (a.sentAtLastRefusal == RateLimits.NEVER ? a.answered : a.sent - a.sentAtLastRefusal >= STRAY_REFUSAL_CALLS) {
      // A stray: the first refusal in this many calls, or the first ever once the provider has answered. Two
      // calls bunched up on the way (a pause of the sender or of the provider; a first call held up opening its
      // connection, so that the second arrived too soon after it), not a margin too small: the cooling deals
      // with it. Measured: each key's second call refused so on a bucket of one, the margins widened by 2% at
      // the start and narrowed back over 80 s (0.955 admitted at 10 qps, 0.93 in bench/llm).
      a.sentAtLastRefusal = a.sent;
    } else if (a.margin < settings.maxSafetyMargin()) {
      // Refused although our buckets kept to the declared limit: the calls arrived closer together than they
      // were sent, or the provider counts in windows our buckets do not see. Widen the margin first.
      a.sentAtLastRefusal = a.sent;
      a.margin = Math.min(settings.maxSafetyMargin(), a.margin + MARGIN_STEP);
      a.successesSinceMarginChange = 0;
      a.setEffectiveQps(Math.min(a.effectiveQps, a.ceiling()));
    } else if (recent < a.qpsLimit) {
      a.sentAtLastRefusal = a.sent;
      a.setEffectiveQps(a.effectiveQps * DECREASE_FACTOR);
    }
    // At or over the declared limit: the 429 is explained; cooling alone deals with it.
  }

  // ------------------------------------------------------------------ operator

  /**
   * DISABLED → PROBING (cooldown and 429 streak cleared; a quota-disabled account is enabled with it); true for
   * any known id, false for an unknown one.
   */
  public boolean enable(String id) {
    PooledKey k = find(id);
    if (k == null) return false;
    if (k.disabled || k.account.disabled) hooks.publish(new SharedChange.KeyEnabled(id, k.account.sharedId));
    enableQuietly(k);
    return true;
  }

  /** {@link #enable} without telling the cluster: what applying another node's enable does. */
  void enableQuietly(PooledKey k) {
    if (k.disabled || k.account.disabled) {
      k.disabled = false;
      k.disabledReason = null;
      k.proven = false;
      k.account.disabled = false;
      k.account.disabledReason = null;
      k.account.hasCooldown = false;
      k.account.coolingReason = null;
      k.account.consecutive429 = 0;
    }
  }

  /** The key is not handed out until {@link #enable}; calls in flight finish normally. */
  public boolean disable(String id, String reason) {
    PooledKey k = find(id);
    if (k == null) return false;
    k.disabled = true;
    k.disabledReason = reason;
    hooks.publish(new SharedChange.KeyDisabled(id, reason, false));
    return true;
  }

  PooledKey find(String id) {
    for (PooledKey k : keys) if (k.spec.id().equals(id)) return k;
    return null;
  }

  // ------------------------------------------------------------------ views

  public List<KeyView> snapshot() {
    return PoolViews.keys(this, keys, nanoClock.getAsLong());
  }

  /** Every account once, with its keys counted. */
  public List<AccountView> accounts() {
    return PoolViews.accounts(accounts.values(), keys, nanoClock.getAsLong());
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Keys not DISABLED (by themselves or their account). */
  public long usableCount() {
    return keys.stream().filter(k -> !k.disabled && !k.account.disabled).count();
  }

  @Override
  public String toString() {
    return "KeyPool[" + keys.size() + " keys, " + accounts.size() + " accounts, " + settings.strategy() + "]";
  }

  static long ms(long nanos) {
    return Math.floorDiv(nanos, 1_000_000L);
  }

  /** A deadline on the pool clock as wall-clock epoch milliseconds, rounded up. */
  long wallMs(long nanos) {
    return wallAtStartMs - Math.floorDiv(-(nanos - nanosAtStart), 1_000_000L);
  }

  /** Wall-clock epoch milliseconds as a reading of the pool clock. */
  long nanosAt(long wallMs) {
    return nanosAtStart + toNanos(Math.max(0, wallMs - wallAtStartMs)) - toNanos(Math.max(0, wallAtStartMs - wallMs));
  }

  RateLimits account(String sharedId) {
    return accounts.get(sharedId);
  }

  List<PooledKey> keys() {
    return keys;
  }

  private static long toNanos(long ms) {
    return ms >= MAX_WAIT_NANOS / 1_000_000L ? MAX_WAIT_NANOS : ms * 1_000_000L;
  }
}
