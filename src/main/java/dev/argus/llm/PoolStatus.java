package dev.argus.llm;

import dev.argus.model.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** The dispatch stage as the key API, the dashboard and readiness show it: secrets masked. */
final class PoolStatus {
  private PoolStatus() {}

  /**
   * Each key's id, masked key, state, reason and rates, plus the stage's load. A key whose breaker is
   * {@code tripped} shows as {@code circuit_open} unless an operator or the provider disabled it. Also hands
   * the states and rates to the gauges, which report them until the next call.
   */
  static JsonObject keys(Dispatcher d, Predicate<String> tripped, DispatchMeters meters, long nowMs) {
    JsonArray keys = new JsonArray();
    Map<String, String> states = new HashMap<>();
    Map<String, Double> rates = new HashMap<>();
    for (KeyPool.KeyView k : d.pool().snapshot()) {
      String state = k.state() != KeyPool.State.DISABLED && tripped.test(k.id())
          ? "circuit_open" : k.state().name().toLowerCase(Locale.ROOT);
      states.put(k.id(), state);
      rates.put(k.id(), k.successRate());
      keys.add(new JsonObject().put("id", k.id()).put("key", k.maskedKey()).put("account", k.account())
          .put("state", state).put("reason", k.reason())
          .put("priority", k.priority()).put("in_flight", k.inFlight())
          .put("effective_qps", Double.isNaN(k.effectiveQps()) ? null : round(k.effectiveQps()))
          .put("success_rate", Double.isNaN(k.successRate()) ? null : round(k.successRate()))
          .put("concurrency_limit", k.concurrencyLimit() == 0 ? null : k.concurrencyLimit())
          .put("cooldown_until", k.cooldownUntilMs() == 0 ? null : Times.iso(k.cooldownUntilMs())));
    }
    meters.keys(states, rates);
    // Capacity and utilisation count accounts, not keys: keys of one account add no capacity.
    JsonArray accounts = new JsonArray();
    double capacity = 0;
    double sent = 0;
    boolean capacityKnown = true;
    for (KeyPool.AccountView a : d.pool().accounts()) {
      accounts.add(new JsonObject().put("account", a.name()).put("keys", a.keys()).put("usable_keys", a.usableKeys())
          .put("effective_qps", Double.isNaN(a.effectiveQps()) ? null : round(a.effectiveQps()))
          .put("sent_last_second", a.sentLastSecond()).put("in_flight", a.inFlight())
          .put("qps_limit", a.qpsLimit() > 0 ? a.qpsLimit() : null).put("rpm_limit", a.rpmLimit() > 0 ? a.rpmLimit() : null)
          .put("tpm_limit", a.tpmLimit() > 0 ? a.tpmLimit() : null)
          .put("state", a.disabled() ? "disabled" : a.cooling() ? "cooling" : "active"));
      if (a.usableKeys() == 0) continue;
      if (Double.isNaN(a.effectiveQps())) capacityKnown = false;
      else capacity += a.effectiveQps();
      sent += a.sentLastSecond();
    }
    return new JsonObject().put("keys", keys).put("accounts", accounts).put("in_flight", d.inFlight())
        .put("queue_depth", d.queueDepth())
        .put("capacity_qps", capacityKnown ? round(capacity) : null)
        .put("utilisation", capacityKnown && capacity > 0 ? round(sent / capacity) : null)
        .put("at", nowMs);
  }

  /** What readiness reports: whether tasks can reach an LLM at all, and the load. */
  static JsonObject readiness(Dispatcher d, int configuredKeys) {
    long usable = d.pool().usableCount();
    String mode = d.pool().isEmpty() ? "rules_only" : usable == 0 ? "all_keys_disabled" : "llm";
    long usableAccounts = d.pool().accounts().stream().filter(a -> a.usableKeys() > 0).count();
    return new JsonObject().put("status", "UP").put("mode", mode).put("keys", configuredKeys)
        .put("active_keys", usable).put("accounts", d.pool().accounts().size()).put("active_accounts", usableAccounts).put("in_flight", d.inFlight()).put("queue_depth", d.queueDepth());
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
