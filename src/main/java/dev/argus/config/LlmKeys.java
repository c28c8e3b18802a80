package dev.argus.config;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the key pool from {@code ARGUS_LLM_API_KEYS} ({@code id=key}, {@code id@account=key} or bare keys) or a
 * YAML key file (per key: {@code id, api_key, priority, weight, qps_limit, rpm_limit, tpm_limit, account, base_url,
 * model}).
 */
public final class LlmKeys {
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
    List<LlmKeySpec> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) throw new ConfigException(key, "keys[" + i + "] must be a mapping");
      Map<String, Object> k = (Map<String, Object>) m;
      String where = key + " keys[" + i + "]";
      Object secret = k.get("api_key");
      if (!(secret instanceof String s) || s.isBlank()) throw new ConfigException(where, "api_key is required");
      String id = k.get("id") == null ? String.format("key-%03d", i + 1) : k.get("id").toString();
      keys.add(new LlmKeySpec(id, s.trim(), number(k, "priority", 1, where).intValue(),
          number(k, "qps_limit", 0, where).doubleValue(), number(k, "rpm_limit", 0, where).intValue(),
          number(k, "weight", 1, where).intValue(),
          k.get("base_url") == null ? null : k.get("base_url").toString(),
          k.get("model") == null ? null : k.get("model").toString(),
          k.get("account") == null || k.get("account").toString().isBlank() ? null : k.get("account").toString().trim(),
          number(k, "tpm_limit", 0, where).longValue()));
    }
    Double min = null;
    Double max = null;
    if (root.get("cooling") instanceof Map<?, ?> cooling) {
      Map<String, Object> c = (Map<String, Object>) cooling;
      min = c.containsKey("min_cooldown") ? number(c, "min_cooldown", 0, key + " cooling").doubleValue() : null;
      max = c.containsKey("max_cooldown") ? number(c, "max_cooldown", 0, key + " cooling").doubleValue() : null;
    }
    Object strategy = root.get("selection_strategy");
    return new KeyFile(unique(keys, key), strategy == null ? null : strategy.toString(), min, max);
  }

  private static Number number(Map<String, Object> k, String field, Number dflt, String where) {
    Object v = k.get(field);
    if (v == null) return dflt;
    if (v instanceof Number n && n.doubleValue() >= 0) return n;
    throw new ConfigException(where, field + " must be a non-negative number, got '" + v + "'");
  }

  private static List<LlmKeySpec> unique(List<LlmKeySpec> keys, String key) {
    Set<String> ids = new HashSet<>();
    for (LlmKeySpec k : keys) {
      if (!ids.add(k.id())) throw new ConfigException(key, "duplicate key id '" + k.id() + "'");
    }
    return List.copyOf(keys);
  }
}
