package dev.argus.ops;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTestOptionsTest {

  @Test
  void readsUrlCamerasFramesAndTimeout() {
    PipelineTestOptions o = PipelineTestOptions.parse(List.of("--url", "http://gw.example:8081/", "--cameras", "4", "--frames", "7", "--timeout", "60"));
    assertEquals("http://gw.example:8081", o.url().toString());
    assertEquals(8081, o.port());
    assertEquals(4, o.cameras());
    assertEquals(7, o.frames());
    assertEquals(60, o.timeout().toSeconds());
  }

  @Test
  void anHttpsUrlWithoutPortUses443() {
    PipelineTestOptions o = PipelineTestOptions.parse(List.of("--url", "https://gw.example"));
    assertTrue(o.ssl());
    assertEquals(443, o.port());
  }

  @Test
  void aCountThatIsNotAPositiveIntegerIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineTestOptions.parse(List.of("--cameras", "0")));
    assertTrue(e.getMessage().startsWith("--cameras"), e.getMessage());
  }

  @Test
  void aUrlThatIsNotHttpIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> PipelineTestOptions.parse(List.of("--url", "ftp://x")));
  }

  @Test
  void anUnknownArgumentIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> PipelineTestOptions.parse(List.of("--speed", "3")));
  }
}
