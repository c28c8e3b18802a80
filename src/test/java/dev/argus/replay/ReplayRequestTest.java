package dev.argus.replay;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ReplayRequestTest {
  @Test
  void timesAreEpochMillisecondsOrIso8601() {
    ReplayRequest r = ReplayRequest.parse(new JsonObject().put("from", 1000).put("to", "1970-01-01T00:00:02Z"));
    assertEquals(1000, r.fromMs());
    assertEquals(2000, r.toMs());
    assertNull(r.cameraId());
    assertTrue(r.wants("any"));
  }

  @Test
  void aCameraNarrowsTheReplayToIt() {
    ReplayRequest r = ReplayRequest.parse(new JsonObject().put("camera_id", "c1").put("from", 0).put("to", 1));
    assertTrue(r.wants("c1"));
    assertFalse(r.wants("c2"));
  }

  @Test
  void aMissingOrUnreadableTimeIsRefusedNamingTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> ReplayRequest.parse(new JsonObject().put("from", 0)));
    assertTrue(e.getMessage().startsWith("to"));
    e = assertThrows(IllegalArgumentException.class, () -> ReplayRequest.parse(new JsonObject().put("from", "yesterday").put("to", 1)));
    assertTrue(e.getMessage().startsWith("from"));
  }

  @Test
  void fromAfterToIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ReplayRequest.parse(new JsonObject().put("from", 5).put("to", 1)));
  }
}
