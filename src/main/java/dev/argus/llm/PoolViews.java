package dev.argus.llm;

import dev.argus.llm.KeyPool.AccountView;
import dev.argus.llm.KeyPool.KeyView;
import dev.argus.llm.KeyPool.State;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What an operator or a metric sees of a {@link KeyPool}'s keys and accounts (secrets masked). */
final class PoolViews {
  private PoolViews() {}

  static List<KeyView> keys(KeyPool pool, List<PooledKey> keys, long now) {
    List<KeyView> out = new ArrayList<>(keys.size());
    for (PooledKey k : keys) {
      State state = state(k, now);
      String reason = switch (state) {
        case DISABLED -> k.disabled ? k.disabledReason : k.account.disabledReason;
        case COOLING -> k.account.coolingReason;
        case PROBING -> "not yet proven: one call at a time until its first answer";
        case ACTIVE -> null;
      };
      long cooldownUntilMs = state == State.COOLING ? pool.wallMs(k.account.cooldownUntil) : 0;
      out.add(new KeyView(k.spec.id(), k.spec.masked(), state, reason, k.inFlight, k.account.effectiveQps,
          k.successRate.rate(KeyPool.ms(now)), cooldownUntilMs, k.spec.priority(), k.spec.accountName(),
          k.concurrencyLimit == Integer.MAX_VALUE ? 0 : k.concurrencyLimit));
    }
    return out;
  }

  static List<AccountView> accounts(Collection<RateLimits> accounts, List<PooledKey> keys, long now) {
    List<AccountView> out = new ArrayList<>();
    for (RateLimits a : accounts) {
      int n = 0;
      int usable = 0;
      String name = a.name;
      for (PooledKey k : keys) {
        if (k.account != a) continue;
        n++;
        if (!k.disabled && !a.disabled) usable++;
        name = k.spec.accountName();
      }
      a.pruneSends(now);
      out.add(new AccountView(name, n, usable, a.effectiveQps, a.recentSends.size(), a.inFlight, a.cooling(now), a.disabled,
          a.declaredQps, a.rpmLimit, a.tpmLimit));
    }
    return out;
  }

  static State state(PooledKey k, long now) {
    if (k.disabled || k.account.disabled) return State.DISABLED;
    if (k.account.cooling(now)) return State.COOLING;
    return k.proven ? State.ACTIVE : State.PROBING;
  }
}
