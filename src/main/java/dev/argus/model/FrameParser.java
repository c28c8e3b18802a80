package dev.argus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates a frame's JSON and turns it into a {@link Detection}. Used by ingest (to refuse bad
 * input with precise errors) and by the stages behind Kafka (to decode what ingest forwarded as
 * bytes), so both read frames by exactly the same rules.
 */
public final class FrameParser {
  public static final int MAX_ID_LENGTH = 256;

  private FrameParser() {}

  /** The outcome: a detection, or the reasons there is none. */
  public record Result(Detection detection, List<FieldError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static Result parse(Object json, int index) {
    List<FieldError> errors = new ArrayList<>();
    if (!(json instanceof JsonObject frame)) {
      errors.add(new FieldError(index, "", "a frame must be a JSON object"));
      return new Result(null, errors);
    }
    String cameraId = requiredId(frame, "camera_id", index, errors);
    String frameId = optionalId(frame, "frame_id", index, errors);
    Long timestamp = timestamp(frame.getValue("timestamp"), index, errors);
    String modelType = optionalString(frame, "model_type", index, errors);
    String imageUrl = optionalString(frame, "image_url", index, errors);
    List<DetectedObject> objects = objects(frame.getValue("detections"), index, errors);
    if (!errors.isEmpty()) return new Result(null, errors);
    return new Result(new Detection(cameraId, frameId, timestamp, modelType, imageUrl, objects), errors);
  }

  private static String requiredId(JsonObject o, String field, int index, List<FieldError> errors) {
    Object v = o.getValue(field);
    if (v == null) {
      errors.add(new FieldError(index, field, "is required"));
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      errors.add(new FieldError(index, field, "must be a non-empty string"));
      return null;
    }
    if (s.length() > MAX_ID_LENGTH) {
      errors.add(new FieldError(index, field, "must be at most " + MAX_ID_LENGTH + " characters"));
      return null;
    }
    return s;
  }

  private static String optionalId(JsonObject o, String field, int index, List<FieldError> errors) {
    Object v = o.getValue(field);
    if (v == null) return null;
    if (v instanceof String s && !s.isBlank() && s.length() <= MAX_ID_LENGTH) return s;
    if (v instanceof Integer || v instanceof Long) return v.toString();
    errors.add(new FieldError(index, field, "must be a string or an integer"));
    return null;
  }

  private static String optionalString(JsonObject o, String field, int index, List<FieldError> errors) {
    Object v = o.getValue(field);
    if (v == null || v instanceof String) return (String) v;
    errors.add(new FieldError(index, field, "must be a string"));
    return null;
  }

  private static Long timestamp(Object v, int index, List<FieldError> errors) {
    if (v == null) return null;
    if (v instanceof Integer || v instanceof Long) {
      long ms = ((Number) v).longValue();
      if (ms >= 0) return ms;
    } else if (v instanceof String s) {
      Long ms = Times.frameMillis(s);
      if (ms != null) return ms;
    }
    errors.add(new FieldError(index, "timestamp", "must be an ISO-8601 date-time or epoch milliseconds"));
    return null;
  }

  private static List<DetectedObject> objects(Object v, int index, List<FieldError> errors) {
    if (v == null) {
      errors.add(new FieldError(index, "detections", "is required (it may be an empty array)"));
      return null;
    }
    if (!(v instanceof JsonArray array)) {
      errors.add(new FieldError(index, "detections", "must be an array"));
      return null;
    }
    List<DetectedObject> objects = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = "detections[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject d)) {
        errors.add(new FieldError(index, path, "must be an object"));
        continue;
      }
      DetectedObject object = object(d, path, index, errors);
      if (object != null) objects.add(object);
    }
    return objects;
  }

  private static DetectedObject object(JsonObject d, String path, int index, List<FieldError> errors) {
    int before = errors.size();
    Object label = d.getValue("label", d.getValue("class"));
    if (!(label instanceof String l) || l.isBlank()) {
      errors.add(new FieldError(index, path + ".label", "must be a non-empty string (\"class\" is accepted too)"));
    }
    Object conf = d.getValue("confidence");
    if (!(conf instanceof Number c) || c.doubleValue() < 0 || c.doubleValue() > 1 || Double.isNaN(c.doubleValue())) {
      errors.add(new FieldError(index, path + ".confidence", "must be a number between 0 and 1"));
    }
    double[] bbox = bbox(d.getValue("bbox"));
    if (bbox == null) {
      errors.add(new FieldError(index, path + ".bbox", "must be [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2"));
    }
    Object track = d.getValue("track_id");
    if (track != null && !(track instanceof String || track instanceof Integer || track instanceof Long)) {
      errors.add(new FieldError(index, path + ".track_id", "must be a string or an integer"));
    }
    if (errors.size() > before) return null;
    return new DetectedObject((String) label, ((Number) conf).doubleValue(), bbox,
        track == null ? null : track.toString());
  }

  private static double[] bbox(Object v) {
    if (!(v instanceof JsonArray a) || a.size() != 4) return null;
    double[] b = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!(a.getValue(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) return null;
      b[i] = n.doubleValue();
    }
    return b[0] <= b[2] && b[1] <= b[3] ? b : null;
  }
}
