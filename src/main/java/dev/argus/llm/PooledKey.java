package dev.argus.llm;

import dev.argus.config.LlmKeySpec;

/** One key of the {@link KeyPool} with what the pool knows of it. Not thread-safe (the pool owns it). */
final class PooledKey {
  final LlmKeySpec spec;
  final int weight;
  final RateLimits account;
  final RateLimits own;        // the key's declared limits inside a named account; null otherwise
  boolean disabled;
  String disabledReason;
  boolean proven;
  int inFlight;
  int concurrencyLimit = Integer.MAX_VALUE;
  int successesAtLimit;
  final RollingRate successRate = new RollingRate(KeyPool.SUCCESS_WINDOW_MS, KeyPool.SUCCESS_BUCKETS);
  long wrrCurrent;
  long lastChosen;             // the pool's lease number when it was last chosen; 0 = never
  long breakerOpenUntil;       // pool nanos; 0 = its breaker did not open on another node

  PooledKey(LlmKeySpec spec, RateLimits account, RateLimits own) {
    this.spec = spec;
    this.weight = Math.max(1, spec.weight());
    this.account = account;
    this.own = own;
  }

  /** In-flight calls relative to the account's rate; an unknown rate counts as 1. */
  double load() {
    double qps = account.effectiveQps;
    return inFlight / (Double.isNaN(qps) ? 1.0 : qps);
  }
}
