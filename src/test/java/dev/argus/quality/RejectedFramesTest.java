package dev.argus.quality;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RejectedFramesTest {
  @Test
  void oneMessagePerRequestCountingEachCamerasRefusedFrames() {
    JsonObject m = RejectedFrames.message(List.of("b", "a", "b", "b"), 1234);
    assertEquals(new JsonObject().put("at", 1234L).put("cameras", new JsonObject().put("a", 1).put("b", 3)), m);
  }
}
