package dev.argus.model;

import io.vertx.core.json.JsonObject;

import java.time.format.DateTimeParseException;

/**
 * A frame the bridge judged worth an LLM's attention. {@code taskId} is derived from the camera and
 * frame, so a replay yields the same id. {@code frame} is the frame's JSON as the camera sent it.
 */
public record AssessmentTask(String taskId, String cameraId, String frameId, long detectedAtMs,
                             long createdAtMs, long deadlineMs, String reason, int priority,
                             int coalesced, JsonObject frame, JsonObject context) {

  /** Task ids of replayed frames start with this (then the replay id): never a live camera's id. */
  public static final String REPLAY_PREFIX = "replay:";

  /** Whether a task (and so its result) comes from a replay, not from live frames. */
  public static boolean isReplay(String taskId) {
    return taskId != null && taskId.startsWith(REPLAY_PREFIX);
  }

  public static String taskId(String cameraId, String frameKey) {
    return cameraId + ":" + frameKey;
  }

  public String imageUrl() {
    return frame.getString("image_url");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("task_id", taskId).put("camera_id", cameraId).put("frame_id", frameId)
        .put("detected_at", Times.iso(detectedAtMs)).put("created_at", Times.iso(createdAtMs))
        .put("deadline", Times.iso(deadlineMs)).put("reason", reason).put("priority", priority)
        .put("coalesced", coalesced).put("frame", frame).put("context", context);
  }

  /** Decodes a task; throws IllegalArgumentException (with the reason) when it is not one. */
  public static AssessmentTask fromJson(JsonObject o) {
    try {
      String taskId = require(o.getString("task_id"), "task_id");
      String cameraId = require(o.getString("camera_id"), "camera_id");
      JsonObject frame = require(o.getJsonObject("frame"), "frame");
      return new AssessmentTask(taskId, cameraId, o.getString("frame_id"),
          Times.parse(require(o.getString("detected_at"), "detected_at")),
          Times.parse(require(o.getString("created_at"), "created_at")),
          Times.parse(require(o.getString("deadline"), "deadline")),
          o.getString("reason", "unknown"), o.getInteger("priority", 0), o.getInteger("coalesced", 0), frame,
          o.getJsonObject("context"));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("not an assessment task: " + e.getMessage(), e);
    }
  }

  static <T> T require(T value, String field) {
    if (value == null) throw new IllegalArgumentException("missing field " + field);
    return value;
  }
}
