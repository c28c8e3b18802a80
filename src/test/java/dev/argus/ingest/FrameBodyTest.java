package dev.argus.ingest;

import dev.argus.model.FieldError;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FrameBodyTest {
  private static final String A = "{\"camera_id\":\"a\",\"x\":1.50,\"detections\":[]}";
  private static final String B = "{ \"camera_id\" : \"b\", \"s\": \"[]{}\\\"\", \"detections\" : [ ] }";

  private static List<String> bytes(FrameBody.Scan s) {
    return s.valid().stream().map(v -> v.bytes().toString()).toList();
  }

  @Test
  void aSingleObjectIsForwardedByteForByte() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer(A));
    assertTrue(s.ok());
    assertEquals(List.of(A), bytes(s));
    assertEquals("a", s.valid().get(0).detection().cameraId());
  }

  @Test
  void arrayElementsKeepTheirOriginalBytes() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer(" [" + A + " ,\n" + B + "] "));
    assertEquals(List.of(A, B), bytes(s));
    assertEquals(2, s.frames());
  }

  @Test
  void nonObjectArrayElementsAreRefusedWithTheirIndex() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("[" + A + ", 5]"));
    assertEquals(List.of(new FieldError(1, "", "a frame must be a JSON object")), s.errors());
  }

  @Test
  void errorsOfLaterFramesCarryTheirIndex() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("[" + A + ",{\"camera_id\":\"c\"}]"));
    assertEquals(List.of(new FieldError(1, "detections", "is required (it may be an empty array)")), s.errors());
  }

  @Test
  void ndjsonSkipsBlankLinesAndStripsCarriageReturns() throws Exception {
    FrameBody.Scan s = FrameBody.ndjson(Buffer.buffer(A + "\r\n\n  \n" + B));
    assertEquals(List.of(A, B), bytes(s));
  }

  @Test
  void malformedNdjsonNamesTheBrokenFrame() {
    FrameBody.MalformedException e = assertThrows(FrameBody.MalformedException.class,
        () -> FrameBody.ndjson(Buffer.buffer(A + "\n{\"a\":\n" + A)));
    assertEquals(1, e.error().index());
  }

  @Test
  void twoObjectsOnOneNdjsonLineAreRefused() {
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.ndjson(Buffer.buffer(A + " " + A)));
  }

  @Test
  void malformedJsonAndTrailingGarbageAreRefused() {
    for (String body : List.of("{\"a\":", "[" + A + "] x", A + " x", "[" + A, "   ", "42", "[" + A + ",")) {
      assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(body)), body);
    }
  }

  @Test
  void anEmptyOrBlankJsonBodyIsMalformedNotAnEmptyBatch() {
    FrameBody.MalformedException e = assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer()));
    assertEquals(0, e.error().index());
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(" \n ")));
  }

  @Test
  void nestingDeeperThanTheCapIsMalformed() {
    String deep = "[".repeat(FrameBody.MAX_DEPTH + 5) + "]".repeat(FrameBody.MAX_DEPTH + 5);
    assertThrows(FrameBody.MalformedException.class,
        () -> FrameBody.json(Buffer.buffer("{\"camera_id\":\"a\",\"detections\":[],\"x\":" + deep + "}")));
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer("[".repeat(100_000))));
  }

  @Test
  void nanInfinityAndOverlongNumbersAreMalformed() {
    for (String n : List.of("NaN", "Infinity", "-Infinity", "1".repeat(2000))) {
      String body = "{\"camera_id\":\"a\",\"detections\":[{\"label\":\"p\",\"confidence\":" + n + ",\"bbox\":[0,0,1,1]}]}";
      assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(body)), n);
    }
  }

  @Test
  void hugeButShortNumbersAreValidationErrorsNotCrashes() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer(
        "{\"camera_id\":\"a\",\"timestamp\":1e400,\"detections\":[{\"label\":\"p\",\"confidence\":99999999999999999999999,\"bbox\":[0,0,1e400,1]}]}"));
    assertEquals(List.of("timestamp", "detections[0].confidence", "detections[0].bbox"),
        s.errors().stream().map(FieldError::field).toList());
  }

  @Test
  void invalidUtf8IsMalformed() {
    byte[] head = "{\"camera_id\":\"a\",\"detections\":[],\"note\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + 3];
    System.arraycopy(head, 0, body, 0, head.length);
    body[head.length] = (byte) 0xC3; // a lead byte without its continuation
    body[head.length + 1] = '"';
    body[head.length + 2] = '}';
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(body)));
  }

  @Test
  void duplicateKeysAreMalformed() {
    assertThrows(FrameBody.MalformedException.class,
        () -> FrameBody.json(Buffer.buffer("{\"camera_id\":\"a\",\"camera_id\":\"b\",\"detections\":[]}")));
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(
        "{\"camera_id\":\"a\",\"detections\":[{\"label\":\"p\",\"label\":\"q\",\"confidence\":1,\"bbox\":[0,0,1,1]}]}")));
  }

  @Test
  void aCloudEventForwardsTheBytesOfItsData() throws Exception {
    FrameBody.Scan s = FrameBody.cloudEvent(Buffer.buffer("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/cam\","
        + "\"type\":\"dev.argus.frame\",\"datacontenttype\":\"application/json\",\"data\":" + B + ",\"ext\":{\"x\":1}}"));
    assertTrue(s.ok(), () -> s.errors().toString());
    assertEquals(List.of(B), bytes(s));
  }

  @Test
  void aCloudEventWithoutItsRequiredAttributesIsRefusedByName() throws Exception {
    FrameBody.Scan s = FrameBody.cloudEvent(Buffer.buffer("{\"specversion\":\"0.3\",\"data\":{\"camera_id\":\"c\"}}"));
    assertEquals(List.of("specversion", "id", "source", "type", "detections"),
        s.errors().stream().map(FieldError::field).toList());
    assertTrue(s.valid().isEmpty());
  }

  @Test
  void refusedFramesNameTheirCameraWhenItCouldBeRead() throws Exception {
    String noDetections = "{\"camera_id\":\"bad\"}";
    String noCamera = "{\"detections\":[]}";
    String badCamera = "{\"camera_id\":7,\"detections\":5}";
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("[" + A + "," + noDetections + "," + noCamera + "," + badCamera + ","
        + noDetections + "]"));
    assertFalse(s.ok());
    assertEquals(List.of("bad", "bad"), s.rejectedCameras(), "one entry per refused frame with a readable camera_id; a valid frame is not one");
    assertEquals(List.of("bad"), FrameBody.ndjson(Buffer.buffer(noDetections + "\n" + A)).rejectedCameras());
    assertEquals(List.of(), FrameBody.json(Buffer.buffer(A)).rejectedCameras());
  }

  @Test
  void malformedJsonIsExplainedWithoutTheParsersJavaNames() {
    for (String body : new String[] {"{\"camera_id\":\"c\",\"x\":NaN,\"detections\":[]}", "[".repeat(40) + "]".repeat(40),
        "{\"camera_id\":\"c\",\"x\":-Infinity,\"detections\":[]}", "{\"x\":1" + "0".repeat(1200) + "}"}) {
      FrameBody.MalformedException e = assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(body)));
      assertFalse(e.getMessage().matches("(?s).*(`|Feature|StreamReadConstraints|[a-z]\\.[A-Z]).*"), e.getMessage());
      assertTrue(e.getMessage().startsWith("malformed JSON: "), e.getMessage());
    }
  }

  @Test
  void aTimestampPastWhatEpochMillisecondsHoldIsAFieldErrorNotACrash() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer(
        "{\"camera_id\":\"c\",\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"detections\":[]}"));
    assertFalse(s.ok());
    assertEquals("timestamp", s.errors().get(0).field());
  }
}
