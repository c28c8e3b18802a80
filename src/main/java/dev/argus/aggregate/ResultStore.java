package dev.argus.aggregate;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import dev.argus.model.Times;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where results live: Redis when {@code redis.url} is set, else this process's memory. */
public interface ResultStore {
  /** Whether this task's result was stored before. */
  Future<Boolean> isSeen(String taskId);

  /**
   * Stores an assessment, the camera's rolling statistics and the alert events it caused, in one atomic
   * step, unless the task was stored before. Succeeds with true when it was new, false for a duplicate.
   */
  Future<Boolean> record(Assessment assessment, JsonObject stats, List<Alert> alerts);

  /** Alert events not tied to an assessment (throttled updates, resolutions). */
  Future<Void> saveAlerts(List<Alert> alerts);

  /** Latest state of every camera, highest current risk first. */
  Future<List<JsonObject>> cameras();

  /** Latest state of one camera, or null when it was never seen. */
  Future<JsonObject> camera(String cameraId);

  /** A camera's assessments, newest first, before the cursor {@code before} (null: from the newest). */
  Future<Page> history(String cameraId, int limit, HistoryCursor before);

  /** Alerts in their latest state, most recently seen first; {@code status}/{@code sinceMs}/{@code cursor} may be null. */
  Future<Page> alerts(String status, Long sinceMs, int limit, AlertCursor cursor);

  /**
   * A stored assessment by task id, or null when the task is unknown or no longer in its camera's
   * history (the store keeps {@code redis.historyMaxLen} per camera).
   */
  Future<JsonObject> assessment(String taskId);

  /** An operator's verdict on an assessment ({@code argus:feedback:{task_id}} in Redis); the last one wins. */
  Future<Void> saveFeedback(String taskId, JsonObject feedback);

  /** Where the alert engine keeps per-camera state beyond one process ({@link AlertStateStore#LOCAL}: nowhere). */
  default AlertStateStore alertStates(long ttlSeconds) {
    return AlertStateStore.LOCAL;
  }

  /**
   * Where recent track positions live, beside the results (Redis stream or this process's memory). The
   * same store hands out the same track store; {@code maxLen} is {@code aggregate.tracks.maxLen}.
   */
  TrackStore tracks(int maxLen);

  /** {@code {"status": "UP"|"DOWN", "kind": "redis"|"memory", ...}} */
  Future<JsonObject> health();

  Future<Void> close();

  /** Task ids the memory store remembers for de-duplication (Redis keeps them {@code redis.dedupTtlSeconds}). */
  int MEMORY_DEDUP_ENTRIES = 100_000;

  static ResultStore create(Vertx vertx, ArgusConfig.Redis conf) {
    return conf.enabled() ? new RedisResultStore(vertx, conf)
        : new MemoryResultStore(MEMORY_DEDUP_ENTRIES, conf.historyMaxLen(), conf.maxAlerts(), conf.maxCameras());
  }

  /** The camera view both stores return: the latest assessment plus counters and rolling statistics. */
  static JsonObject cameraView(String cameraId, JsonObject latest, long assessments, long updatedAtMs, JsonObject stats) {
    JsonObject v = new JsonObject().put("camera_id", cameraId).put("latest", latest).put("assessments", assessments)
        .put("risk_level", latest.getString("risk_level")).put("risk_score", latest.getDouble("risk_score"))
        .put("updated_at", Times.iso(updatedAtMs));
    if (stats != null) v.put("stats", stats);
    return v;
  }

  static List<JsonObject> byRisk(List<JsonObject> cameras) {
    return cameras.stream().sorted((a, b) -> {
      int c = Double.compare(b.getDouble("risk_score", 0.0), a.getDouble("risk_score", 0.0));
      return c != 0 ? c : a.getString("camera_id").compareTo(b.getString("camera_id"));
    }).toList();
  }

  /** An alert cursor: {@code <last_seen ms>:<alert id>} of the last item of the previous page. */
  record AlertCursor(long lastSeenMs, String alertId) {
    /** Null for null or empty; throws IllegalArgumentException for anything not {@code <ms>:<id>}. */
    public static AlertCursor parse(String s) {
      if (s == null || s.isEmpty()) return null;
      int colon = s.indexOf(':');
      if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("bad cursor '" + s + "'");
      try {
        return new AlertCursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad cursor '" + s + "'");
      }
    }

    static String of(Alert a) {
      return a.lastSeenMs() + ":" + a.alertId();
    }

    /** Whether an alert comes after this cursor in the listing order (last seen desc, then id desc). */
    boolean before(long lastSeen, String id) {
      return lastSeen < lastSeenMs || (lastSeen == lastSeenMs && id.compareTo(alertId) < 0);
    }
  }

  /**
   * A history cursor as the stores hand it out in {@code next}: a Redis stream entry id {@code <ms>-<seq>}
   * or the memory store's sequence number. Both stores read both forms, so a well-formed cursor never
   * depends on which store is configured; only the form is checked, before the store is asked.
   */
  record HistoryCursor(long first, Long second) {
    // 18 digits always fit in a long, so a well-formed cursor cannot overflow.
    private static final Pattern FORM = Pattern.compile("(\\d{1,18})(?:-(\\d{1,18}))?");

    /** Null for null or empty; throws IllegalArgumentException for anything not {@code <n>} or {@code <n>-<n>}. */
    public static HistoryCursor parse(String s) {
      if (s == null || s.isEmpty()) return null;
      Matcher m = FORM.matcher(s);
      if (!m.matches()) throw new IllegalArgumentException("bad cursor '" + s + "'");
      return new HistoryCursor(Long.parseLong(m.group(1)), m.group(2) == null ? null : Long.parseLong(m.group(2)));
    }

    /** Whether nothing can come before it (Redis refuses an exclusive range ending at 0-0). */
    boolean isFirstPossible() {
      return first == 0 && second != null && second == 0;
    }

    String wire() {
      return second == null ? String.valueOf(first) : first + "-" + second;
    }
  }
}
