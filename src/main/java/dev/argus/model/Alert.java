package dev.argus.model;

import io.vertx.core.json.JsonObject;

/** An alert as published on {@code argus.alerts} and the {@code alert-events} topic. */
public record Alert(String alertId, String cameraId, RiskLevel level, String message, int count,
                    long firstSeenMs, long lastSeenMs, String status, String taskId) {

  public static final String OPEN = "open";

  public JsonObject toJson() {
    return new JsonObject()
        .put("alert_id", alertId).put("camera_id", cameraId).put("level", level.wire())
        .put("message", message).put("count", count)
        .put("first_seen", Times.iso(firstSeenMs)).put("last_seen", Times.iso(lastSeenMs))
        .put("status", status).put("task_id", taskId);
  }
}
