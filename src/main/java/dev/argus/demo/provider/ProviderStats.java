package dev.argus.demo.provider;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated provider saw, per key and per account ({@code GET /v1/stats} and
 * {@code /v1/stats/accounts}). {@code rate_limited} counts every 429, whatever its kind; the kinds are
 * counted apart as well.
 */
public final class ProviderStats {
  /** Counters of one key or account. */
  public static final class Counters {
    public long admitted;
    public long rateLimited;
    public long concurrencyLimited;
    public long quotaExhausted;
    public long slowDown;
    public long tokenLimited;   // rate refusals by a limit counting tokens (a share of rateLimited)
    public long unauthorized;
    public long overloaded;
    public long serverErrors;
    public long hung;
    public long tokens;

    void refused(Refusal r, Unit unit) {
      rateLimited++;
      if (r == Refusal.RATE && unit == Unit.TOKENS) tokenLimited++;
      switch (r) {
        case CONCURRENCY -> concurrencyLimited++;
        case QUOTA -> quotaExhausted++;
        case SLOW_DOWN -> slowDown++;
        case RATE -> { }
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("admitted", admitted).put("rate_limited", rateLimited)
          .put("concurrency_limited", concurrencyLimited).put("quota_exhausted", quotaExhausted).put("slow_down", slowDown)
          .put("token_limited", tokenLimited)
          .put("unauthorized", unauthorized).put("overloaded", overloaded).put("server_errors", serverErrors)
          .put("hung", hung).put("tokens", tokens);
    }
  }

  private final Map<String, Counters> keys = new TreeMap<>();
  private final Map<String, Counters> accounts = new TreeMap<>();

  public Counters key(String id) {
    return keys.computeIfAbsent(id, k -> new Counters());
  }

  public Counters account(String id) {
    return accounts.computeIfAbsent(id, k -> new Counters());
  }

  public JsonObject keysJson() {
    JsonObject o = new JsonObject();
    keys.forEach((id, c) -> o.put(id, c.toJson()));
    return o;
  }

  public JsonObject accountsJson() {
    JsonObject o = new JsonObject();
    accounts.forEach((id, c) -> o.put(id, c.toJson()));
    return o;
  }
}
