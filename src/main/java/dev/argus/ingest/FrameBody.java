package dev.argus.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.argus.model.FieldError;
import dev.argus.model.FrameParser;
import dev.argus.model.FrameReader;
import dev.argus.model.StrictKeys;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validates a request body in one streaming pass (no tree, no second parse) and keeps each frame's
 * original bytes, which are what is forwarded to Kafka: one JSON object, a JSON array of objects, NDJSON
 * (one object per line) or a structured CloudEvent whose {@code data} is the frame.
 *
 * <p>Hostile input is refused as malformed (400): nesting deeper than {@link #MAX_DEPTH}, numbers longer
 * than Jackson's 1000 digits, NaN/Infinity literals, comments, invalid UTF-8, truncated bodies, trailing
 * content, and duplicate keys in any object (a JsonObject would keep the last one silently, other
 * readers the first: refusing is the only reading every consumer agrees on; {@link StrictKeys}).
 */
public final class FrameBody {
  public static final int MAX_DEPTH = FrameReader.MAX_DEPTH;
  private static final JsonFactory JSON = FrameReader.STRICT_JSON;

  private FrameBody() {}

  /**
   * The outcome of a syntactically sound body: every valid frame, or every error of every frame; and the
   * {@code camera_id} of each frame refused for its own errors whose camera id could still be read (one
   * entry per such frame), for the cameras' health.
   */
  public record Scan(List<FrameIngest.Valid> valid, List<FieldError> errors, int frames, List<String> rejectedCameras) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** The body could not be read as JSON at all; the index says which frame (or line) broke it. */
  public static final class MalformedException extends Exception {
    private final FieldError error;

    MalformedException(int index, String message) {
      super(message);
      this.error = new FieldError(index, "", message);
    }

    public FieldError error() {
      return error;
    }
  }

  public static Scan json(Buffer body) throws MalformedException {
    byte[] bytes = body.getBytes();
    Scan scan = new Scan(new ArrayList<>(), new ArrayList<>(0), 0, new ArrayList<>(0));
    int index = 0;
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new MalformedException(0, "the body is empty");
      if (t == JsonToken.START_OBJECT) {
        frame(p, body, 0, scan);
        index = 1;
      } else if (t == JsonToken.START_ARRAY) {
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == JsonToken.START_OBJECT) frame(p, body, index, scan);
          else {
            StrictKeys.skip(p);
            scan.errors().add(new FieldError(index, "", "a frame must be a JSON object"));
          }
          index++;
        }
      } else {
        throw new MalformedException(0, "expected a JSON object or an array of objects");
      }
      if (p.nextToken() != null) throw new MalformedException(index, "unexpected content after the JSON value");
    } catch (IOException e) {
      throw malformed(index, e);
    }
    return new Scan(scan.valid(), scan.errors(), index, scan.rejectedCameras());
  }

  public static Scan ndjson(Buffer body) throws MalformedException {
    byte[] bytes = body.getBytes();
    Scan scan = new Scan(new ArrayList<>(), new ArrayList<>(0), 0, new ArrayList<>(0));
    int index = 0;
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') end++;
      int lineEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      if (!blank(bytes, start, lineEnd)) {
        try (JsonParser p = JSON.createParser(bytes, start, lineEnd - start)) {
          if (p.nextToken() != JsonToken.START_OBJECT) throw new MalformedException(index, "each line must hold one JSON object");
          FrameReader.Read r = FrameReader.readFrame(p, index);
          if (p.nextToken() != null) throw new MalformedException(index, "unexpected content after the object on its line");
          add(r, body.getBuffer(start, lineEnd), scan);
        } catch (IOException e) {
          throw malformed(index, e);
        }
        index++;
      }
      start = end + 1;
    }
    if (index == 0) throw new MalformedException(0, "the body holds no line with a frame");
    return new Scan(scan.valid(), scan.errors(), index, scan.rejectedCameras());
  }

  /**
   * A structured-mode CloudEvent (CloudEvents 1.0, JSON format): {@code specversion}, {@code id},
   * {@code source} and {@code type} are required; {@code data} is the frame, and its bytes are what is
   * produced. Other attributes and extensions are allowed and dropped. Errors name the frame's fields as
   * for a plain frame (index 0) and the envelope's by attribute name.
   */
  public static Scan cloudEvent(Buffer body) throws MalformedException {
    byte[] bytes = body.getBytes();
    Scan scan = new Scan(new ArrayList<>(), new ArrayList<>(0), 1, new ArrayList<>(0));
    List<FieldError> envelope = new ArrayList<>(0);
    boolean spec = false, id = false, source = false, type = false, data = false;
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new MalformedException(0, "a CloudEvent must be a JSON object");
      StrictKeys.Names attributes = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        attributes = StrictKeys.add(attributes, name, p);
        JsonToken t = p.nextToken();
        switch (name) {
          case "specversion" -> {
            spec = true;
            if (t != JsonToken.VALUE_STRING || !"1.0".equals(p.getText())) envelope.add(new FieldError(0, name, "must be \"1.0\""));
          }
          case "id", "source", "type" -> {
            if (t != JsonToken.VALUE_STRING || p.getText().isBlank()) envelope.add(new FieldError(0, name, "must be a non-empty string"));
            id |= name.equals("id");
            source |= name.equals("source");
            type |= name.equals("type");
          }
          case "datacontenttype" -> {
            if (t != JsonToken.VALUE_STRING || !p.getText().toLowerCase(Locale.ROOT).matches("application/(.+\\+)?json(;.*)?")) {
              envelope.add(new FieldError(0, name, "must be application/json when present"));
            }
          }
          case "data_base64" -> envelope.add(new FieldError(0, name, "is not supported; send the frame as the JSON value of \"data\""));
          case "data" -> {
            data = true;
            if (t == JsonToken.START_OBJECT) frame(p, body, 0, scan);
            else envelope.add(new FieldError(0, name, "must be the frame, a JSON object"));
          }
          default -> { }
        }
        StrictKeys.skip(p); // no-op on scalars and on the frame, read above
      }
      if (p.nextToken() != null) throw new MalformedException(0, "unexpected content after the JSON value");
    } catch (IOException e) {
      throw malformed(0, e);
    }
    for (String[] required : new String[][] {{"specversion", spec ? "" : null}, {"id", id ? "" : null},
        {"source", source ? "" : null}, {"type", type ? "" : null}, {"data", data ? "" : null}}) {
      if (required[1] == null) envelope.add(new FieldError(0, required[0], "is required"));
    }
    envelope.addAll(scan.errors());
    return new Scan(envelope.isEmpty() ? scan.valid() : List.of(), envelope, 1, scan.rejectedCameras());
  }

  /** {@code p} is on the frame's START_OBJECT. */
  private static void frame(JsonParser p, Buffer body, int index, Scan scan) throws IOException {
    int from = (int) p.currentTokenLocation().getByteOffset();
    FrameReader.Read r = FrameReader.readFrame(p, index);
    add(r, r.result().ok() ? body.getBuffer(from, (int) p.currentLocation().getByteOffset()) : null, scan);
  }

  private static void add(FrameReader.Read read, Buffer bytes, Scan scan) {
    FrameParser.Result r = read.result();
    if (r.ok()) {
      scan.valid().add(new FrameIngest.Valid(r.detection(), bytes));
    } else {
      scan.errors().addAll(r.errors());
      if (read.cameraId() != null) scan.rejectedCameras().add(read.cameraId());
    }
  }

  private static MalformedException malformed(int index, IOException e) {
    String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    why = withoutParserInternals(why);
    return new MalformedException(index, "malformed JSON: " + why);
  }

  private static boolean blank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') return false;
    }
    return true;
  }

  /**
   * Jackson's messages name its own switches ({@code enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to
   * allow}, {@code from `StreamReadConstraints.getMaxNestingDepth()`}): a client can do nothing with those,
   * and replies never carry Java names. The sentence about the input stays.
   */
  static String withoutParserInternals(String why) {
    if (why == null) return "unreadable input";
    return why.replaceAll(",? *from `[^`]*`", "").replaceAll(":? *(enable|disable) `[^`]*`[^,;)]*", "")
        .replaceAll("`[^`]*`", "").trim();
  }
}
