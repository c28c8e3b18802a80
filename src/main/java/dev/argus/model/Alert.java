package dev.argus.model;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An alert as published on {@code argus.alerts} and the {@code alert-events} topic. {@code kind} says
 * what it is about ({@link #RISK}: the scene; {@link #DATA_QUALITY}: the camera's feed) and {@code rule}
 * which rule or check raised it. {@code taskId} is null for a data-quality alert (no assessment).
 */
public record Alert(String alertId, String cameraId, RiskLevel level, String message, int count,
                    long firstSeenMs, long lastSeenMs, String status, String taskId, String kind, String rule) {

  public static final String RISK = "risk";
  public static final String DATA_QUALITY = "data_quality";

  public static final String OPEN = "open";
  public static final String UPDATED = "updated";
  public static final String ESCALATED = "escalated";
  public static final String RESOLVED = "resolved";
  /** Every status an alert event may carry, in the order of an alert's life. */
  public static final List<String> STATUSES = List.of(OPEN, UPDATED, ESCALATED, RESOLVED);
  /** The statuses of an alert that is still active (not resolved). */
  public static final List<String> ACTIVE_STATUSES = List.of(OPEN, UPDATED, ESCALATED);

  /** Decodes an alert as stored; throws IllegalArgumentException when it is not one. */
  public static Alert fromJson(JsonObject o) {
    RiskLevel level = RiskLevel.parseAlertLevel(o.getString("level"));
    if (level == null || o.getString("alert_id") == null) throw new IllegalArgumentException("not an alert: " + o);
    return new Alert(o.getString("alert_id"), o.getString("camera_id"), level, o.getString("message", ""),
        o.getInteger("count", 1), Times.parse(o.getString("first_seen")), Times.parse(o.getString("last_seen")),
        o.getString("status", OPEN), o.getString("task_id"), o.getString("kind", RISK), o.getString("rule"));
  }

  /** The same alert for {@code cameraId}. */
  public Alert forCamera(String cameraId) {
    return new Alert(alertId, cameraId, level, message, count, firstSeenMs, lastSeenMs, status, taskId, kind, rule);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("alert_id", alertId).put("camera_id", cameraId).put("level", level.wire())
        .put("message", message).put("count", count)
        .put("first_seen", Times.iso(firstSeenMs)).put("last_seen", Times.iso(lastSeenMs))
        .put("status", status).put("task_id", taskId)
        .put("kind", kind).put("rule", rule);
  }
}
