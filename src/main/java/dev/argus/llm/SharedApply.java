package dev.argus.llm;

/**
 * Applies a {@link SharedChange} (another node's decision, or this node's own coming back from the cluster) to a
 * pool, without publishing anything. Every change is idempotent: applying it twice, or after the pool made the
 * same decision itself, leaves the pool as applying it once.
 */
final class SharedApply {
  private SharedApply() {}

  static void apply(KeyPool pool, SharedChange change, long now) {
    if (change instanceof SharedChange.KeyDisabled c) {
      PooledKey k = pool.find(c.keyId());
      if (k != null && !k.disabled) {
        k.disabled = true;
        k.disabledReason = c.reason();
      }
    } else if (change instanceof SharedChange.KeyEnabled c) {
      PooledKey k = pool.find(c.keyId());
      if (k != null) pool.enableQuietly(k);
    } else if (change instanceof SharedChange.Proven c) {
      PooledKey k = pool.find(c.keyId());
      if (k != null && !k.disabled) k.proven = true;
    } else if (change instanceof SharedChange.AccountDisabled c) {
      RateLimits a = pool.account(c.accountId());
      if (a != null && !a.disabled) {
        a.disabled = true;
        a.disabledReason = c.reason();
      }
    } else if (change instanceof SharedChange.AccountCooling c) {
      RateLimits a = pool.account(c.accountId());
      if (a == null) return;
      long until = pool.nanosAt(c.untilMs());
      if (!a.cooling(now) || until - a.cooldownUntil > 0) {
        a.hasCooldown = true;
        a.cooldownUntil = until;
        a.coolingReason = c.reason();
      }
    } else if (change instanceof SharedChange.RateLearned c) {
      RateLimits a = pool.account(c.accountId());
      if (a != null && !Double.isNaN(c.qps()) && c.qps() != a.effectiveQps) {
        // Another node lowered an unknown limit's rate: it was refused, so the limit is found here too.
        if (a.qpsLimit <= 0 && c.qps() < a.effectiveQps) a.limitFound = true;
        a.setEffectiveQps(c.qps());
      }
    } else if (change instanceof SharedChange.ConcurrencyLearned c) {
      PooledKey k = pool.find(c.keyId());
      if (k != null) {
        k.concurrencyLimit = c.limit();
        k.successesAtLimit = 0;
      }
    } else if (change instanceof SharedChange.BreakerOpened c) {
      PooledKey k = pool.find(c.keyId());
      if (k != null) k.breakerOpenUntil = pool.nanosAt(c.untilMs());
    }
    // ProbeEnded concerns the cluster's probe register only
  }
}
