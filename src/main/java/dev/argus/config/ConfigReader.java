package dev.argus.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one parser of settings: typed reads by dotted path ({@code http.port}) from the merged
 * configuration, a camera's resolved rules or a key file entry. Values that came from the environment
 * are strings, so numbers and booleans are accepted in either form; anything else is a
 * {@link ConfigException} naming the key (with {@code prefix} in front when the object is a part).
 */
final class ConfigReader {
  private final JsonObject root;
  private final String prefix;

  ConfigReader(JsonObject root) {
    this(root, "");
  }

  ConfigReader(JsonObject root, String prefix) {
    this.root = root;
    this.prefix = prefix.isEmpty() ? "" : prefix + ".";
  }

  /** The full name of a key, for messages. */
  private String key(String path) {
    return prefix + path;
  }

  boolean has(String path) {
    return value(path) != null;
  }

  Object value(String path) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject o)) return null;
      node = o;
    }
    return node.getValue(parts[parts.length - 1]);
  }

  String string(String path) {
    Object v = value(path);
    if (v == null) return "";
    if (v instanceof String || v instanceof Number || v instanceof Boolean) return v.toString().trim();
    throw new ConfigException(key(path), "expected a string, got " + v);
  }

  int integer(String path, int min, int max) {
    long v = longValue(path, min, max);
    return (int) v;
  }

  long longValue(String path, long min, long max) {
    Object v = value(path);
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.trim().matches("-?\\d+")) {
      n = Long.parseLong(s.trim());
    } else {
      throw new ConfigException(key(path), "expected an integer between " + min + " and " + max + ", got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException(key(path), "expected an integer between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  /** A number in [min, max] (decimals allowed; the bounds say whether 0 or 1 themselves are fine). */
  double decimal(String path, double min, double max) {
    Object v = value(path);
    Double d = null;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    if (d == null || d.isNaN() || d < min || d > max) {
      throw new ConfigException(key(path), "expected a number between " + min + " and " + max + ", got '" + v + "'");
    }
    return d;
  }

  boolean bool(String path) {
    Object v = value(path);
    if (v instanceof Boolean b) return b;
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key(path), "expected true or false, got '" + v + "'");
  }

  /** A list given as a JSON array or as a comma-separated string. */
  List<String> list(String path) {
    Object v = value(path);
    if (v == null) return List.of();
    if (v instanceof JsonArray a) return a.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (v instanceof String s) return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    throw new ConfigException(key(path), "expected a list (JSON array or comma-separated string), got " + v);
  }

  <E extends Enum<E>> E choice(String path, Class<E> type) {
    String s = string(path);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s)) return e;
    }
    throw new ConfigException(key(path), "expected one of " + Arrays.toString(type.getEnumConstants()).toLowerCase()
        + ", got '" + s + "'");
  }

  /** A map of client properties passed through as they are (Strimzi-style {@code kafka.producer.*}). */
  Map<String, String> passthrough(String path) {
    Object v = value(path);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) return out;
    if (!(v instanceof JsonObject o)) throw new ConfigException(key(path), "expected an object of client properties");
    o.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    return out;
  }
}
