package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A camera's alert state written by one engine and taken over by another (a new owner, or a restart). */
class AlertStateRestoreTest {
  private static final AlertEngine.Settings SETTINGS = new AlertEngine.Settings(RiskLevel.HIGH, 3, 0.4, 60_000, 5_000, 30_000);

  private static Assessment a(String task, RiskLevel level, double score, long atMs) {
    return new Assessment(task, "cam", task, level, score, "s", List.of(), "llm", "m", "k", 0, atMs, atMs, null, null);
  }

  /** The state as it travels: encoded to text and read back, as Redis keeps it. */
  private static JsonObject throughText(JsonObject state) {
    return new JsonObject(state.encode());
  }

  @Test
  void theStateSurvivesItsJsonFormUnchanged() {
    AlertEngine first = new AlertEngine(SETTINGS);
    first.onAssessment(a("t1", RiskLevel.LOW, 0.1, 0));
    first.onAssessment(a("t2", RiskLevel.HIGH, 0.8, 1000));
    first.onAssessment(a("t3", RiskLevel.HIGH, 0.8, 2000)); // held back by the re-publish window: dirty
    JsonObject state = first.export("cam");
    CameraAlertState read = CameraAlertState.fromJson(throughText(state));
    assertEquals(state, read.toJson(), "every field read back as written");
    assertEquals("alert-t2", read.open.id);
    assertEquals(2, read.open.count);
    assertTrue(read.open.dirty);
    assertEquals(3, read.scores.size());
    assertEquals(List.of("t1", "t2", "t3"), List.copyOf(read.recent.keySet()));
  }

  @Test
  void anotherFormIsIgnoredAndGarbageIsRefused() {
    assertNull(CameraAlertState.fromJson(new JsonObject().put("form", 99)));
    assertThrows(IllegalArgumentException.class,
        () -> CameraAlertState.fromJson(new JsonObject().put("form", CameraAlertState.FORM).put("scores", "nope")));
    assertThrows(IllegalArgumentException.class, () -> CameraAlertState.fromJson(new JsonObject()
        .put("form", CameraAlertState.FORM).put("open", new JsonObject().put("level", "high"))));
  }

  @Test
  void theRecentTasksAreCapped() {
    AlertEngine engine = new AlertEngine(SETTINGS);
    for (int i = 0; i < 100; i++) engine.onAssessment(a("t" + i, RiskLevel.LOW, 0.1, i * 1000L));
    CameraAlertState read = CameraAlertState.fromJson(engine.export("cam"));
    assertEquals(CameraAlertState.RECENT_TASKS, read.recent.size());
    assertTrue(read.recent.containsKey("t99"));
  }

  @Test
  void aNewOwnerContinuesTheIncidentWithTheSameAlertId() {
    AlertEngine first = new AlertEngine(SETTINGS);
    Alert opened = first.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0)).get(0);
    first.onAssessment(a("t2", RiskLevel.HIGH, 0.8, 1000));
    JsonObject state = throughText(first.export("cam"));

    AlertEngine next = new AlertEngine(SETTINGS);
    assertFalse(next.knows("cam"));
    next.restore("cam", state);
    assertTrue(next.knows("cam"));
    // Past the re-publish window since the last publish (at 0): the update goes out, on the same alert.
    List<Alert> out = next.onAssessment(a("t3", RiskLevel.HIGH, 0.8, 6000));
    assertEquals(1, out.size());
    assertEquals(opened.alertId(), out.get(0).alertId());
    assertEquals(Alert.UPDATED, out.get(0).status());
    assertEquals(3, out.get(0).count(), "the count goes on from the first owner's");
    assertEquals(0, out.get(0).firstSeenMs(), "first seen as the first owner saw it");
  }

  @Test
  void theStormControlStateMovesToo() {
    AlertEngine first = new AlertEngine(SETTINGS);
    first.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0));
    AlertEngine next = new AlertEngine(SETTINGS);
    next.restore("cam", throughText(first.export("cam")));
    assertEquals(List.of(), next.onAssessment(a("t2", RiskLevel.HIGH, 0.8, 2000)), "still inside the window: held back");
    List<Alert> flushed = next.tick(2000 + 3000);
    assertEquals(1, flushed.size(), "the held-back update goes out when the window ends");
    assertEquals(2, flushed.get(0).count());
  }

  @Test
  void aRestoredIncidentResolvesOnTheResolveWindowOfTheLastFiring() {
    AlertEngine first = new AlertEngine(SETTINGS);
    Alert opened = first.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0), 100_000).get(0);
    AlertEngine next = new AlertEngine(SETTINGS);
    next.restore("cam", throughText(first.export("cam")));
    assertEquals(List.of(), next.tick(100_000 + 29_000), "29 s quiet: still open");
    List<Alert> out = next.tick(100_000 + 30_000);
    assertEquals(1, out.size());
    assertEquals(opened.alertId(), out.get(0).alertId());
    assertEquals(Alert.RESOLVED, out.get(0).status());
  }

  @Test
  void anIncidentLeftOpenByADeadOwnerPastTheResolveWindowIsResolvedNotContinued() {
    AlertEngine first = new AlertEngine(SETTINGS);
    Alert old = first.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0)).get(0);
    // The first owner died before its timer resolved the alert; the camera fires again an hour later.
    AlertEngine next = new AlertEngine(SETTINGS);
    next.restore("cam", throughText(first.export("cam")));
    List<Alert> out = next.onAssessment(a("t2", RiskLevel.HIGH, 0.8, 3_600_000));
    assertEquals(2, out.size(), "the old incident resolves, a new one opens: " + out);
    assertEquals(old.alertId(), out.get(0).alertId());
    assertEquals(Alert.RESOLVED, out.get(0).status());
    assertEquals("alert-t2", out.get(1).alertId());
    assertEquals(Alert.OPEN, out.get(1).status());
    assertEquals(1, out.get(1).count());
  }

  @Test
  void aTaskTheFirstOwnerJudgedGetsTheSameEventsNotASecondCount() {
    AlertEngine first = new AlertEngine(SETTINGS);
    List<Alert> events = first.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0));
    AlertEngine next = new AlertEngine(SETTINGS);
    next.restore("cam", throughText(first.export("cam")));
    // The record is delivered again to the new owner (its offset was not committed yet).
    assertEquals(events, next.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0)));
    Alert update = next.onAssessment(a("t2", RiskLevel.HIGH, 0.8, 6000)).get(0);
    assertEquals(2, update.count(), "t1 counted once");
  }

  @Test
  void restoringReplacesStaleStateAndItsRememberedAnswers() {
    AlertEngine stale = new AlertEngine(SETTINGS);
    stale.onAssessment(a("t1", RiskLevel.LOW, 0.1, 0));
    stale.onAssessment(a("t2", RiskLevel.LOW, 0.1, 1000)); // judged here on a state that is now stale
    AlertEngine other = new AlertEngine(SETTINGS);
    Alert opened = other.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0)).get(0);
    stale.restore("cam", throughText(other.export("cam")));
    // t2 is judged again on the restored state: it continues the other owner's alert.
    assertEquals(List.of(), stale.onAssessment(a("t2", RiskLevel.HIGH, 0.8, 1000)), "held back inside the window");
    Alert update = stale.tick(1000 + 5000).get(0);
    assertEquals(opened.alertId(), update.alertId());
    assertEquals(2, update.count());
  }

  @Test
  void nothingStoredStartsTheCameraAfreshAndForgetDropsIt() {
    AlertEngine engine = new AlertEngine(SETTINGS);
    engine.restore("cam", null);
    assertTrue(engine.knows("cam"));
    assertEquals("alert-t1", engine.onAssessment(a("t1", RiskLevel.HIGH, 0.8, 0)).get(0).alertId());
    engine.forget("cam");
    assertFalse(engine.knows("cam"));
    assertNull(engine.export("cam"));
    assertEquals(List.of(), engine.tick(1_000_000), "a forgotten camera's alert is not resolved here");
  }
}
