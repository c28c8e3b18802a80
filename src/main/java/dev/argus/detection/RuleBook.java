package dev.argus.detection;

import dev.argus.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gating rules of every camera: the {@code detection} defaults, overridden by the first matching
 * group ({@code groups[]}: by {@code cameras} list or id {@code prefix}), overridden by the camera's own
 * entry ({@code cameras.<id>}). Built and checked once at start-up; resolved rules are cached.
 */
public final class RuleBook {
  private final JsonObject defaults;
  private final List<JsonObject> groups;
  private final JsonObject cameras;
  private final Map<String, CameraRules> resolved = new HashMap<>();

  private RuleBook(JsonObject defaults, List<JsonObject> groups, JsonObject cameras) {
    this.defaults = defaults;
    this.groups = groups;
    this.cameras = cameras;
  }

  /** Parses {@code detection} and checks every group and camera entry (errors name the key). */
  public static RuleBook from(JsonObject detection) {
    JsonObject defaults = detection.copy();
    defaults.remove("groups");
    defaults.remove("cameras");
    List<JsonObject> groups = new ArrayList<>();
    JsonArray g = detection.getJsonArray("groups", new JsonArray());
    for (int i = 0; i < g.size(); i++) {
      if (!(g.getValue(i) instanceof JsonObject o)) throw new ConfigException("detection.groups[" + i + "]", "must be an object");
      groups.add(o);
    }
    RuleBook book = new RuleBook(defaults, groups, detection.getJsonObject("cameras", new JsonObject()));
    build(defaults, "detection");
    for (int i = 0; i < groups.size(); i++) build(defaults.copy().mergeIn(groups.get(i), true), "detection.groups[" + i + "]");
    for (String id : book.cameras.fieldNames()) book.rules(id);
    return book;
  }

  public synchronized CameraRules rules(String cameraId) {
    return resolved.computeIfAbsent(cameraId, id -> {
      JsonObject merged = defaults.copy();
      String where = "detection";
      for (int i = 0; i < groups.size(); i++) {
        JsonObject group = groups.get(i);
        JsonArray ids = group.getJsonArray("cameras");
        String prefix = group.getString("prefix");
        if ((ids != null && ids.contains(id)) || (prefix != null && id.startsWith(prefix))) {
          merged.mergeIn(group, true);
          where = "detection.groups[" + i + "]";
          break;
        }
      }
      JsonObject own = cameras.getJsonObject(id);
      if (own != null) {
        merged.mergeIn(own, true);
        where = "detection.cameras." + id;
      }
      return build(merged, where);
    });
  }

  private static CameraRules build(JsonObject c, String where) {
    Set<String> labels = new LinkedHashSet<>();
    for (Object l : list(c, "highRiskLabels", where)) labels.add(l.toString().toLowerCase(Locale.ROOT));
    JsonObject scene = c.getJsonObject("sceneChange", new JsonObject());
    JsonObject cluster = c.getJsonObject("cluster", new JsonObject());
    long min = num(c, "minIntervalMs", 2000, where).longValue();
    long max = num(c, "maxIntervalMs", 30000, where).longValue();
    if (max < min) throw new ConfigException(where + ".maxIntervalMs", "must not be below minIntervalMs (" + min + ")");
    List<Zone> zones = new ArrayList<>();
    JsonArray z = c.getJsonArray("zones", new JsonArray());
    for (int i = 0; i < z.size(); i++) zones.add(zone(z.getJsonObject(i), where + ".zones[" + i + "]"));
    return new CameraRules(min, max, Set.copyOf(labels), num(scene, "countDelta", 2, where + ".sceneChange").intValue(),
        num(scene, "confidenceJump", 0.25, where + ".sceneChange").doubleValue(), List.copyOf(zones),
        cluster.getString("label", "person").toLowerCase(Locale.ROOT),
        num(cluster, "epsRatio", 0.08, where + ".cluster").doubleValue(),
        Math.max(1, num(cluster, "minPoints", 3, where + ".cluster").intValue()),
        num(cluster, "crowdSize", 8, where + ".cluster").intValue(),
        num(c, "frameWidth", 1280, where).doubleValue(), num(c, "frameHeight", 720, where).doubleValue());
  }

  private static Zone zone(JsonObject z, String where) {
    if (z == null) throw new ConfigException(where, "must be an object {name, polygon, labels}");
    JsonArray poly = z.getJsonArray("polygon");
    if (poly == null || poly.size() < 3) throw new ConfigException(where + ".polygon", "needs at least 3 [x, y] points");
    List<double[]> points = new ArrayList<>();
    for (Object p : poly) {
      if (!(p instanceof JsonArray xy) || xy.size() != 2 || !(xy.getValue(0) instanceof Number) || !(xy.getValue(1) instanceof Number)) {
        throw new ConfigException(where + ".polygon", "points must be [x, y] numbers, got " + p);
      }
      points.add(new double[] {xy.getDouble(0), xy.getDouble(1)});
    }
    Set<String> labels = new LinkedHashSet<>();
    for (Object l : z.getJsonArray("labels", new JsonArray())) labels.add(l.toString().toLowerCase(Locale.ROOT));
    return new Zone(z.getString("name", "zone"), List.copyOf(points), Set.copyOf(labels));
  }

  private static List<Object> list(JsonObject c, String key, String where) {
    Object v = c.getValue(key);
    if (v == null) return List.of();
    if (v instanceof JsonArray a) return a.getList();
    if (v instanceof String s) return List.of((Object[]) s.split("\\s*,\\s*"));
    throw new ConfigException(where + "." + key, "expected a list");
  }

  private static Number num(JsonObject c, String key, Number dflt, String where) {
    Object v = c.getValue(key);
    if (v == null) return dflt;
    if (v instanceof Number n && n.doubleValue() >= 0) return n;
    if (v instanceof String s) {
      try {
        double d = Double.parseDouble(s.trim());
        if (d >= 0) return d;
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    throw new ConfigException(where + "." + key, "expected a non-negative number, got '" + v + "'");
  }
}
