package dev.argus.detection;

import dev.argus.config.CameraRules;
import dev.argus.config.RuleBook;
import dev.argus.config.TestRules;
import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.argus.detection.FrameGate.Action.*;
import static org.junit.jupiter.api.Assertions.*;

class FrameGateTest {
  private final RuleBook book = TestRules.book("""
      {"minIntervalMs": 2000, "maxIntervalMs": 30000, "highRiskLabels": ["fire", "knife"],
       "sceneChange": {"countDelta": 2, "confidenceJump": 0.25},
       "cameras": {"vault": {"zones": [{"name": "safe", "polygon": [[0,0],[100,0],[100,100],[0,100]], "labels": ["person"]}]}}}""");
  private final FrameGate gate = new FrameGate(30_000);

  static DetectedObject obj(String label, double conf, double x, double y, String track) {
    return new DetectedObject(label, conf, new double[] {x - 5, y - 5, x + 5, y + 5}, track);
  }

  private SceneFacts facts(String camera, DetectedObject... objects) {
    CameraRules r = book.rules(camera);
    return SceneFacts.of(new Detection(camera, null, null, null, null, Arrays.asList(objects)), r, 1280, 720);
  }

  private FrameGate.Decision decide(String camera, SceneFacts f, long t) {
    return gate.decide(camera, f, book.rules(camera), t, t);
  }

  /** Emits and completes a task for this scene at time t, so the camera is free again. */
  private void assessed(String camera, SceneFacts f, long t) {
    gate.emitted(camera, "t" + t, t, f, t);
    gate.completed(camera, "t" + t, t);
  }

  @Test
  void aCamerasFirstFrameBecomesATask() {
    FrameGate.Decision d = decide("a", facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    assertEquals(EMIT, d.action());
    assertEquals(FrameGate.Reason.FIRST_FRAME, d.reason());
  }

  @Test
  void anUnchangedSceneWaitsForTheHeartbeat() {
    SceneFacts same = facts("a", obj("person", 0.9, 50, 50, "1"));
    assessed("a", same, 0);
    assertEquals(DROP, decide("a", same, 5_000).action(), "past the minimum interval but nothing changed");
    FrameGate.Decision d = decide("a", same, 30_000);
    assertEquals(EMIT, d.action());
    assertEquals(FrameGate.Reason.INTERVAL, d.reason());
  }

  @Test
  void aSceneChangeCountsOnlyAfterTheMinimumInterval() {
    assessed("a", facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    assertEquals(DEFER, decide("a", car, 1_999).action(), "kept until the interval ends, not a task now");
    FrameGate.Decision d = decide("a", car, 2_000);
    assertEquals(FrameGate.Reason.SCENE_CHANGE, d.reason());
    assertTrue(d.detail().contains("labels changed"), d.detail());
  }

  @Test
  void countMovesNewTracksAndConfidenceJumpsAreSceneChanges() {
    SceneFacts base = facts("a", obj("person", 0.5, 50, 50, "1"), obj("person", 0.5, 80, 80, "2"));
    assessed("a", base, 0);
    SceneFacts one = facts("a", obj("person", 0.5, 50, 50, "1"), obj("person", 0.5, 80, 80, "2"), obj("person", 0.5, 90, 90, null));
    assertEquals(DROP, decide("a", one, 3_000).action(), "one more person is below countDelta 2 (and has no track)");
    SceneFacts four = facts("a", obj("person", 0.5, 50, 50, "1"), obj("person", 0.5, 80, 80, "2"),
        obj("person", 0.5, 90, 90, null), obj("person", 0.5, 95, 95, null));
    assertTrue(decide("a", four, 3_000).detail().contains("count 2 -> 4"));
    SceneFacts newcomer = facts("a", obj("person", 0.5, 50, 50, "1"), obj("person", 0.5, 80, 80, "9"));
    assertTrue(decide("a", newcomer, 3_000).detail().contains("new track person#9"));
    SceneFacts surer = facts("a", obj("person", 0.9, 50, 50, "1"), obj("person", 0.5, 80, 80, "2"));
    assertTrue(decide("a", surer, 3_000).detail().contains("confidence"));
  }

  @Test
  void aHighRiskLabelBypassesTheInterval() {
    assessed("a", facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    FrameGate.Decision d = decide("a", facts("a", obj("person", 0.9, 50, 50, "1"), obj("Knife", 0.6, 55, 55, null)), 10);
    assertEquals(EMIT, d.action());
    assertEquals(FrameGate.Reason.HIGH_RISK_LABEL, d.reason());
  }

  @Test
  void aNewZoneIntrusionTriggersAtOnceButAContinuingOneDoesNot() {
    SceneFacts outside = facts("vault", obj("person", 0.9, 500, 500, "1"));
    assessed("vault", outside, 0);
    SceneFacts inside = facts("vault", obj("person", 0.9, 50, 50, "1"));
    FrameGate.Decision d = decide("vault", inside, 100);
    assertEquals(FrameGate.Reason.ZONE_INTRUSION, d.reason());
    assessed("vault", inside, 100);
    assertEquals(DROP, decide("vault", inside, 200).action(), "the same intrusion, already assessed");
    assertTrue(facts("vault", obj("car", 0.9, 50, 50, "3")).zoneHits().isEmpty(), "a car is not a label this zone forbids");
  }

  @Test
  void whilePendingFramesAreHeldNewestFirstAndReleasedOnCompletion() {
    SceneFacts f = facts("a", obj("person", 0.9, 50, 50, "1"));
    gate.emitted("a", "t0", 0, f, 0);
    FrameGate.Decision d = decide("a", facts("a", obj("fire", 0.9, 50, 50, null)), 100);
    assertEquals(HOLD, d.action());
    gate.hold("a", "f1", d.reason(), 0);
    gate.hold("a", "f2", FrameGate.Reason.INTERVAL, 0);
    assertNull(gate.completed("a", "some-other-task", 200), "an unrelated assessment frees nothing");
    FrameGate.Held<String> held = gate.completed("a", "t0", 200);
    assertEquals("f2", held.token(), "the newest frame is the one assessed");
    assertEquals(FrameGate.Reason.HIGH_RISK_LABEL, held.reason(), "the strongest reason is kept");
    assertEquals(2, held.framesCoalesced());
    assertNull(gate.completed("a", "t0", 300));
  }

  @Test
  void aPendingTaskThatNeverCompletesExpiresAndReleasesTheHeldFrame() {
    gate.emitted("a", "t0", 0, facts("a"), 0);
    gate.hold("a", "f1", FrameGate.Reason.HIGH_RISK_LABEL, 0);
    assertTrue(gate.ready(29_999).isEmpty());
    Map<String, FrameGate.Held<Object>> released = gate.ready(30_000);
    assertEquals("f1", released.get("a").token());
  }

  @Test
  void aKeptFrameReplacedByANewerOneIsHandedBackSoItsRecordCanFinish() {
    gate.emitted("a", "t0", 0, facts("a"), 0);
    assertNull(gate.hold("a", "f1", FrameGate.Reason.HIGH_RISK_LABEL, 0));
    assertEquals("f1", gate.hold("a", "f2", FrameGate.Reason.HIGH_RISK_LABEL, 0), "the newer frame carries the duty");
    assertEquals(1, gate.held());
  }

  @Test
  void aHeldFrameIsNotReleasedBeforeItsOwnPendingTaskCompletes() {
    gate.emitted("a", "t0", 0, facts("a"), 0);
    gate.hold("a", "f1", FrameGate.Reason.HIGH_RISK_LABEL, 0);
    assertTrue(gate.ready(1_000).isEmpty(), "still pending, not timed out");
    assertEquals(1, gate.held());
  }

  @Test
  void aTaskWhoseProductionFailedFreesTheCamera() {
    SceneFacts fire = facts("a", obj("fire", 0.9, 50, 50, null));
    gate.emitted("a", "t0", 0, fire, 0);
    gate.abandoned("a", "t0");
    assertEquals(EMIT, decide("a", fire, 10).action());
  }

  @Test
  void aSceneChangeInsideTheMinimumIntervalIsDeferredUntilTheIntervalEnds() {
    assessed("a", facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision d = gate.decide("a", car, book.rules("a"), 500, 10_500);
    assertEquals(DEFER, d.action());
    assertEquals(FrameGate.Reason.SCENE_CHANGE, d.reason());
    assertEquals(12_000, d.dueMs(), "1,500 ms of the interval are left, counted from now on the wall clock");
    gate.hold("a", "car", d.reason(), d.dueMs());
    assertTrue(gate.ready(11_999).isEmpty());
    FrameGate.Held<String> due = gate.<String>ready(12_000).get("a");
    assertEquals("car", due.token(), "judged although no further frame came");
    assertEquals(FrameGate.Reason.SCENE_CHANGE, due.reason());
  }

  /** A gate with 150 ms of transit grace whose camera "a" had a task for one person at 0, already assessed. */
  private FrameGate gracedAfterATaskAtZero() {
    FrameGate graced = new FrameGate(30_000, 100, 150);
    graced.emitted("a", "t0", 0, facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    graced.completed("a", "t0", 0);
    return graced;
  }

  @Test
  void aDeferredChangeIsDueTheTransitGraceAfterTheIntervalEnds() {
    FrameGate graced = gracedAfterATaskAtZero();
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision d = graced.decide("a", car, book.rules("a"), 1_500, 1_510);
    assertEquals(2_160, d.dueMs(), "500 ms of the interval are left from the wall-clock 1,510, then 150 ms of grace");
    graced.hold("a", "car", d.reason(), d.dueMs());
    assertTrue(graced.ready(2_159).isEmpty());
    assertEquals("car", graced.<String>ready(2_160).get("a").token(), "judged although no further frame came");
  }

  @Test
  void theFrameOnTheIntervalsEndTakesOverTheKeptOneWithinTheGrace() {
    FrameGate graced = gracedAfterATaskAtZero();
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision kept = graced.decide("a", car, book.rules("a"), 1_500, 1_505);
    graced.hold("a", "car@1500", kept.reason(), kept.dueMs());
    // The next frame, taken at 2,000 (the interval's end), reaches the bridge 30 ms later: after the end
    // plus the first frame's 5 ms of transit, inside the grace.
    assertTrue(graced.ready(2_030).isEmpty(), "the kept frame is not due yet");
    FrameGate.Decision onTime = graced.decide("a", car, book.rules("a"), 2_000, 2_030);
    assertEquals(EMIT, onTime.action(), "the interval is over for the on-time frame");
    assertEquals(FrameGate.Reason.SCENE_CHANGE, onTime.reason());
    assertEquals("car@1500", graced.emitted("a", "t2000", 2_000, car, 2_030), "the kept, older frame is let go");
    assertTrue(graced.ready(5_000).isEmpty());
  }

  @Test
  void aDeferredChangeAlsoWaitsForThePendingTask() {
    gate.emitted("a", "t0", 0, facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision d = decide("a", car, 500);
    gate.hold("a", "car", d.reason(), d.dueMs());
    assertTrue(gate.ready(2_500).isEmpty(), "due, but the camera's task is still pending");
    assertEquals("car", gate.<String>completed("a", "t0", 2_600).token());
  }

  @Test
  void aCompletionBeforeTheDueTimeLeavesTheDeferredChangeForTheTick() {
    gate.emitted("a", "t0", 0, facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision d = decide("a", car, 500);
    gate.hold("a", "car", d.reason(), d.dueMs());
    assertNull(gate.completed("a", "t0", 600));
    assertEquals("car", gate.<String>ready(2_000).get("a").token());
  }

  @Test
  void aNewerSuppressedChangeReplacesTheOlderAndKeepsTheEarlierDueTime() {
    assessed("a", facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision first = decide("a", car, 500);
    gate.hold("a", "car1", first.reason(), first.dueMs());
    FrameGate.Decision second = decide("a", car, 900);
    assertEquals(DEFER, second.action());
    assertEquals("car1", gate.hold("a", "car2", second.reason(), second.dueMs()));
    FrameGate.Held<String> due = gate.<String>ready(2_000).get("a");
    assertEquals("car2", due.token(), "the newest suppressed change is the one judged, when the first was due");
    assertEquals(2, due.framesCoalesced());
  }

  @Test
  void aTaskMadeForANewerFrameTakesOverTheDeferredChange() {
    assessed("a", facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision d = decide("a", car, 500);
    gate.hold("a", "car", d.reason(), d.dueMs());
    SceneFacts fire = facts("a", obj("fire", 0.9, 50, 50, null));
    assertEquals(EMIT, decide("a", fire, 700).action());
    assertEquals("car", gate.emitted("a", "t700", 700, fire, 700));
    assertTrue(gate.ready(5_000).isEmpty());
  }

  @Test
  void aFrameBackToTheJudgedSceneLetsTheDeferredChangeGo() {
    SceneFacts person = facts("a", obj("person", 0.9, 50, 50, "1"));
    assessed("a", person, 0);
    SceneFacts car = facts("a", obj("person", 0.9, 50, 50, "1"), obj("car", 0.8, 300, 300, "2"));
    FrameGate.Decision d = decide("a", car, 500);
    gate.hold("a", "car", d.reason(), d.dueMs());
    assertEquals(DROP, decide("a", person, 800).action());
    assertEquals("car", gate.unchanged("a"));
    assertEquals(0, gate.held());
  }

  @Test
  void aFrameWithoutChangeKeepsAHeldHighRiskFrame() {
    gate.emitted("a", "t0", 0, facts("a", obj("person", 0.9, 50, 50, "1")), 0);
    gate.hold("a", "fire", FrameGate.Reason.HIGH_RISK_LABEL, 0);
    assertNull(gate.unchanged("a"));
    assertEquals(1, gate.held());
  }

  @Test
  void drainEmptiesEverySlot() {
    gate.emitted("a", "t0", 0, facts("a"), 0);
    gate.emitted("b", "t0", 0, facts("b"), 0);
    gate.hold("a", "fa", FrameGate.Reason.HIGH_RISK_LABEL, 0);
    gate.hold("b", "fb", FrameGate.Reason.HIGH_RISK_LABEL, 0);
    assertEquals(Set.of("fa", "fb"), new HashSet<>(gate.<String>drain()));
    assertEquals(0, gate.held());
  }
  @Test
  void aProducerCyclingCameraIdsCannotGrowTheGatePastItsBound() {
    FrameGate small = new FrameGate(30_000, 100, 0);
    SceneFacts f = facts("x", obj("person", 0.9, 50, 50, "1"));
    for (int i = 0; i < 10_000; i++) {
      String cam = "churn-" + i;
      assertEquals(EMIT, small.decide(cam, f, book.rules(cam), i, i).action(), cam + " is new to the gate");
      small.emitted(cam, "t" + i, i, f, i);
    }
    assertEquals(100, small.cameras());
    assertEquals(9_900, small.forgotten());
  }

  @Test
  void theLeastRecentlySeenCameraIsForgottenFirstAndNeverOneThatHoldsAFrame() {
    FrameGate small = new FrameGate(30_000, 2, 0);
    SceneFacts f = facts("x", obj("person", 0.9, 50, 50, "1"));
    SceneFacts fire = facts("x", obj("fire", 0.9, 50, 50, "2"));
    small.emitted("holder", "t1", 0, f, 0);
    assertEquals(HOLD, small.decide("holder", fire, book.rules("holder"), 1, 1).action(), "its task is pending");
    small.hold("holder", "held-frame", FrameGate.Reason.HIGH_RISK_LABEL, 0);
    small.emitted("quiet", "t2", 0, f, 0);
    small.emitted("busy", "t3", 0, f, 0);           // past the bound: quiet goes, holder is older but holds a frame
    assertEquals(2, small.cameras());
    assertEquals(FrameGate.Reason.FIRST_FRAME, small.decide("quiet", f, book.rules("quiet"), 5, 5).reason(),
        "a forgotten camera starts over");
    assertEquals(FrameGate.Action.HOLD, small.decide("holder", fire, book.rules("holder"), 5, 5).action(),
        "the camera holding a frame is still known, its task still pending");
    assertEquals("held-frame", small.<String>completed("holder", "t1", 10).token(), "its held frame is not lost");
  }
}
