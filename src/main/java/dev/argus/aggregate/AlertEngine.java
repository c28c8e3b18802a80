package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.CameraMaps;
import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a camera's assessments into a few alerts. Rules: the risk is at or above a level; the risk has
 * stayed at or above medium for N assessments in a row; the score rose fast. Storm control: while a
 * camera's alert is open, a rule firing again updates it ({@code count}, {@code last_seen}) and is
 * re-published at most every {@code republishMs}; a higher level escalates it at once; it resolves once
 * no rule has fired for {@code resolveAfterMs}. The same task seen twice yields the same events (a
 * retried record must not count twice). Not thread-safe: the owner of the camera's partition owns it.
 */
public final class AlertEngine {
  /** @param predictHorizonMs how far ahead a rising risk trend may predict high (0: no trend predictions) */
  public record Settings(RiskLevel minLevel, int sustainedCount, double riseDelta, long riseWindowMs,
                         long republishMs, long resolveAfterMs, long predictHorizonMs) {
    public Settings(RiskLevel minLevel, int sustainedCount, double riseDelta, long riseWindowMs, long republishMs,
                    long resolveAfterMs) {
      this(minLevel, sustainedCount, riseDelta, riseWindowMs, republishMs, resolveAfterMs, 0);
    }
  }

  /** The rules' names, as alerts carry them in {@code rule}. */
  public static final String RULE_LEVEL = "level";
  public static final String RULE_SUSTAINED = "sustained";
  public static final String RULE_RISE = "rise";
  /** A rising risk trend predicts high within the horizon: its own alert at level {@code predicted}. */
  public static final String RULE_TREND = "risk_trend";
  /** How a trend prediction ended, as counted: high was reached in time, or not. */
  public static final String TREND_CONFIRMED = "confirmed";
  public static final String TREND_WITHDRAWN = "withdrawn";

  private static final int REMEMBERED_TASKS = 20_000;

  /** A rule that fired: its name and why, in words. */
  private record Firing(String rule, String reason) {}
  private static final int SCORE_HISTORY = CameraAlertState.SCORE_HISTORY;

  private final Settings settings;
  private final Consumer<String> trendOutcomes;
  /**
   * In access order, at most {@link #maxCameras} (camera ids come from producers): past the bound the least
   * recently seen camera with nothing time-driven pending (no open alert, no open prediction) is forgotten.
   * Its state is in the store, so the aggregator restores it if the camera comes back; with no store its
   * recent scores start over.
   */
  private final Map<String, CameraAlertState> cameras = new LinkedHashMap<>(16, 0.75f, true);
  private final int maxCameras;
  private final Map<String, List<Alert>> byTask = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<Alert>> eldest) {
      return size() > REMEMBERED_TASKS;
    }
  };

  public AlertEngine(Settings settings) {
    this(settings, outcome -> { });
  }

  /** {@code trendOutcomes} hears how each trend prediction ended ({@link #TREND_CONFIRMED} or {@link #TREND_WITHDRAWN}), once. */
  public AlertEngine(Settings settings, Consumer<String> trendOutcomes) {
    this(settings, trendOutcomes, Integer.MAX_VALUE);
  }

  public AlertEngine(Settings settings, Consumer<String> trendOutcomes, int maxCameras) {
    if (maxCameras < 1) throw new IllegalArgumentException("maxCameras must be at least 1");
    this.settings = settings;
    this.trendOutcomes = trendOutcomes;
    this.maxCameras = maxCameras;
  }

  /** Cameras this engine holds state for. */
  public int cameras() {
    return cameras.size();
  }

  Settings settingsForTest() {
    return settings;
  }

  /** Whether this engine holds state for the camera (it saw or restored it, and did not forget it since). */
  public boolean knows(String cameraId) {
    return cameras.containsKey(cameraId);
  }

  /** The camera's state in its stored JSON form ({@link CameraAlertState}), or null when it holds none. */
  public JsonObject export(String cameraId) {
    CameraAlertState cam = cameras.get(cameraId);
    return cam == null ? null : cam.toJson();
  }

  /**
   * Takes over a camera's state as another owner (or this process before a restart) left it, replacing
   * what this engine held; null (nothing stored, or an unreadable form) starts the camera afresh. The
   * answers remembered for tasks under the replaced state are dropped, those of the restored state kept,
   * so a task is judged on the state it really followed.
   */
  public void restore(String cameraId, JsonObject state) {
    forget(cameraId);
    CameraAlertState cam = state == null ? null : CameraAlertState.fromJson(state);
    if (cam == null) cam = new CameraAlertState();
    cam.recent.forEach((task, alerts) -> byTask.put(task, alerts.stream().map(al -> al.forCamera(cameraId)).toList()));
    cameras.put(cameraId, cam);
    if (cameras.size() > maxCameras) forgetQuietest(cameraId);
  }

  /** Drops the camera's state (its partition went to another owner, whose state is now the truth). */
  public void forget(String cameraId) {
    CameraAlertState old = cameras.remove(cameraId);
    if (old != null) old.recent.keySet().forEach(byTask::remove);
  }

  /**
   * Forgets least recently seen cameras with no open alert or prediction, other than {@code keep} (the one
   * just added), until the bound holds again.
   */
  private void forgetQuietest(String keep) {
    CameraMaps.eldestBeyond(cameras, maxCameras, (id, cam) -> cam.open == null && cam.predicted == null && !id.equals(keep))
        .forEach(this::forget);
  }

  /** As {@link #onAssessment(Assessment, long)} with the assessment's own time as the wall clock. */
  public List<Alert> onAssessment(Assessment a) {
    return onAssessment(a, a.assessedAtMs());
  }

  /**
   * The alert events this assessment causes (none or one; two when a restored incident, quiet past the
   * resolve window, is resolved as a new one opens); the same task always gets the same answer.
   * Rules run on event time (the assessment's); {@code wallNowMs} lets {@link #tick} follow that clock.
   */
  public List<Alert> onAssessment(Assessment a, long wallNowMs) {
    List<Alert> known = byTask.get(a.taskId());
    if (known != null) return known;
    CameraAlertState cam = cameras.get(a.cameraId());
    if (cam == null) {
      cam = new CameraAlertState();
      cameras.put(a.cameraId(), cam);
      if (cameras.size() > maxCameras) forgetQuietest(a.cameraId());
    }
    long t = a.assessedAtMs();
    if (t >= cam.lastEventMs) {
      cam.lastEventMs = t;
      cam.lastEventWallMs = wallNowMs;
    }
    Firing reason = fire(cam, a);
    List<Alert> out = new ArrayList<>(1);
    CameraAlertState.Open o = cam.open;
    if (reason != null && o != null && t - o.lastFired >= settings.resolveAfterMs()) {
      // Quiet for the resolve window, yet nobody resolved it (its owner died before its timer did, and
      // this state was restored from the store): that incident is over; this firing opens a new one.
      out.add(resolve(cam, a.cameraId(), t));
      o = null;
    }
    if (reason != null) {
      RiskLevel level = a.riskLevel().atLeast(RiskLevel.MEDIUM) ? a.riskLevel() : RiskLevel.MEDIUM;
      if (o == null) {
        o = new CameraAlertState.Open();
        o.id = "alert-" + a.taskId();
        o.level = level;
        o.count = 1;
        o.firstSeen = t;
        o.status = Alert.OPEN;
        cam.open = o;
        touch(o, a, reason, t);
        out.add(publish(o, a.cameraId(), t));
      } else {
        o.count++;
        touch(o, a, reason, t);
        if (level.compareTo(o.level) > 0) {
          o.level = level;
          o.status = Alert.ESCALATED;
          out.add(publish(o, a.cameraId(), t));
        } else {
          o.status = Alert.UPDATED;
          o.dirty = true;
          if (t - o.lastPublished >= settings.republishMs()) out.add(publish(o, a.cameraId(), t));
        }
      }
    } else if (o != null && t - o.lastFired >= settings.resolveAfterMs()) {
      out.add(resolve(cam, a.cameraId(), t));
    }
    trend(cam, a, t, out);
    List<Alert> result = List.copyOf(out);
    byTask.put(a.taskId(), result);
    cam.recent.put(a.taskId(), result);
    return result;
  }

  /**
   * Time passing with no assessments: throttled updates that are due, and alerts quiet long enough to
   * resolve. Each camera's clock is its last event time plus the wall time since, so replayed or
   * late results are judged on their own time line.
   */
  public List<Alert> tick(long wallNowMs) {
    List<Alert> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, CameraAlertState>> it = cameras.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, CameraAlertState> e = it.next();
      long nowMs = e.getValue().lastEventMs + Math.max(0, wallNowMs - e.getValue().lastEventWallMs);
      CameraAlertState.Predicted p = e.getValue().predicted;
      if (p != null && nowMs > p.dueMs) out.add(endPrediction(e.getValue(), e.getKey(), nowMs, false));
      CameraAlertState.Open o = e.getValue().open;
      if (o == null) continue;
      if (nowMs - o.lastFired >= settings.resolveAfterMs()) {
        out.add(resolve(e.getValue(), e.getKey(), nowMs));
      } else if (o.dirty && nowMs - o.lastPublished >= settings.republishMs()) {
        out.add(publish(o, e.getKey(), nowMs));
      }
    }
    return out;
  }

  /** Which rule fires for this assessment, or null. Also keeps the camera's recent scores. */
  private Firing fire(CameraAlertState cam, Assessment a) {
    long t = a.assessedAtMs();
    cam.sustained = a.riskLevel().atLeast(RiskLevel.MEDIUM) ? cam.sustained + 1 : 0;
    double lowest = a.riskScore();
    for (long[] s : cam.scores) {
      if (t - s[0] <= settings.riseWindowMs()) lowest = Math.min(lowest, s[1] / 1e6);
    }
    cam.scores.addLast(new long[] {t, Math.round(a.riskScore() * 1e6)});
    while (cam.scores.size() > SCORE_HISTORY) cam.scores.removeFirst();
    if (a.riskLevel().atLeast(settings.minLevel())) return new Firing(RULE_LEVEL, "risk " + a.riskLevel().wire());
    if (cam.sustained >= settings.sustainedCount()) {
      return new Firing(RULE_SUSTAINED, "risk sustained over " + cam.sustained + " assessments");
    }
    if (a.riskScore() - lowest >= settings.riseDelta()) {
      return new Firing(RULE_RISE, String.format("risk score rose from %.2f to %.2f", lowest, a.riskScore()));
    }
    return null;
  }

  /**
   * The trend rule, beside the others: an open prediction ends when high arrives (confirmed) or its horizon
   * passes (withdrawn); with none open, a rising line through the recent scores that reaches high within
   * the horizon opens one. Scores were recorded by {@link #fire} already.
   */
  private void trend(CameraAlertState cam, Assessment a, long t, List<Alert> out) {
    if (cam.predicted != null) {
      if (a.riskLevel().atLeast(RiskLevel.HIGH)) out.add(endPrediction(cam, a.cameraId(), t, true));
      else if (t > cam.predicted.dueMs) out.add(endPrediction(cam, a.cameraId(), t, false));
      return;
    }
    if (settings.predictHorizonMs() <= 0 || a.riskLevel().atLeast(RiskLevel.HIGH)) return;
    long ms = RiskTrend.msUntil(cam.scores, t, settings.riseWindowMs(), RiskLevel.HIGH_SCORE, settings.predictHorizonMs());
    if (ms < 0) return;
    CameraAlertState.Predicted p = new CameraAlertState.Predicted();
    p.id = "predicted-" + a.taskId();
    p.firstSeen = t;
    p.dueMs = t + settings.predictHorizonMs();
    p.taskId = a.taskId();
    p.message = String.format(java.util.Locale.ROOT, "risk trend predicts high in about %d s (score %.2f, rising %.2f/min): %s",
        Math.round(ms / 1000.0), a.riskScore(), RiskTrend.slopePerMinute(cam.scores, t, settings.riseWindowMs()), a.summary());
    cam.predicted = p;
    out.add(p.toAlert(Alert.OPEN, p.message, t).forCamera(a.cameraId()));
  }

  private Alert endPrediction(CameraAlertState cam, String cameraId, long t, boolean confirmed) {
    CameraAlertState.Predicted p = cam.predicted;
    cam.predicted = null;
    trendOutcomes.accept(confirmed ? TREND_CONFIRMED : TREND_WITHDRAWN);
    String message = confirmed
        ? String.format(java.util.Locale.ROOT, "confirmed: risk reached high %d s after the prediction", Math.round((t - p.firstSeen) / 1000.0))
        : String.format(java.util.Locale.ROOT, "withdrawn: risk did not reach high within %d s", Math.round(settings.predictHorizonMs() / 1000.0));
    return p.toAlert(Alert.RESOLVED, message, t).forCamera(cameraId);
  }

  private static void touch(CameraAlertState.Open o, Assessment a, Firing f, long t) {
    o.lastSeen = Math.max(o.lastSeen, t);
    o.lastFired = Math.max(o.lastFired, t);
    o.taskId = a.taskId();
    o.rule = f.rule();
    o.message = f.reason() + ": " + a.summary();
  }

  private Alert publish(CameraAlertState.Open o, String cameraId, long t) {
    o.lastPublished = t;
    o.dirty = false;
    return withCamera(o.toAlert(), cameraId);
  }

  private static Alert resolve(CameraAlertState cam, String cameraId, long t) {
    CameraAlertState.Open o = cam.open;
    cam.open = null;
    o.status = Alert.RESOLVED;
    o.message = "resolved: risk stayed low";
    return withCamera(o.toAlert(), cameraId);
  }

  private static Alert withCamera(Alert a, String cameraId) {
    return a.forCamera(cameraId);
  }
}
