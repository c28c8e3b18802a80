package dev.argus.config;

import dev.argus.model.Hazards;
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
 * entry ({@code cameras.<id>}). Built and checked once at start-up. Rules are kept per configured source
 * (the defaults, each group, each camera entry), never per camera id seen: ids come from producers, and a
 * cache per id would grow with every new one (a producer cycling ids would fill the heap). The
 * defaults come from {@code conf.json} alone (every rule key is there, except {@code highRiskLabels},
 * which defaults to {@link Hazards#LABELS}).
 */
public final class RuleBook {
  private static final long MAX_INTERVAL_MS = 86_400_000L;
  private static final int MAX_COUNT = 1_000_000;
  private static final double MAX_FRAME_SIDE = 100_000;
  private final JsonObject defaults;
  private final List<JsonObject> groups;
  private final JsonObject cameras;
  /** The configured cameras' rules (a finite set, from the config). */
  private final Map<String, CameraRules> resolved = new HashMap<>();
  private CameraRules defaultRules;
  private final List<CameraRules> groupRules = new ArrayList<>();
  /** Each group's id prefix (null: none), and the first group whose {@code cameras} list names an id. */
  private final List<String> prefixes = new ArrayList<>();
  private final Map<String, Integer> listedIn = new HashMap<>();

  private RuleBook(JsonObject defaults, List<JsonObject> groups, JsonObject cameras) {
    this.defaults = defaults;
    this.groups = groups;
    this.cameras = cameras;
    for (int i = 0; i < groups.size(); i++) {
      prefixes.add(groups.get(i).getString("prefix"));
      for (Object id : groups.get(i).getJsonArray("cameras", new JsonArray())) {
        if (id instanceof String s) listedIn.putIfAbsent(s, i);
      }
    }
  }

  /** Parses {@code detection} and checks every group and camera entry (errors name the key). */
  public static RuleBook from(JsonObject detection) {
    JsonObject defaults = detection.copy();
    defaults.remove("groups");
    defaults.remove("cameras");
    defaults.remove("pendingTimeoutMs");
    defaults.remove("maxCameras");
    defaults.remove("transitGraceMs");
    List<JsonObject> groups = new ArrayList<>();
    JsonArray g = detection.getJsonArray("groups", new JsonArray());
    for (int i = 0; i < g.size(); i++) {
      if (!(g.getValue(i) instanceof JsonObject o)) throw new ConfigException("detection.groups[" + i + "]", "must be an object");
      groups.add(o);
    }
    RuleBook book = new RuleBook(defaults, groups, detection.getJsonObject("cameras", new JsonObject()));
    book.defaultRules = build(defaults, "detection");
    for (int i = 0; i < groups.size(); i++) {
      book.groupRules.add(build(defaults.copy().mergeIn(groups.get(i), true), "detection.groups[" + i + "]"));
    }
    for (String id : book.cameras.fieldNames()) book.resolved.put(id, book.configured(id));
    return book;
  }

  public CameraRules rules(String cameraId) {
    CameraRules own = resolved.get(cameraId);
    if (own != null) return own;
    int group = group(cameraId);
    return group < 0 ? defaultRules : groupRules.get(group);
  }

  /**
   * The first group that names the camera or its id's prefix, or -1. Runs for every frame: a map lookup and
   * the prefixes of the groups before the one that lists the camera.
   */
  private int group(String id) {
    int listed = listedIn.getOrDefault(id, -1);
    int end = listed < 0 ? prefixes.size() : listed;
    for (int i = 0; i < end; i++) {
      String prefix = prefixes.get(i);
      if (prefix != null && id.startsWith(prefix)) return i;
    }
    return listed;
  }

  /** A configured camera's rules: the defaults, its group's, then its own entry. */
  private CameraRules configured(String id) {
    JsonObject merged = defaults.copy();
    int group = group(id);
    if (group >= 0) merged.mergeIn(groups.get(group), true);
    merged.mergeIn(cameras.getJsonObject(id), true);
    return build(merged, "detection.cameras." + id);
  }

  private static CameraRules build(JsonObject c, String where) {
    ConfigReader r = new ConfigReader(c, where);
    Set<String> labels = new LinkedHashSet<>();
    List<String> configured = r.has("highRiskLabels") ? r.list("highRiskLabels") : Hazards.LABELS;
    for (String l : configured) labels.add(l.toLowerCase(Locale.ROOT));
    long min = r.longValue("minIntervalMs", 0, MAX_INTERVAL_MS);
    long max = r.longValue("maxIntervalMs", 0, MAX_INTERVAL_MS);
    if (max < min) throw new ConfigException(where + ".maxIntervalMs", "must not be below minIntervalMs (" + min + ")");
    List<Zone> zones = new ArrayList<>();
    JsonArray z = c.getJsonArray("zones", new JsonArray());
    for (int i = 0; i < z.size(); i++) zones.add(zone(z.getValue(i), where + ".zones[" + i + "]"));
    return new CameraRules(min, max, Set.copyOf(labels), r.integer("sceneChange.countDelta", 0, MAX_COUNT),
        r.decimal("sceneChange.confidenceJump", 0, 1), List.copyOf(zones),
        r.string("cluster.label").toLowerCase(Locale.ROOT), r.decimal("cluster.epsRatio", 0, 1),
        r.integer("cluster.minPoints", 1, MAX_COUNT), r.integer("cluster.crowdSize", 0, MAX_COUNT),
        r.decimal("frameWidth", 1, MAX_FRAME_SIDE), r.decimal("frameHeight", 1, MAX_FRAME_SIDE));
  }

  private static Zone zone(Object value, String where) {
    if (!(value instanceof JsonObject z)) throw new ConfigException(where, "must be an object {name, polygon, labels}");
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
}
