package dev.argus.metrics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveFrameTest {
  /** The envelope the SockJS bridge builds for a message with these headers and body. */
  private static JsonObject envelope(Object body, DeliveryOptions options) {
    JsonObject headers = new JsonObject();
    if (options.getHeaders() != null) options.getHeaders().forEach(e -> headers.put(e.getKey(), e.getValue()));
    return new JsonObject().put("type", "rec").put("address", "argus.detections").put("body", body).put("headers", headers);
  }

  @Test
  void theBrowserGetsTheFrameAsSentWithNeitherHeader() {
    String frame = "{\"camera_id\":\"cam-7\",\"frame_id\":3,\"detections\":[{\"label\":\"person\",\"confidence\":0.9}]}";
    JsonObject raw = envelope(Buffer.buffer(frame), LiveFrame.options("cam-7", "1700000000000001"));
    assertEquals("cam-7", LiveFrame.takeCamera(raw));
    assertEquals(1_700_000_000_000_001L, LiveStamp.take(raw));
    assertTrue(LiveFrame.decodeBody(raw));
    assertEquals(new JsonObject(frame), raw.getJsonObject("body"));
    assertFalse(raw.containsKey("headers"));
    assertEquals(new JsonObject(frame), new JsonObject(raw.encode()).getJsonObject("body"), "encodes as an object, not base64");
  }

  @Test
  void bytesThatAreNotAJsonObjectAreNotPassedOn() {
    assertFalse(LiveFrame.decodeBody(envelope(Buffer.buffer("[1,2]"), new DeliveryOptions())));
    assertFalse(LiveFrame.decodeBody(envelope(Buffer.buffer("{\"camera_id\":"), new DeliveryOptions())));
  }

  @Test
  void anObjectBodyPassesAsItIsAndAMissingCameraReadsNull() {
    JsonObject raw = envelope(new JsonObject().put("camera_id", "c"), new DeliveryOptions());
    assertNull(LiveFrame.takeCamera(raw));
    assertTrue(LiveFrame.decodeBody(raw));
    assertEquals("c", raw.getJsonObject("body").getString("camera_id"));
  }
}
