package dev.argus.demo.provider;

import dev.argus.config.LlmKeySpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated provider's decisions, without Vert.x: which key a secret is, whether the provider is
 * overloaded, whether the key's and its account's limits admit a call, what to say, and the counters.
 * The verticle only reads requests and writes what this decides.
 */
public final class SimProvider {
  /** A key as the provider knows it: its account and the limits every call of it must pass. */
  private record Key(String id, String account, LimitSet limits, boolean revoked) {}

  /** An admitted call: settle it with {@link #finish} when it ends. */
  public record Admission(String keyId, String account, long takenAt, long charged, LimitSet limits) {}

  /** The provider's answer to the arrival of a call: admitted (with its headers) or a reply to send now. */
  public record Verdict(Admission admission, Map<String, String> headers, Signals.Reply reply) {
    public boolean admitted() {
      return admission != null;
    }
  }

  private final ProviderModel model;
  private final ProviderClock clock;
  private final Random random;
  private final OverloadBursts overload;
  private final Map<String, Key> bySecret = new HashMap<>();
  private final ProviderStats stats = new ProviderStats();

  public SimProvider(ProviderModel model, List<LlmKeySpec> keys, List<String> revokedSecrets, ProviderClock clock,
                     Random random) {
    this.model = model;
    this.clock = clock;
    this.random = random;
    this.overload = new OverloadBursts(model.burstsPerMinute(), model.burstMs() * 1_000_000L, clock, random);
    Map<String, List<Limit>> accountLimits = new HashMap<>();
    for (LlmKeySpec k : keys) {
      // "*" in an account's key list: every key not named elsewhere belongs to it
      String account = model.accountOfKey().getOrDefault(k.id(), model.accountOfKey().getOrDefault("*", k.id()));
      List<Limit> limits = new ArrayList<>();
      if (model.legacy()) {
        long qps = Math.max(1, Math.round(k.qpsLimit())); // today's simulator: one second of burst at the key's QPS
        limits.add(new TokenBucket(Unit.REQUESTS, qps, qps, clock));
      }
      for (LimitSpec s : model.key()) limits.add(s.build(clock));
      for (LimitSpec s : model.keyLimits().getOrDefault(k.id(), List.of())) limits.add(s.build(clock));
      limits.addAll(accountLimits.computeIfAbsent(account, a -> model.account().stream().map(s -> s.build(clock)).toList()));
      bySecret.put(k.secret(), new Key(k.id(), account, new LimitSet(limits), revokedSecrets.contains(k.secret())));
      stats.key(k.id());
      stats.account(account);
    }
  }

  public ProviderModel model() {
    return model;
  }

  public ProviderStats stats() {
    return stats;
  }

  /** The random delay between sender and provider, before the limiter sees the call (ms). */
  public long jitterMs() {
    return model.jitterMs() <= 0 ? 0 : (long) (random.nextDouble() * (model.jitterMs() + 1));
  }

  /** A call with {@code secret} arrives; {@code chargeTokens} is its admission charge (prompt estimate + max_tokens). */
  public Verdict arrive(String secret, long chargeTokens) {
    Key k = bySecret.get(secret);
    if (k == null || k.revoked()) {
      if (k != null) {
        stats.key(k.id()).unauthorized++;
        stats.account(k.account()).unauthorized++;
      }
      return new Verdict(null, Map.of(), Signals.unauthorized(model.headers()));
    }
    if (overload.overloaded()) {
      stats.key(k.id()).overloaded++;
      stats.account(k.account()).overloaded++;
      return new Verdict(null, Map.of(), Signals.overloaded(model.headers(), model.burstStatus()));
    }
    LimitSet.Decision d = k.limits().tryAdmit(chargeTokens);
    long now = clock.nanos();
    if (!d.admitted()) {
      stats.key(k.id()).refused(d.refusal(), d.unit());
      stats.account(k.account()).refused(d.refusal(), d.unit());
      boolean asDate = random.nextDouble() < model.retryAfterDateShare();
      return new Verdict(null, Map.of(), Signals.refused(model.headers(), d.refusal(), d.unit(), d.waitNanos(), k.limits().levels(), now, asDate));
    }
    stats.key(k.id()).admitted++;
    stats.account(k.account()).admitted++;
    return new Verdict(new Admission(k.id(), k.account(), now, chargeTokens, k.limits()),
        Signals.levelHeaders(model.headers(), k.limits().levels(), now), null);
  }

  /** An admitted call ended having used {@code usedTokens} (0 if it failed): release and settle its limits. */
  public void finish(Admission a, long usedTokens) {
    a.limits().finish(a.takenAt(), a.charged(), usedTokens);
    stats.key(a.keyId()).tokens += usedTokens;
    stats.account(a.account()).tokens += usedTokens;
  }

  public void serverError(Admission a) {
    stats.key(a.keyId()).serverErrors++;
    stats.account(a.account()).serverErrors++;
  }

  public void hung(Admission a) {
    stats.key(a.keyId()).hung++;
    stats.account(a.account()).hung++;
  }

  /** Prompt tokens as providers estimate them before the call: about four characters a token. */
  public static long estimateTokens(int chars) {
    return (chars + 3) / 4;
  }
}
