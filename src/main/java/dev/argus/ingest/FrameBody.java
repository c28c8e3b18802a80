package dev.argus.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.argus.model.FieldError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into frames, keeping each frame's original bytes so they can be forwarded to
 * Kafka as they came: one JSON object, a JSON array of objects, or NDJSON (one object per line).
 */
public final class FrameBody {
  private static final JsonFactory JSON = new JsonFactory();

  private FrameBody() {}

  /** One frame: its parsed form (null when the element was not an object) and its exact bytes. */
  public record Part(Object json, Buffer bytes) {}

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

  public static List<Part> json(Buffer body) throws MalformedException {
    int first = firstNonWhitespace(body, 0, body.length());
    if (first < 0) throw new MalformedException(0, "the body is empty");
    byte c = body.getByte(first);
    if (c == '{') return List.of(new Part(object(body, 0), body));
    if (c == '[') return array(body);
    throw new MalformedException(0, "expected a JSON object or an array of objects");
  }

  public static List<Part> ndjson(Buffer body) throws MalformedException {
    List<Part> parts = new ArrayList<>();
    int start = 0;
    int len = body.length();
    while (start < len) {
      int end = start;
      while (end < len && body.getByte(end) != '\n') end++;
      int lineEnd = end > start && body.getByte(end - 1) == '\r' ? end - 1 : end;
      if (firstNonWhitespace(body, start, lineEnd) >= 0) {
        Buffer line = body.getBuffer(start, lineEnd);
        parts.add(new Part(object(line, parts.size()), line));
      }
      start = end + 1;
    }
    if (parts.isEmpty()) throw new MalformedException(0, "the body holds no line with a frame");
    return parts;
  }

  private static List<Part> array(Buffer body) throws MalformedException {
    byte[] bytes = body.getBytes();
    List<Part> parts = new ArrayList<>();
    try (JsonParser p = JSON.createParser(bytes)) {
      p.nextToken(); // START_ARRAY
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) throw new MalformedException(parts.size(), "the array is not closed");
        int index = parts.size();
        int from = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int to = (int) p.currentLocation().getByteOffset();
        Buffer slice = body.getBuffer(from, to);
        parts.add(new Part(t == JsonToken.START_OBJECT ? object(slice, index) : t, slice));
      }
      if (p.nextToken() != null) throw new MalformedException(parts.size(), "unexpected content after the array");
    } catch (JsonProcessingException e) {
      throw new MalformedException(parts.size(), "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedException(parts.size(), "unreadable body: " + e.getMessage());
    }
    return parts;
  }

  private static JsonObject object(Buffer bytes, int index) throws MalformedException {
    try {
      return new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedException(index, "malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static int firstNonWhitespace(Buffer b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return i;
    }
    return -1;
  }
}
