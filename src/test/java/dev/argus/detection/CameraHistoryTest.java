package dev.argus.detection;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CameraHistoryTest {
  @Test
  void frameRateAndTrendsFollowTheFrames() {
    CameraHistory h = new CameraHistory();
    for (int i = 0; i < 10; i++) h.add(i * 500L, Map.of("person", i, "car", 2));
    assertEquals(2.0, h.framesPerSecond(), 1e-9);
    assertEquals("rising", h.trend().getString("person"));
    assertEquals("steady", h.trend().getString("car"));
  }
}
