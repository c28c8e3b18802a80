package dev.argus.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one frame straight from a streaming parser, by exactly the rules of {@link FrameParser} (same
 * fields, same messages, same order of errors), without building a tree: the hot path of ingest and of
 * the detection bridge. Fields arrive in document order, so each top-level field's error waits in its
 * slot and the slots are emitted in FrameParser's order at the end. Unknown fields are skipped (their
 * syntax is still checked).
 */
public final class FrameReader {
  /** Frames nest three levels (frame, detections, bbox); anything far deeper is not a frame. */
  public static final int MAX_DEPTH = 32;
  /**
   * Strict JSON for the readers here and in {@code FrameBody}: nesting capped at {@link #MAX_DEPTH}. Duplicate
   * keys are refused too (a JsonObject would keep the last one silently, other readers the first: refusing is
   * the only reading every consumer agrees on), by the readers themselves ({@link StrictKeys}): a parser from
   * this factory alone does not refuse them. Doubles are parsed with Jackson's FastDoubleParser (correctly
   * rounded, as {@code Double.parseDouble}).
   */
  public static final JsonFactory STRICT_JSON = JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();
  private static final int CAMERA = 0, FRAME = 1, TIMESTAMP = 2, MODEL = 3, IMAGE = 4, DETECTIONS = 5;
  private static final String[] NAMES = {"camera_id", "frame_id", "timestamp", "model_type", "image_url", "detections"};
  /** Bits of the known fields in a frame's and a detected object's mask ({@link StrictKeys#once}). */
  private static final int F_CAMERA = 1, F_FRAME = 2, F_TIMESTAMP = 4, F_MODEL = 8, F_IMAGE = 16, F_DETECTIONS = 32,
      F_WIDTH = 64, F_HEIGHT = 128;
  private static final int O_LABEL = 1, O_CLASS = 2, O_CONFIDENCE = 4, O_BBOX = 8, O_TRACK = 16;

  private FrameReader() {}

  /**
   * A frame record read in one pass: its detection (or its errors), and the image size when the frame
   * states it as numbers (NaN otherwise: the camera's configured size applies). {@code malformed}: the bytes
   * are not one strict JSON object at all (as opposed to a JSON object that is not a valid frame).
   */
  public record Decoded(FrameParser.Result result, double imageWidth, double imageHeight, boolean malformed) {}

  /** One frame from its bytes (a record's value): malformed JSON or trailing content is an error too. */
  public static Decoded decode(Buffer bytes) {
    double[] size = {Double.NaN, Double.NaN};
    try (JsonParser p = STRICT_JSON.createParser(bytes.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) return malformed("a frame record must hold one JSON object");
      FrameParser.Result r = readFrame(p, 0, size).result();
      if (p.nextToken() != null) return malformed("unexpected content after the frame");
      return new Decoded(r, size[0], size[1], false);
    } catch (IOException e) {
      return malformed("malformed JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  /**
   * The record's detection when it is a valid frame, else null: for the side consumers of every frame
   * (tracks, camera health), which learn nothing from a bad record and leave dead-lettering to the bridge.
   */
  public static Detection detectionOrNull(Buffer bytes) {
    FrameParser.Result r = decode(bytes).result();
    return r.ok() ? r.detection() : null;
  }

  private static Decoded malformed(String message) {
    return new Decoded(new FrameParser.Result(null, List.of(new FieldError(0, "", message))), Double.NaN, Double.NaN, true);
  }

  /**
   * A frame read: its result, and its {@code camera_id} whenever that field itself was valid (also for a
   * refused frame, so its camera's health can count the refusal).
   */
  public record Read(FrameParser.Result result, String cameraId) {}

  /** {@code p} is on the frame's START_OBJECT; on return it is on the matching END_OBJECT. */
  public static FrameParser.Result read(JsonParser p, int index) throws IOException {
    return readFrame(p, index, null).result();
  }

  /** As {@link #read}, keeping the camera id. */
  public static Read readFrame(JsonParser p, int index) throws IOException {
    return readFrame(p, index, null);
  }

  /** As {@link #readFrame(JsonParser, int)}; numeric {@code image_width}/{@code image_height} go into {@code size} when given. */
  private static Read readFrame(JsonParser p, int index, double[] size) throws IOException {
    String[] slot = new String[6];
    List<FieldError> objectErrors = List.of();
    String cameraId = null, frameId = null, modelType = null, imageUrl = null;
    Long timestamp = null;
    List<DetectedObject> objects = null;
    boolean seenCamera = false, seenDetections = false;
    int known = 0;
    StrictKeys.Names unknown = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "camera_id" -> {
          known = StrictKeys.once(known, F_CAMERA, name, p);
          seenCamera = true;
          if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (s.isBlank()) slot[CAMERA] = "must be a non-empty string";
            else if (s.length() > FrameParser.MAX_ID_LENGTH) slot[CAMERA] = "must be at most " + FrameParser.MAX_ID_LENGTH + " characters";
            else cameraId = s;
          } else if (t == JsonToken.VALUE_NULL) {
            slot[CAMERA] = "is required";
          } else {
            StrictKeys.skip(p);
            slot[CAMERA] = "must be a non-empty string";
          }
        }
        case "frame_id" -> {
          known = StrictKeys.once(known, F_FRAME, name, p);
          if (t == JsonToken.VALUE_STRING && !p.getText().isBlank() && p.getText().length() <= FrameParser.MAX_ID_LENGTH) frameId = p.getText();
          else if (isIntegral(p, t)) frameId = Long.toString(p.getLongValue());
          else if (t != JsonToken.VALUE_NULL) {
            StrictKeys.skip(p);
            slot[FRAME] = "must be a string or an integer";
          }
        }
        case "timestamp" -> {
          known = StrictKeys.once(known, F_TIMESTAMP, name, p);
          if (t == JsonToken.VALUE_NULL) break;
          if (isIntegral(p, t) && p.getLongValue() >= 0) timestamp = p.getLongValue();
          else if (t == JsonToken.VALUE_STRING) timestamp = Times.frameMillis(p.getText());
          else StrictKeys.skip(p);
          if (timestamp == null) slot[TIMESTAMP] = "must be an ISO-8601 date-time or epoch milliseconds";
        }
        case "model_type" -> {
          known = StrictKeys.once(known, F_MODEL, name, p);
          modelType = optionalString(p, t, slot, MODEL);
        }
        case "image_url" -> {
          known = StrictKeys.once(known, F_IMAGE, name, p);
          imageUrl = optionalString(p, t, slot, IMAGE);
        }
        case "detections" -> {
          known = StrictKeys.once(known, F_DETECTIONS, name, p);
          seenDetections = true;
          if (t == JsonToken.START_ARRAY) {
            objectErrors = new ArrayList<>(0);
            objects = objects(p, index, objectErrors);
          } else if (t == JsonToken.VALUE_NULL) {
            seenDetections = false;
          } else {
            StrictKeys.skip(p);
            slot[DETECTIONS] = "must be an array";
          }
        }
        case "image_width", "image_height" -> {
          boolean width = name.equals("image_width");
          known = StrictKeys.once(known, width ? F_WIDTH : F_HEIGHT, name, p);
          if (size != null && t.isNumeric()) size[width ? 0 : 1] = number(p);
          else StrictKeys.skip(p);
        }
        default -> {
          unknown = StrictKeys.add(unknown, name, p);
          StrictKeys.skip(p);
        }
      }
    }
    if (!seenCamera) slot[CAMERA] = "is required";
    if (!seenDetections) slot[DETECTIONS] = "is required (it may be an empty array)";
    List<FieldError> errors = new ArrayList<>(0);
    for (int i = 0; i < slot.length; i++) {
      if (slot[i] != null) errors.add(new FieldError(index, NAMES[i], slot[i]));
      if (i == DETECTIONS) errors.addAll(objectErrors);
    }
    if (!errors.isEmpty()) return new Read(new FrameParser.Result(null, errors), cameraId);
    return new Read(new FrameParser.Result(new Detection(cameraId, frameId, timestamp, modelType, imageUrl, objects), errors),
        cameraId);
  }

  /** An integer a JsonObject would hold as Integer or Long (a BigInteger is not an id or a time). */
  private static boolean isIntegral(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) return false;
    JsonParser.NumberType n = p.getNumberType();
    return n == JsonParser.NumberType.INT || n == JsonParser.NumberType.LONG;
  }

  private static String optionalString(JsonParser p, JsonToken t, String[] slot, int at) throws IOException {
    if (t == JsonToken.VALUE_STRING) return p.getText();
    if (t != JsonToken.VALUE_NULL) {
      StrictKeys.skip(p);
      slot[at] = "must be a string";
    }
    return null;
  }

  private static List<DetectedObject> objects(JsonParser p, int index, List<FieldError> errors) throws IOException {
    List<DetectedObject> objects = new ArrayList<>();
    JsonToken t;
    for (int i = 0; (t = p.nextToken()) != JsonToken.END_ARRAY; i++) {
      if (t != JsonToken.START_OBJECT) {
        StrictKeys.skip(p);
        errors.add(new FieldError(index, "detections[" + i + "]", "must be an object"));
        continue;
      }
      DetectedObject o = object(p, i, index, errors);
      if (o != null) objects.add(o);
    }
    return objects;
  }

  /** One detected object, same rules as FrameParser: "label" wins over "class" whenever it is present. */
  private static DetectedObject object(JsonParser p, int position, int index, List<FieldError> errors) throws IOException {
    String label = null, cls = null, track = null;
    boolean hasLabel = false, badTrack = false;
    double conf = Double.NaN;
    double[] bbox = null;
    int known = 0;
    StrictKeys.Names unknown = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "label" -> {
          known = StrictKeys.once(known, O_LABEL, name, p);
          hasLabel = true;
          label = t == JsonToken.VALUE_STRING ? p.getText() : null;
        }
        case "class" -> {
          known = StrictKeys.once(known, O_CLASS, name, p);
          cls = t == JsonToken.VALUE_STRING ? p.getText() : null;
        }
        case "confidence" -> {
          known = StrictKeys.once(known, O_CONFIDENCE, name, p);
          conf = t.isNumeric() ? number(p) : Double.NaN;
        }
        case "bbox" -> {
          known = StrictKeys.once(known, O_BBOX, name, p);
          bbox = t == JsonToken.START_ARRAY ? bbox(p) : null;
        }
        case "track_id" -> {
          known = StrictKeys.once(known, O_TRACK, name, p);
          if (t == JsonToken.VALUE_STRING) track = p.getText();
          else if (isIntegral(p, t)) track = Long.toString(p.getLongValue());
          else badTrack = t != JsonToken.VALUE_NULL;
        }
        default -> unknown = StrictKeys.add(unknown, name, p);
      }
      StrictKeys.skip(p); // no-op on scalars and on what was consumed above
    }
    String l = hasLabel ? label : cls;
    boolean badLabel = l == null || l.isBlank(), badConf = !(conf >= 0 && conf <= 1);
    if (!badLabel && !badConf && bbox != null && !badTrack) return new DetectedObject(l, conf, bbox, track);
    String path = "detections[" + position + "]"; // built only for an error: valid frames are the hot path
    if (badLabel) {
      errors.add(new FieldError(index, path + ".label", "must be a non-empty string (\"class\" is accepted too)"));
    }
    if (badConf) errors.add(new FieldError(index, path + ".confidence", "must be a number between 0 and 1"));
    if (bbox == null) errors.add(new FieldError(index, path + ".bbox", "must be [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2"));
    if (badTrack) errors.add(new FieldError(index, path + ".track_id", "must be a string or an integer"));
    return null;
  }

  /**
   * The value as a JsonObject would hold it (Integer, Long, BigInteger or Double), as a double.
   * getDoubleValue() is not used: right after a BigInteger token it returned that stale value for the
   * next small integer (jackson-core 2.18.2; FrameReaderTest's generated frames caught it).
   */
  private static double number(JsonParser p) throws IOException {
    return p.getNumberValue().doubleValue();
  }

  /** On START_ARRAY; returns on its END_ARRAY. Null unless exactly four finite numbers in order. */
  private static double[] bbox(JsonParser p) throws IOException {
    double[] b = new double[4];
    int n = 0;
    boolean ok = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t.isNumeric() && n < 4) {
        b[n] = number(p);
        ok &= Double.isFinite(b[n]);
      } else {
        ok = false;
        StrictKeys.skip(p);
      }
      n++;
    }
    return ok && n == 4 && b[0] <= b[2] && b[1] <= b[3] ? b : null;
  }
}
