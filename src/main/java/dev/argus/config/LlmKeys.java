package dev.argus.config;

import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the key pool from {@code ARGUS_LLM_API_KEYS} ({@code id=key}, {@code id@account=key} or bare keys) or a
 * YAML key file (per key: {@code id, api_key, priority, weight, qps_limit, rpm_limit, tpm_limit, account, base_url,
 * model}; per account in an optional {@code accounts:} list: {@code id, qps_limit, rpm_limit, tpm_limit}, the limits
 * the account's keys share).
 */
public final class LlmKeys {
  private static final int MAX_COUNT = 1_000_000;
  private static final double MAX_RATE = 1_000_000;
  /** An hour, as {@code llm.cooling.*} allows. */
  private static final double MAX_COOLDOWN_SECONDS = 3600;
  private LlmKeys() {}

  public static List<LlmKeySpec> fromList(List<String> entries) {
    List<LlmKeySpec> keys = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      int eq = entry.indexOf('=');
      // "sk-abc=" style keys do not exist, but base64 keys may end in '=': only a non-empty id counts.
      boolean named = eq > 0 && eq < entry.length() - 1 && !entry.substring(0, eq).contains(" ");
      String id = named ? entry.substring(0, eq).trim() : String.format("key-%03d", i + 1);
      String secret = named ? entry.substring(eq + 1).trim() : entry.trim();
      // "id@account=key": the key shares the named account's limits with the account's other keys
      String account = null;
      int at = id.indexOf('@');
      if (named && at > 0 && at < id.length() - 1) {
        account = id.substring(at + 1).trim();
        id = id.substring(0, at).trim();
      }
      keys.add(new LlmKeySpec(id, secret, 1, 0, 0, 1, null, null, account, 0));
    }
    return unique(keys, "llm.apiKeys");
  }

  /** A key file: its keys, and the pool settings it carries (null when it does not set them). */
  public record KeyFile(List<LlmKeySpec> keys, String selectionStrategy, Double minCooldownSeconds, Double maxCooldownSeconds) {}

  @SuppressWarnings("unchecked")
  public static KeyFile fromYaml(Path file) {
    String key = "llm.keysFile";
    Object doc;
    try (Reader reader = Files.newBufferedReader(file)) {
      doc = new Yaml().load(reader);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ConfigException(key, file + " is not valid YAML: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> root) || !(root.get("keys") instanceof List<?> list)) {
      throw new ConfigException(key, file + " must have a top-level 'keys' list");
    }
    Map<String, LlmAccountSpec> accounts = accounts(root.get("accounts"), key + " (" + file + ")");
    Set<String> named = new HashSet<>();
    List<LlmKeySpec> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) throw new ConfigException(key, "keys[" + i + "] must be a mapping");
      Map<String, Object> k = (Map<String, Object>) m;
      ConfigReader r = new ConfigReader(new JsonObject(k), key + " keys[" + i + "]");
      Object secret = k.get("api_key");
      if (!(secret instanceof String s) || s.isBlank()) throw new ConfigException(key + " keys[" + i + "]", "api_key is required");
      String id = k.get("id") == null ? String.format("key-%03d", i + 1) : k.get("id").toString();
      String account = k.get("account") == null || k.get("account").toString().isBlank() ? null : k.get("account").toString().trim();
      if (account != null) named.add(account);
      LlmAccountSpec limits = limits(id, r);
      keys.add(new LlmKeySpec(id, s.trim(), r.has("priority") ? r.integer("priority", 0, MAX_COUNT) : 1,
          limits.qpsLimit(), limits.rpmLimit(),
          r.has("weight") ? r.integer("weight", 0, MAX_COUNT) : 1,
          k.get("base_url") == null ? null : k.get("base_url").toString(),
          k.get("model") == null ? null : k.get("model").toString(),
          account, limits.tpmLimit(),
          account == null ? null : accounts.get(account)));
    }
    for (LlmAccountSpec a : accounts.values()) {
      // A declared account no key names is most likely a misspelt name: its limits would bind nothing.
      if (!named.contains(a.id())) {
        throw new ConfigException(key + " (" + file + ") accounts['" + a.id() + "']", "no key names this account in its 'account'");
      }
    }
    Double min = null;
    Double max = null;
    if (root.get("cooling") instanceof Map<?, ?> cooling) {
      ConfigReader c = new ConfigReader(new JsonObject((Map<String, Object>) cooling), key + " cooling");
      min = c.has("min_cooldown") ? c.decimal("min_cooldown", 0, MAX_COOLDOWN_SECONDS) : null;
      max = c.has("max_cooldown") ? c.decimal("max_cooldown", 0, MAX_COOLDOWN_SECONDS) : null;
    }
    Object strategy = root.get("selection_strategy");
    return new KeyFile(unique(keys, key), strategy == null ? null : strategy.toString(), min, max);
  }

  private static final Set<String> ACCOUNT_FIELDS = Set.of("id", "qps_limit", "rpm_limit", "tpm_limit");

  /** The {@code accounts:} section by account id ({@code where} names the file for messages); empty when absent. */
  @SuppressWarnings("unchecked")
  private static Map<String, LlmAccountSpec> accounts(Object section, String where) {
    Map<String, LlmAccountSpec> out = new LinkedHashMap<>();
    if (section == null) return out;
    if (!(section instanceof List<?> list)) throw new ConfigException(where + " accounts", "must be a list of {id, qps_limit, rpm_limit, tpm_limit}");
    for (int i = 0; i < list.size(); i++) {
      String entry = where + " accounts[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> m)) throw new ConfigException(entry, "must be a mapping");
      Map<String, Object> a = (Map<String, Object>) m;
      Object id = a.get("id");
      if (id == null || id.toString().isBlank()) throw new ConfigException(entry, "id is required (the name keys give in 'account')");
      String name = id.toString().trim();
      entry = where + " accounts[" + i + "] (" + name + ")";
      for (String field : a.keySet()) {
        // A misspelt limit would silently leave the account unlimited.
        if (!ACCOUNT_FIELDS.contains(field)) throw new ConfigException(entry, "unknown field '" + field + "'; expected " + ACCOUNT_FIELDS);
      }
      LlmAccountSpec spec = limits(name, new ConfigReader(new JsonObject(a), entry));
      if (out.putIfAbsent(name, spec) != null) throw new ConfigException(entry, "duplicate account id '" + name + "'");
    }
    return out;
  }

  /** The request and token limits an entry declares, a key's or an account's (0: not declared). */
  private static LlmAccountSpec limits(String id, ConfigReader r) {
    return new LlmAccountSpec(id, r.has("qps_limit") ? r.decimal("qps_limit", 0, MAX_RATE) : 0,
        r.has("rpm_limit") ? r.integer("rpm_limit", 0, MAX_COUNT) : 0,
        r.has("tpm_limit") ? r.longValue("tpm_limit", 0, Long.MAX_VALUE / 2) : 0L);
  }

  private static List<LlmKeySpec> unique(List<LlmKeySpec> keys, String key) {
    Set<String> ids = new HashSet<>();
    for (LlmKeySpec k : keys) {
      if (!ids.add(k.id())) throw new ConfigException(key, "duplicate key id '" + k.id() + "'");
    }
    return List.copyOf(keys);
  }
}
