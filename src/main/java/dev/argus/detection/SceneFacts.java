package dev.argus.detection;

import dev.argus.config.CameraRules;
import dev.argus.config.Zone;
import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;
import org.apache.commons.math3.ml.clustering.DoublePoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a frame shows, reduced to what gating and the prompt need: counts and best confidence per label,
 * track ids, zone hits, and density clusters (DBSCAN over bbox centres, distance relative to the frame
 * diagonal, so the same settings work at any resolution).
 */
public record SceneFacts(Map<String, Integer> counts, Map<String, Double> maxConfidence, Set<String> tracks,
                         Set<String> zoneHits, List<JsonObject> zoneDetails, List<JsonObject> clusters,
                         boolean highRisk) {

  public static SceneFacts of(Detection frame, CameraRules rules, double width, double height) {
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, Double> maxConf = new HashMap<>();
    Set<String> tracks = new HashSet<>();
    Set<String> zoneHits = new TreeSet<>();
    List<JsonObject> zoneDetails = new ArrayList<>();
    List<DoublePoint> centres = new ArrayList<>();
    boolean highRisk = false;
    for (DetectedObject o : frame.objects()) {
      String label = o.label().toLowerCase(Locale.ROOT);
      counts.merge(label, 1, Integer::sum);
      maxConf.merge(label, o.confidence(), Math::max);
      if (o.trackId() != null) tracks.add(label + "#" + o.trackId());
      highRisk |= rules.highRiskLabels().contains(label);
      for (Zone z : rules.zones()) {
        if (z.applies(label) && z.contains(o.centreX(), o.centreY())) {
          zoneHits.add(z.name() + "/" + label + (o.trackId() == null ? "" : "#" + o.trackId()));
          zoneDetails.add(new JsonObject().put("zone", z.name()).put("label", label).put("track_id", o.trackId())
              .put("bbox", o.toJson().getJsonArray("bbox")));
        }
      }
      if (label.equals(rules.clusterLabel())) centres.add(new DoublePoint(new double[] {o.centreX(), o.centreY()}));
    }
    return new SceneFacts(counts, maxConf, tracks, zoneHits, zoneDetails, clusters(centres, rules, width, height), highRisk);
  }

  /**
   * The same without clusters: what gating needs, for every frame. Clustering is only worth its cost
   * for the frames that become tasks ({@link #of}).
   */
  public static SceneFacts forGating(Detection frame, CameraRules rules) {
    CameraRules noClusters = new CameraRules(rules.minIntervalMs(), rules.maxIntervalMs(), rules.highRiskLabels(),
        rules.countDelta(), rules.confidenceJump(), rules.zones(), "", rules.clusterEpsRatio(), Integer.MAX_VALUE,
        rules.crowdSize(), rules.frameWidth(), rules.frameHeight());
    return of(frame, noClusters, rules.frameWidth(), rules.frameHeight());
  }

  private static List<JsonObject> clusters(List<DoublePoint> centres, CameraRules rules, double width, double height) {
    if (centres.size() < rules.clusterMinPoints()) return List.of();
    double eps = rules.clusterEpsRatio() * Math.hypot(width, height);
    List<JsonObject> out = new ArrayList<>();
    for (Cluster<DoublePoint> c : new DBSCANClusterer<DoublePoint>(eps, rules.clusterMinPoints() - 1).cluster(centres)) {
      double sx = 0;
      double sy = 0;
      double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
      for (DoublePoint p : c.getPoints()) {
        double x = p.getPoint()[0];
        double y = p.getPoint()[1];
        sx += x;
        sy += y;
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x);
        box[3] = Math.max(box[3], y);
      }
      int n = c.getPoints().size();
      out.add(new JsonObject().put("label", rules.clusterLabel()).put("size", n)
          .put("centre", new JsonArray().add(Math.round(sx / n)).add(Math.round(sy / n)))
          .put("extent", new JsonArray().add(Math.round(box[0])).add(Math.round(box[1])).add(Math.round(box[2])).add(Math.round(box[3]))));
    }
    out.sort((a, b) -> Integer.compare(b.getInteger("size"), a.getInteger("size")));
    return out;
  }

  public int largestCluster() {
    return clusters.isEmpty() ? 0 : clusters.get(0).getInteger("size");
  }

  /** Why this scene differs from the one last assessed, or null when it does not (enough). */
  public String changeFrom(SceneFacts last, CameraRules rules) {
    if (last == null) return "first frame";
    if (!counts.keySet().equals(last.counts.keySet())) return "labels changed " + last.counts.keySet() + " -> " + counts.keySet();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      int before = last.counts.getOrDefault(e.getKey(), 0);
      if (Math.abs(e.getValue() - before) >= rules.countDelta()) return e.getKey() + " count " + before + " -> " + e.getValue();
    }
    for (String t : tracks) if (!last.tracks.contains(t)) return "new track " + t;
    for (Map.Entry<String, Double> e : maxConfidence.entrySet()) {
      double before = last.maxConfidence.getOrDefault(e.getKey(), 0.0);
      if (e.getValue() - before >= rules.confidenceJump()) return e.getKey() + " confidence jumped to " + e.getValue();
    }
    return null;
  }
}
