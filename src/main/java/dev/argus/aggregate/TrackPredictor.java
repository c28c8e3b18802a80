package dev.argus.aggregate;

import dev.argus.config.Zone;
import dev.argus.model.Alert;
import dev.argus.model.DetectedObject;
import dev.argus.model.RiskLevel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Predictive zone alerts from track paths. Each tracked object's motion is fitted as a straight line
 * (least squares over its positions of the last {@code fitWindowMs}); when that line, followed for
 * {@code horizonMs}, takes the object's centre into a zone its label may not enter, an alert at level
 * {@code predicted} opens (rule {@link #RULE}). It resolves either way, and says which: the object
 * entered the zone (the prediction came true: {@link Outcome#ENTERED}), or the prediction went away for
 * {@code withdrawAfterMs} or the track went unseen for {@code staleAfterMs} ({@link Outcome#WITHDRAWN}).
 * Counting outcomes gives the predictions' precision. Times are frame times (event time) and the
 * caller's clock for {@link #tick}; not thread-safe: the owner of the camera's partition owns it.
 */
public final class TrackPredictor {
  public static final String RULE = "zone_entry_predicted";

  /** How a prediction ended. */
  public enum Outcome {
    ENTERED, WITHDRAWN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public record Settings(long fitWindowMs, long horizonMs, long staleAfterMs, long withdrawAfterMs) {}

  /** A resolved prediction and how it ended (for counting), with the alert event it produced. */
  public record Resolution(Alert alert, Outcome outcome) {}

  /** What one frame or tick produced: alert events, and the predictions that ended among them. */
  public record Events(List<Alert> alerts, List<Resolution> resolutions) {
    static final Events NONE = new Events(List.of(), List.of());
  }

  /** Tracks remembered per camera (the least recently seen go first). */
  static final int MAX_TRACKS_PER_CAMERA = 256;
  /** Positions kept per track, whatever the window. */
  static final int MAX_POINTS = 64;
  /** Points along the predicted path that are tested against the zones. */
  static final int PATH_STEPS = 20;
  /** The fit needs this much time between its first and last positions to mean anything. */
  static final long MIN_SPAN_MS = 200;

  private static final class Track {
    String label;
    long lastSeenMs;
    final Deque<double[]> points = new ArrayDeque<>(); // {t, x, y}
  }

  private static final class Prediction {
    String alertId;
    String trackId;
    String zone;
    String label;
    long firstSeen;
    long lastSeen;
    long lastPredicted;
    long etaMs;
    int count;
  }

  private static final class Camera {
    final Map<String, Track> tracks = new LinkedHashMap<>(16, 0.75f, true);
    final Map<String, Prediction> open = new HashMap<>(); // key: track + '\0' + zone
    long lastFrameMs;
    long lastFrameWallMs;
  }

  private final Settings settings;
  private final Function<String, List<Zone>> zonesOf;
  private final Map<String, Camera> cameras = new HashMap<>();

  /** {@code zonesOf}: a camera's zones (from the rule book). */
  public TrackPredictor(Settings settings, Function<String, List<Zone>> zonesOf) {
    this.settings = settings;
    this.zonesOf = zonesOf;
  }

  /** A frame's tracked objects (others are ignored) at frame time {@code tMs}, seen at wall time {@code wallMs}. */
  public Events onFrame(String cameraId, long tMs, long wallMs, List<DetectedObject> objects) {
    List<Zone> zones = zonesOf.apply(cameraId);
    Camera cam = cameras.get(cameraId);
    if (cam == null) {
      if (objects.stream().noneMatch(o -> o.trackId() != null)) return Events.NONE;
      cam = new Camera();
      cameras.put(cameraId, cam);
    }
    if (tMs >= cam.lastFrameMs) {
      cam.lastFrameMs = tMs;
      cam.lastFrameWallMs = wallMs;
    }
    List<Alert> alerts = new ArrayList<>();
    List<Resolution> ended = new ArrayList<>();
    for (DetectedObject o : objects) {
      if (o.trackId() == null) continue;
      Track track = remember(cam, o, tMs);
      for (Zone z : zones) {
        if (!z.applies(track.label)) continue;
        String key = o.trackId() + '\u0000' + z.name();
        Prediction p = cam.open.get(key);
        if (z.contains(o.centreX(), o.centreY())) {
          // Inside already: a prediction came true; an object that is in the zone is the rules' business.
          if (p != null) ended.add(resolve(cam, key, cameraId, tMs, Outcome.ENTERED));
          continue;
        }
        long eta = entryEta(track, z);
        if (eta >= 0) {
          if (p == null) {
            p = new Prediction();
            p.alertId = "predict-" + cameraId + ":" + o.trackId() + ":" + z.name() + ":" + tMs;
            p.trackId = o.trackId();
            p.zone = z.name();
            p.label = track.label;
            p.firstSeen = tMs;
            cam.open.put(key, p);
            p.count = 1;
            p.lastSeen = tMs;
            p.lastPredicted = tMs;
            p.etaMs = eta;
            alerts.add(toAlert(p, cameraId, Alert.OPEN, "predicted: " + describe(p)));
          } else {
            p.count++;
            p.lastSeen = Math.max(p.lastSeen, tMs);
            p.lastPredicted = Math.max(p.lastPredicted, tMs);
            p.etaMs = eta;
          }
        } else if (p != null && tMs - p.lastPredicted >= settings.withdrawAfterMs()) {
          ended.add(resolve(cam, key, cameraId, tMs, Outcome.WITHDRAWN));
        }
      }
    }
    ended.forEach(r -> alerts.add(r.alert()));
    return alerts.isEmpty() ? Events.NONE : new Events(List.copyOf(alerts), List.copyOf(ended));
  }

  /**
   * Time passing: tracks unseen for {@code staleAfterMs} are dropped, and their predictions withdrawn.
   * A camera's clock is its last frame time plus the wall time since.
   */
  public Events tick(long wallNowMs) {
    List<Alert> alerts = new ArrayList<>();
    List<Resolution> ended = new ArrayList<>();
    for (Iterator<Map.Entry<String, Camera>> it = cameras.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Camera> e = it.next();
      Camera cam = e.getValue();
      long now = cam.lastFrameMs + Math.max(0, wallNowMs - cam.lastFrameWallMs);
      cam.tracks.values().removeIf(t -> now - t.lastSeenMs >= settings.staleAfterMs());
      for (String key : List.copyOf(cam.open.keySet())) {
        Prediction p = cam.open.get(key);
        if (!cam.tracks.containsKey(p.trackId) || now - p.lastPredicted >= settings.withdrawAfterMs() + settings.staleAfterMs()) {
          ended.add(resolve(cam, key, e.getKey(), now, Outcome.WITHDRAWN));
        }
      }
      if (cam.tracks.isEmpty() && cam.open.isEmpty()) it.remove();
    }
    ended.forEach(r -> alerts.add(r.alert()));
    return alerts.isEmpty() ? Events.NONE : new Events(List.copyOf(alerts), List.copyOf(ended));
  }

  /** Open predictions (for tests and health). */
  public int openPredictions() {
    return cameras.values().stream().mapToInt(c -> c.open.size()).sum();
  }

  private Track remember(Camera cam, DetectedObject o, long tMs) {
    Track track = cam.tracks.computeIfAbsent(o.trackId(), k -> new Track());
    track.label = o.label();
    track.lastSeenMs = Math.max(track.lastSeenMs, tMs);
    // Out-of-order positions are dropped: the fit assumes time moves forward.
    if (track.points.isEmpty() || tMs > track.points.peekLast()[0]) {
      track.points.addLast(new double[] {tMs, o.centreX(), o.centreY()});
    }
    while (track.points.size() > MAX_POINTS || (track.points.size() > 1 && tMs - track.points.peekFirst()[0] > settings.fitWindowMs())) {
      track.points.removeFirst();
    }
    if (cam.tracks.size() > MAX_TRACKS_PER_CAMERA) {
      cam.tracks.entrySet().stream().min(Comparator.comparingLong(en -> en.getValue().lastSeenMs))
          .map(Map.Entry::getKey).ifPresent(cam.tracks::remove);
    }
    return track;
  }

  /**
   * When the track's fitted line enters the zone, in ms from its newest position; -1 when it does not
   * within the horizon (or there is too little motion to fit).
   */
  long entryEta(Track track, Zone z) {
    double[] v = velocity(track.points);
    if (v == null) return -1;
    double[] last = track.points.peekLast();
    for (int i = 1; i <= PATH_STEPS; i++) {
      double dt = settings.horizonMs() * (double) i / PATH_STEPS;
      if (z.contains(last[1] + v[0] * dt, last[2] + v[1] * dt)) return Math.round(dt);
    }
    return -1;
  }

  /** Least-squares velocity {vx, vy} per ms over the points, or null when they span too little time. */
  static double[] velocity(Deque<double[]> points) {
    if (points.size() < 2 || points.peekLast()[0] - points.peekFirst()[0] < MIN_SPAN_MS) return null;
    double n = points.size();
    double st = 0, sx = 0, sy = 0;
    for (double[] p : points) {
      st += p[0];
      sx += p[1];
      sy += p[2];
    }
    double mt = st / n, mx = sx / n, my = sy / n;
    double stt = 0, stx = 0, sty = 0;
    for (double[] p : points) {
      double dt = p[0] - mt;
      stt += dt * dt;
      stx += dt * (p[1] - mx);
      sty += dt * (p[2] - my);
    }
    return stt == 0 ? null : new double[] {stx / stt, sty / stt};
  }

  private Resolution resolve(Camera cam, String key, String cameraId, long t, Outcome outcome) {
    Prediction p = cam.open.remove(key);
    p.lastSeen = Math.max(p.lastSeen, t);
    String message = outcome == Outcome.ENTERED
        ? "entered as predicted: " + p.label + " #" + p.trackId + " is in zone " + p.zone
        : "prediction withdrawn: " + p.label + " #" + p.trackId + " no longer heads into zone " + p.zone;
    return new Resolution(toAlert(p, cameraId, Alert.RESOLVED, message), outcome);
  }

  private static String describe(Prediction p) {
    return p.label + " #" + p.trackId + " heads into zone " + p.zone + " in about " + Math.max(1, Math.round(p.etaMs / 1000.0)) + " s";
  }

  private static Alert toAlert(Prediction p, String cameraId, String status, String message) {
    return new Alert(p.alertId, cameraId, RiskLevel.PREDICTED, message, p.count, p.firstSeen, p.lastSeen, status, null,
        Alert.RISK, RULE);
  }
}
