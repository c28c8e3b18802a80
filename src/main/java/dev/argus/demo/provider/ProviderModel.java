package dev.argus.demo.provider;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a simulated provider limits and signals, as one named model of {@code demo.provider.models}:
 * <pre>
 * {"headers": "openai",                       // none | openai | anthropic | gemini
 *  "key":     [ limit, ... ],                 // each key's own limits
 *  "account": [ limit, ... ],                 // each account's, shared by its keys
 *  "accounts": {"org-1": ["demo-01", ...]},   // keys (by id) sharing an account; others are their own
 *  "keyLimits": {"demo-05": [ limit, ... ]},  // extra limits of single keys (e.g. a quota that runs out)
 *  "jitterMs": 20,                            // uniform delay before the limiter sees a call
 *  "retryAfterDateShare": 0.2,                // share of 429s whose retry-after is an HTTP date
 *  "overload": {"burstsPerMinute": 1, "burstMs": 1500, "status": 529}}
 * </pre>
 * The legacy model (no {@code limitModel} chosen) is today's simulator: a token bucket per key with one
 * second of burst at the key's {@code qpsLimit}, and only {@code retry-after}/{@code retry-after-ms} on 429.
 */
public record ProviderModel(String name, Dialect headers, List<LimitSpec> key, List<LimitSpec> account,
                            Map<String, String> accountOfKey, Map<String, List<LimitSpec>> keyLimits, long jitterMs,
                            double retryAfterDateShare, double burstsPerMinute, long burstMs, int burstStatus) {

  /** Which provider's rate-limit signals the simulator sends. */
  public enum Dialect { NONE, OPENAI, ANTHROPIC, GEMINI }

  public static final String LEGACY = "";

  public boolean legacy() {
    return name.equals(LEGACY);
  }

  public static ProviderModel legacyModel() {
    return new ProviderModel(LEGACY, Dialect.NONE, List.of(), List.of(), Map.of(), Map.of(), 0, 0, 0, 0, 503);
  }

  /** The model {@code limitModel} of {@code demo.provider}; the legacy one when it is empty. */
  public static ProviderModel select(JsonObject provider) {
    String chosen = provider == null ? "" : provider.getString("limitModel", "").trim();
    if (chosen.isEmpty()) return legacyModel();
    JsonObject models = provider.getJsonObject("models", new JsonObject());
    JsonObject m = models.getJsonObject(chosen);
    if (m == null) {
      throw new IllegalArgumentException("demo.provider.limitModel: no model '" + chosen + "' in demo.provider.models "
          + models.fieldNames());
    }
    return parse(chosen, m);
  }

  public static ProviderModel parse(String name, JsonObject m) {
    String where = "demo.provider.models." + name;
    Dialect dialect;
    try {
      dialect = Dialect.valueOf(m.getString("headers", "openai").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ".headers: expected none, openai, anthropic or gemini");
    }
    Map<String, String> accountOf = new LinkedHashMap<>();
    m.getJsonObject("accounts", new JsonObject()).forEach(e -> {
      if (!(e.getValue() instanceof JsonArray ids)) throw new IllegalArgumentException(where + ".accounts." + e.getKey() + ": expected a list of key ids");
      ids.forEach(id -> accountOf.put(String.valueOf(id), e.getKey()));
    });
    Map<String, List<LimitSpec>> keyLimits = new LinkedHashMap<>();
    m.getJsonObject("keyLimits", new JsonObject()).forEach(e -> {
      if (!(e.getValue() instanceof JsonArray a)) throw new IllegalArgumentException(where + ".keyLimits." + e.getKey() + ": expected a list");
      keyLimits.put(e.getKey(), specs(a, where + ".keyLimits." + e.getKey()));
    });
    JsonObject overload = m.getJsonObject("overload", new JsonObject());
    int status = overload.getInteger("status", 503);
    if (status != 503 && status != 529) throw new IllegalArgumentException(where + ".overload.status: 503 or 529");
    return new ProviderModel(name, dialect, specs(m.getJsonArray("key", new JsonArray()), where + ".key"),
        specs(m.getJsonArray("account", new JsonArray()), where + ".account"), accountOf, keyLimits,
        Math.max(0, m.getLong("jitterMs", 0L)), clamp01(m.getDouble("retryAfterDateShare", 0.0)),
        Math.max(0, overload.getDouble("burstsPerMinute", 0.0)), Math.max(0, overload.getLong("burstMs", 0L)), status);
  }

  private static List<LimitSpec> specs(JsonArray a, String where) {
    List<LimitSpec> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) throw new IllegalArgumentException(where + "[" + i + "]: expected an object");
      out.add(LimitSpec.parse(o, where + "[" + i + "]"));
    }
    return out;
  }

  private static double clamp01(double d) {
    return Math.max(0, Math.min(1, d));
  }
}
