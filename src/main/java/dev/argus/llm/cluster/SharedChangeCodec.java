package dev.argus.llm.cluster;

import dev.argus.llm.SharedChange;
import io.vertx.core.json.JsonObject;

/**
 * {@link SharedChange}s as the cluster's state map stores them: each under the entry it replaces (the latest
 * decision of a kind about a key or account wins), as JSON text so that no member needs a serializer for them.
 */
final class SharedChangeCodec {
  private SharedChangeCodec() {}

  /** The state map's entry for the change; null when the change lives in the probe register only. */
  static String entry(SharedChange c) {
    if (c instanceof SharedChange.KeyDisabled d) return "key:" + d.keyId() + ":enabled";
    if (c instanceof SharedChange.KeyEnabled e) return "key:" + e.keyId() + ":enabled";
    if (c instanceof SharedChange.AccountDisabled d) return "acct:" + d.accountId() + ":disabled";
    if (c instanceof SharedChange.AccountCooling d) return "acct:" + d.accountId() + ":cool";
    if (c instanceof SharedChange.RateLearned d) return "acct:" + d.accountId() + ":rate";
    if (c instanceof SharedChange.ConcurrencyLearned d) return "key:" + d.keyId() + ":conc";
    if (c instanceof SharedChange.BreakerOpened d) return "key:" + d.keyId() + ":breaker";
    return null;
  }

  /** The change as published by {@code node}. */
  static String encode(SharedChange c, String node) {
    JsonObject j = new JsonObject().put("type", c.getClass().getSimpleName()).put("node", node);
    if (c instanceof SharedChange.KeyDisabled d) j.put("key", d.keyId()).put("reason", d.reason()).put("revoked", d.revoked());
    else if (c instanceof SharedChange.KeyEnabled e) j.put("key", e.keyId()).put("account", e.accountId());
    else if (c instanceof SharedChange.AccountDisabled d) j.put("account", d.accountId()).put("reason", d.reason());
    else if (c instanceof SharedChange.AccountCooling d) j.put("account", d.accountId()).put("until", d.untilMs()).put("reason", d.reason());
    else if (c instanceof SharedChange.RateLearned d) j.put("account", d.accountId()).put("qps", d.qps());
    else if (c instanceof SharedChange.ConcurrencyLearned d) j.put("key", d.keyId()).put("limit", d.limit());
    else if (c instanceof SharedChange.BreakerOpened d) j.put("key", d.keyId()).put("until", d.untilMs());
    else if (c instanceof SharedChange.Proven d) j.put("key", d.keyId());
    else if (c instanceof SharedChange.ProbeEnded d) j.put("key", d.keyId());
    return j.encode();
  }

  /** The node that published the text, or null. */
  static String node(String text) {
    try {
      return new JsonObject(text).getString("node");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** null for text that is not a change (a node's snapshot, or a newer version's kind). */
  static SharedChange decode(String text) {
    JsonObject j;
    try {
      j = new JsonObject(text);
    } catch (RuntimeException e) {
      return null;
    }
    String key = j.getString("key");
    String account = j.getString("account");
    return switch (j.getString("type", "")) {
      case "KeyDisabled" -> new SharedChange.KeyDisabled(key, j.getString("reason"), j.getBoolean("revoked", false));
      case "KeyEnabled" -> new SharedChange.KeyEnabled(key, account);
      case "AccountDisabled" -> new SharedChange.AccountDisabled(account, j.getString("reason"));
      case "AccountCooling" -> new SharedChange.AccountCooling(account, j.getLong("until", 0L), j.getString("reason"));
      case "RateLearned" -> new SharedChange.RateLearned(account, j.getDouble("qps", Double.NaN));
      case "ConcurrencyLearned" -> new SharedChange.ConcurrencyLearned(key, j.getInteger("limit", Integer.MAX_VALUE));
      case "BreakerOpened" -> new SharedChange.BreakerOpened(key, j.getLong("until", 0L));
      case "Proven" -> new SharedChange.Proven(key);
      case "ProbeEnded" -> new SharedChange.ProbeEnded(key);
      default -> null;
    };
  }
}
