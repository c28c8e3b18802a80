package dev.argus.aggregate;

import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CameraStatsTest {
  @Test
  void eachWindowCountsOnlyItsOwnMinutes() {
    CameraStats s = new CameraStats();
    long now = 10_000_000;
    s.add(now - 600_000, 0.9, RiskLevel.CRITICAL, 2.0); // 10 minutes ago
    s.add(now - 120_000, 0.5, RiskLevel.MEDIUM, 4.0);   // 2 minutes ago
    s.add(now - 5_000, 0.1, RiskLevel.LOW, 2.0);        // just now
    JsonObject snap = s.snapshot(now);
    assertEquals(1, snap.getJsonObject("1m").getInteger("assessments"));
    assertEquals("low", snap.getJsonObject("1m").getString("max_risk"));
    assertEquals(2, snap.getJsonObject("5m").getInteger("assessments"));
    assertEquals(0.3, snap.getJsonObject("5m").getDouble("mean_score"), 1e-9);
    assertEquals(3.0, snap.getJsonObject("5m").getDouble("frames_per_s"), 1e-9);
    assertEquals(3, snap.getJsonObject("15m").getInteger("assessments"));
    assertEquals("critical", snap.getJsonObject("15m").getString("max_risk"));
  }

  @Test
  void oldBucketsAreReusedNotAccumulated() {
    CameraStats s = new CameraStats();
    s.add(0, 0.9, RiskLevel.HIGH, null);
    s.add(900_000, 0.1, RiskLevel.LOW, null); // same slot, 15 minutes later
    assertEquals(1, s.snapshot(900_000).getJsonObject("15m").getInteger("assessments"));
    assertEquals("low", s.snapshot(900_000).getJsonObject("15m").getString("max_risk"));
  }
}
