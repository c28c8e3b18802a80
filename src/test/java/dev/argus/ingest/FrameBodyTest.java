package dev.argus.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FrameBodyTest {

  @Test
  void aSingleObjectIsForwardedByteForByte() throws Exception {
    Buffer body = Buffer.buffer("{ \"camera_id\" : \"a\", \"n\": 1.50 }");
    List<FrameBody.Part> parts = FrameBody.json(body);
    assertEquals(1, parts.size());
    assertEquals(body, parts.get(0).bytes());
  }

  @Test
  void arrayElementsKeepTheirOriginalBytes() throws Exception {
    String a = "{\"camera_id\":\"a\",\"x\":1.50}";
    String b = "{ \"camera_id\" : \"b\", \"s\": \"[]{}\\\"\" }";
    List<FrameBody.Part> parts = FrameBody.json(Buffer.buffer(" [" + a + " ,\n" + b + "] "));
    assertEquals(List.of(a, b), parts.stream().map(p -> p.bytes().toString()).toList());
    assertEquals("b", ((JsonObject) parts.get(1).json()).getString("camera_id"));
  }

  @Test
  void nonObjectArrayElementsAreKeptForValidationToRefuse() throws Exception {
    List<FrameBody.Part> parts = FrameBody.json(Buffer.buffer("[{\"a\":1}, 5]"));
    assertEquals(2, parts.size());
    assertFalse(parts.get(1).json() instanceof JsonObject);
  }

  @Test
  void ndjsonSkipsBlankLinesAndStripsCarriageReturns() throws Exception {
    List<FrameBody.Part> parts = FrameBody.ndjson(Buffer.buffer("{\"a\":1}\r\n\n  \n{\"a\":2}"));
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), parts.stream().map(p -> p.bytes().toString()).toList());
  }

  @Test
  void malformedNdjsonNamesTheBrokenFrame() {
    FrameBody.MalformedException e = assertThrows(FrameBody.MalformedException.class,
        () -> FrameBody.ndjson(Buffer.buffer("{\"a\":1}\n{\"a\":\n{\"a\":3}")));
    assertEquals(1, e.error().index());
  }

  @Test
  void malformedJsonAndTrailingGarbageAreRefused() {
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer("{\"a\":")));
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer("[{\"a\":1}] x")));
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer("[{\"a\":1}")));
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer("   ")));
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer("42")));
  }

  @Test
  void anEmptyOrBlankJsonBodyIsMalformedNotAnEmptyBatch() {
    FrameBody.MalformedException e = assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer()));
    assertEquals(0, e.error().index());
    assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(" \n ")));
  }
}
