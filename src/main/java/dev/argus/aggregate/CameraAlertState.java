package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the {@link AlertEngine} knows about one camera: its open alert with the storm-control
 * state (when it was last published, whether an update is held back), the rules' memory (sustained run,
 * recent scores) and the events of its most recent tasks (so a record re-delivered to another node
 * yields the same events, not a second count). Its JSON form is what the Redis store keeps per camera,
 * so the camera's next owner continues the same incident with the same {@code alert_id}.
 */
final class CameraAlertState {
  /** Version of the JSON form; a state of another version is ignored (the camera starts afresh). */
  static final int FORM = 1;
  /** Tasks whose events a camera remembers across owners. */
  static final int RECENT_TASKS = 32;
  static final int SCORE_HISTORY = 32;

  /** The camera's open alert and its storm-control state. */
  static final class Open {
    String id;
    RiskLevel level;
    String message;
    int count;
    long firstSeen;
    long lastSeen;
    long lastFired;
    long lastPublished;
    String status;
    String taskId;
    String rule;
    /** An update is held back by the re-publish window. */
    boolean dirty;

    Alert toAlert() {
      return new Alert(id, null, level, message, count, firstSeen, lastSeen, status, taskId, Alert.RISK, rule);
    }
  }

  /** An open prediction that the camera's risk reaches high (see {@link RiskTrend}), judged by {@code dueMs}. */
  static final class Predicted {
    String id;
    String message;
    long firstSeen;
    long dueMs;
    String taskId;

    Alert toAlert(String status, String message, long lastSeen) {
      return new Alert(id, null, RiskLevel.PREDICTED, message, 1, firstSeen, lastSeen, status, taskId, Alert.RISK,
          AlertEngine.RULE_TREND);
    }
  }

  Open open;
  Predicted predicted;
  long lastEventMs;
  long lastEventWallMs;
  int sustained;
  final Deque<long[]> scores = new ArrayDeque<>(); // {timeMs, score × 1e6}
  /** Task id → the events it caused (oldest first), at most {@link #RECENT_TASKS}. */
  final Map<String, List<Alert>> recent = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<Alert>> eldest) {
      return size() > RECENT_TASKS;
    }
  };

  JsonObject toJson() {
    JsonArray s = new JsonArray();
    scores.forEach(p -> s.add(new JsonArray().add(p[0]).add(p[1])));
    JsonArray r = new JsonArray();
    recent.forEach((task, alerts) -> r.add(new JsonObject().put("task_id", task)
        .put("alerts", new JsonArray(alerts.stream().map(Alert::toJson).toList()))));
    JsonObject o = new JsonObject().put("form", FORM).put("last_event_ms", lastEventMs)
        .put("last_event_wall_ms", lastEventWallMs).put("sustained", sustained).put("scores", s).put("recent", r);
    if (open != null) {
      o.put("open", new JsonObject().put("id", open.id).put("level", open.level.wire()).put("message", open.message)
          .put("count", open.count).put("first_seen_ms", open.firstSeen).put("last_seen_ms", open.lastSeen)
          .put("last_fired_ms", open.lastFired).put("last_published_ms", open.lastPublished)
          .put("status", open.status).put("task_id", open.taskId).put("rule", open.rule).put("dirty", open.dirty));
    }
    if (predicted != null) {
      o.put("predicted", new JsonObject().put("id", predicted.id).put("message", predicted.message)
          .put("first_seen_ms", predicted.firstSeen).put("due_ms", predicted.dueMs).put("task_id", predicted.taskId));
    }
    return o;
  }

  /** Reads the JSON form; null for another form; IllegalArgumentException when it is not a state at all. */
  static CameraAlertState fromJson(JsonObject o) {
    try {
      if (o.getInteger("form", 0) != FORM) return null;
      CameraAlertState c = new CameraAlertState();
      c.lastEventMs = o.getLong("last_event_ms", 0L);
      c.lastEventWallMs = o.getLong("last_event_wall_ms", 0L);
      c.sustained = o.getInteger("sustained", 0);
      for (Object p : o.getJsonArray("scores", new JsonArray())) {
        JsonArray pair = (JsonArray) p;
        c.scores.addLast(new long[] {pair.getLong(0), pair.getLong(1)});
      }
      while (c.scores.size() > SCORE_HISTORY) c.scores.removeFirst();
      for (Object e : o.getJsonArray("recent", new JsonArray())) {
        JsonObject t = (JsonObject) e;
        List<Alert> alerts = t.getJsonArray("alerts", new JsonArray()).stream()
            .map(a -> Alert.fromJson((JsonObject) a)).toList();
        c.recent.put(t.getString("task_id"), alerts);
      }
      JsonObject j = o.getJsonObject("open");
      if (j != null) {
        Open open = new Open();
        open.id = j.getString("id");
        open.level = RiskLevel.parse(j.getString("level"));
        if (open.id == null || open.level == null) throw new IllegalArgumentException("open alert without id or level");
        open.message = j.getString("message", "");
        open.count = j.getInteger("count", 1);
        open.firstSeen = j.getLong("first_seen_ms", 0L);
        open.lastSeen = j.getLong("last_seen_ms", 0L);
        open.lastFired = j.getLong("last_fired_ms", 0L);
        open.lastPublished = j.getLong("last_published_ms", 0L);
        open.status = j.getString("status", Alert.OPEN);
        open.taskId = j.getString("task_id");
        open.rule = j.getString("rule");
        open.dirty = j.getBoolean("dirty", false);
        c.open = open;
      }
      JsonObject pj = o.getJsonObject("predicted");
      if (pj != null) {
        Predicted p = new Predicted();
        p.id = pj.getString("id");
        if (p.id == null) throw new IllegalArgumentException("prediction without id");
        p.message = pj.getString("message", "");
        p.firstSeen = pj.getLong("first_seen_ms", 0L);
        p.dueMs = pj.getLong("due_ms", 0L);
        p.taskId = pj.getString("task_id");
        c.predicted = p;
      }
      return c;
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a camera alert state: " + e.getMessage(), e);
    }
  }
}
