package dev.argus.demo;

import dev.argus.model.Alert;
import dev.argus.model.RiskLevel;
import dev.argus.model.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's alerts judged against its script. An alert matches an incident when it is on the same
 * camera and opened inside the incident's window or within {@code graceMs} after it. Precision: the
 * share of alerts that match an incident. Recall: the share of incidents that got an alert, among those
 * already decided (an alert came, or the window and grace are over). Time to alert: from the incident's
 * start to its first alert; for a camera going silent, from the moment it has been silent for
 * {@code silentAfterMs} (no one can tell silence sooner). Also the highest share of cameras with an
 * open alert at any time. Times are ms since the demo started. Not thread-safe.
 */
public final class DemoScore {
  private static final int MAX_LISTED_UNMATCHED = 20;

  private record Seen(String cameraId, long openedMs, String kind, String rule) {}

  private final int cameras;
  private final long graceMs;
  private final long silentAfterMs;
  private final Map<String, Seen> alerts = new LinkedHashMap<>();
  private final Map<String, Set<String>> openByCamera = new HashMap<>();
  private double maxOpenShare;

  public DemoScore(int cameras, long graceMs, long silentAfterMs) {
    this.cameras = cameras;
    this.graceMs = graceMs;
    this.silentAfterMs = silentAfterMs;
  }

  /** An alert event (any status) seen {@code elapsedMs} into the demo. */
  public void onAlert(Alert a, long elapsedMs) {
    // A predicted alert (a track heading into a zone) is not an incident alert: it is judged on its own
    // outcome (argus_predictions_total, entered or withdrawn), and comes before an intrusion's window.
    if (a.level() == RiskLevel.PREDICTED) return;
    alerts.putIfAbsent(a.alertId(), new Seen(a.cameraId(), elapsedMs, a.kind(), a.rule()));
    Set<String> open = openByCamera.computeIfAbsent(a.cameraId(), k -> new HashSet<>());
    if (Alert.RESOLVED.equals(a.status())) open.remove(a.alertId());
    else open.add(a.alertId());
    long camerasOpen = openByCamera.values().stream().filter(s -> !s.isEmpty()).count();
    maxOpenShare = Math.max(maxOpenShare, (double) camerasOpen / cameras);
  }

  public double maxOpenShare() {
    return maxOpenShare;
  }

  /**
   * {@code {"precision", "recall", "time_to_alert_p50_ms", "time_to_alert_p95_ms", "incidents": [...]}}
   * plus {@code max_open_share}, {@code alerts} and the first unmatched alerts; a figure with nothing
   * to count yet is null. {@code startWallMs} turns the script's times into ISO instants.
   */
  public JsonObject report(List<DemoScript.Incident> incidents, long elapsedMs, long startWallMs) {
    Set<String> matched = new HashSet<>();
    List<Long> delays = new ArrayList<>();
    int decided = 0;
    int hit = 0;
    JsonArray listed = new JsonArray();
    for (DemoScript.Incident i : incidents) {
      List<String> ids = new ArrayList<>();
      Seen first = null;
      for (Map.Entry<String, Seen> e : alerts.entrySet()) {
        Seen s = e.getValue();
        if (!s.cameraId().equals(i.cameraId()) || s.openedMs() < i.startMs() || s.openedMs() > i.endMs() + graceMs) continue;
        ids.add(e.getKey());
        matched.add(e.getKey());
        if (first == null || s.openedMs() < first.openedMs()) first = s;
      }
      Long delay = null;
      if (first != null) {
        long from = i.kind() == DemoScript.Kind.SILENT ? i.startMs() + silentAfterMs : i.startMs();
        delay = Math.max(0, first.openedMs() - from);
        delays.add(delay);
      }
      boolean isDecided = first != null || elapsedMs > i.endMs() + graceMs;
      if (isDecided) decided++;
      if (first != null) hit++;
      listed.add(new JsonObject().put("camera_id", i.cameraId()).put("kind", i.kind().wire())
          .put("start", Times.iso(startWallMs + i.startMs())).put("end", Times.iso(startWallMs + i.endMs()))
          .put("alerted", first != null).put("decided", isDecided).put("time_to_alert_ms", delay)
          .put("rule", first == null ? null : first.rule()).put("alert_ids", new JsonArray(ids)));
    }
    JsonArray unmatched = new JsonArray();
    alerts.forEach((id, s) -> {
      if (!matched.contains(id) && unmatched.size() < MAX_LISTED_UNMATCHED) {
        unmatched.add(new JsonObject().put("alert_id", id).put("camera_id", s.cameraId()).put("kind", s.kind())
            .put("rule", s.rule()).put("opened", Times.iso(startWallMs + s.openedMs())));
      }
    });
    delays.sort(Long::compare);
    return new JsonObject()
        .put("precision", alerts.isEmpty() ? null : (double) matched.size() / alerts.size())
        .put("recall", decided == 0 ? null : (double) hit / decided)
        .put("time_to_alert_p50_ms", percentile(delays, 0.50))
        .put("time_to_alert_p95_ms", percentile(delays, 0.95))
        .put("incidents", listed)
        .put("max_open_share", maxOpenShare)
        .put("alerts", alerts.size())
        .put("unmatched_alerts", unmatched);
  }

  /** Nearest-rank percentile of sorted values; null when there are none. */
  static Long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return null;
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
