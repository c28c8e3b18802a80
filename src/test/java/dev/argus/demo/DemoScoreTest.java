package dev.argus.demo;

import dev.argus.model.Alert;
import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DemoScoreTest {
  private static final long GRACE = 10_000;
  private static final long SILENT_AFTER = 5_000;
  private final DemoScore score = new DemoScore(10, GRACE, SILENT_AFTER);
  private final DemoScript.Incident fire = new DemoScript.Incident("cam-001", DemoScript.Kind.FIRE, 10_000, 20_000);
  private final DemoScript.Incident silent = new DemoScript.Incident("cam-002", DemoScript.Kind.SILENT, 30_000, 60_000);

  private static Alert alert(String id, String camera, String status) {
    return new Alert(id, camera, RiskLevel.HIGH, "m", 1, 0, 0, status, null, Alert.RISK, "level");
  }

  private JsonObject report(long elapsedMs) {
    return score.report(List.of(fire, silent), elapsedMs, 0);
  }

  @Test
  void anAlertOnTheIncidentsCameraInsideItsWindowIsAHit() {
    score.onAlert(alert("a", "cam-001", Alert.OPEN), 12_000);
    JsonObject r = report(15_000);
    assertEquals(1.0, r.getDouble("precision"));
    assertEquals(2_000L, r.getJsonArray("incidents").getJsonObject(0).getLong("time_to_alert_ms"));
  }

  @Test
  void aPredictedAlertIsNotScoredAsAnIncidentAlert() {
    score.onAlert(alert("a", "cam-001", Alert.OPEN), 12_000);
    score.onAlert(new Alert("p", "cam-005", RiskLevel.PREDICTED, "m", 1, 0, 0, Alert.OPEN, null, Alert.RISK, "zone_entry_predicted"), 12_000);
    assertEquals(1.0, report(15_000).getDouble("precision"));
    assertEquals(0.1, score.maxOpenShare(), 1e-9, "the prediction's camera does not count as alerting");
  }

  @Test
  void anAlertOnACalmCameraIsAFalseAlarm() {
    score.onAlert(alert("a", "cam-001", Alert.OPEN), 12_000);
    score.onAlert(alert("b", "cam-005", Alert.OPEN), 12_000);
    assertEquals(0.5, report(15_000).getDouble("precision"));
    assertEquals("cam-005", report(15_000).getJsonArray("unmatched_alerts").getJsonObject(0).getString("camera_id"));
  }

  @Test
  void anAlertAfterTheWindowAndGraceMatchesNothing() {
    score.onAlert(alert("a", "cam-001", Alert.OPEN), 20_000 + GRACE + 1);
    assertEquals(0.0, report(40_000).getDouble("precision"));
  }

  @Test
  void recallCountsOnlyDecidedIncidents() {
    score.onAlert(alert("a", "cam-001", Alert.OPEN), 12_000);
    assertEquals(1.0, report(35_000).getDouble("recall"), "the silent camera is not decided yet");
    assertEquals(0.5, report(60_000 + GRACE + 1).getDouble("recall"), "its window and grace are over: a miss");
  }

  @Test
  void silenceIsTimedFromWhenItCanBeTold() {
    score.onAlert(alert("s", "cam-002", Alert.OPEN), 30_000 + SILENT_AFTER + 1_000);
    assertEquals(1_000L, report(40_000).getJsonArray("incidents").getJsonObject(1).getLong("time_to_alert_ms"));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Long> sorted = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 100L);
    assertEquals(10L, DemoScore.percentile(sorted, 0.5));
    assertEquals(19L, DemoScore.percentile(sorted, 0.95));
    assertNull(DemoScore.percentile(List.of(), 0.5));
  }

  @Test
  void theOpenShareIsTheMostCamerasWithAnOpenAlertAtOnce() {
    score.onAlert(alert("a", "cam-001", Alert.OPEN), 1);
    score.onAlert(alert("a2", "cam-001", Alert.OPEN), 2);
    score.onAlert(alert("b", "cam-002", Alert.OPEN), 3);
    score.onAlert(alert("a", "cam-001", Alert.RESOLVED), 4);
    score.onAlert(alert("c", "cam-003", Alert.OPEN), 5);
    assertEquals(0.3, score.maxOpenShare(), 1e-9);
    score.onAlert(alert("a2", "cam-001", Alert.RESOLVED), 6);
    score.onAlert(alert("d", "cam-004", Alert.OPEN), 7);
    assertEquals(0.3, score.maxOpenShare(), 1e-9);
  }

  @Test
  void nothingToCountIsNull() {
    JsonObject r = score.report(List.of(), 0, 0);
    assertNull(r.getValue("precision"));
    assertNull(r.getValue("recall"));
    assertNull(r.getValue("time_to_alert_p95_ms"));
  }
}
