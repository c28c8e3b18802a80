package dev.argus.replay;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What to replay: the frames of {@code detection-results} whose record time lies in [from, to], of one
 * camera or all. Times are epoch milliseconds or ISO-8601 (with an offset, e.g. {@code 2026-11-30T12:00:00Z}).
 */
public record ReplayRequest(String cameraId, long fromMs, long toMs) {
  /** Parses a request body; throws IllegalArgumentException with a message fit for the client. */
  public static ReplayRequest parse(JsonObject body) {
    if (body == null) throw new IllegalArgumentException("send a JSON object {\"camera_id\"?, \"from\", \"to\"}");
    Object camera = body.getValue("camera_id");
    if (camera != null && (!(camera instanceof String s) || s.isBlank())) {
      throw new IllegalArgumentException("camera_id must be a non-empty string when given");
    }
    long from = time(body.getValue("from"), "from");
    long to = time(body.getValue("to"), "to");
    if (from > to) throw new IllegalArgumentException("from must not be after to");
    return new ReplayRequest((String) camera, from, to);
  }

  static long time(Object v, String field) {
    if (v instanceof Number n) {
      if (n.longValue() < 0) throw new IllegalArgumentException(field + " must not be negative");
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return OffsetDateTime.parse(s.trim()).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(field + " is not ISO-8601 with an offset: '" + s + "'");
      }
    }
    throw new IllegalArgumentException(field + " is required: epoch milliseconds or an ISO-8601 time");
  }

  public boolean wants(String camera) {
    return cameraId == null || cameraId.equals(camera);
  }

  public JsonObject toJson() {
    return new JsonObject().put("camera_id", cameraId).put("from", fromMs).put("to", toMs);
  }
}
