package dev.argus.aggregate;

import dev.argus.config.Zone;
import dev.argus.model.Alert;
import dev.argus.model.DetectedObject;
import dev.argus.model.RiskLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Predictive zone alerts on frame time: a track heading into a zone, entering it, or turning away. */
class TrackPredictorTest {
  /** A square zone x, y in [500, 600] that persons may not enter. */
  private static final Zone ZONE = new Zone("vault", List.of(new double[] {500, 500}, new double[] {600, 500},
      new double[] {600, 600}, new double[] {500, 600}), Set.of("person"));
  private static final TrackPredictor.Settings SETTINGS = new TrackPredictor.Settings(3000, 5000, 5000, 1000);

  private final TrackPredictor predictor = new TrackPredictor(SETTINGS, camera -> camera.equals("cam") ? List.of(ZONE) : List.of());

  /** A 20×20 box centred on (x, y). */
  private static DetectedObject at(String label, String track, double x, double y) {
    return new DetectedObject(label, 0.9, new double[] {x - 10, y - 10, x + 10, y + 10}, track);
  }

  private TrackPredictor.Events frame(long t, DetectedObject... objects) {
    return predictor.onFrame("cam", t, t, List.of(objects));
  }

  @Test
  void aPersonWalkingTowardsTheZoneRaisesAPredictedAlertBeforeEntering() {
    // 50 px/s along y = 550, from x = 200: the zone's edge (x = 500) is 6 s away at t = 0.
    assertEquals(List.of(), frame(0, at("person", "7", 200, 550)).alerts(), "one position: no motion yet");
    assertEquals(List.of(), frame(500, at("person", "7", 225, 550)).alerts(), "edge 5.5 s away: beyond the 5 s horizon");
    List<Alert> out = frame(1500, at("person", "7", 275, 550)).alerts();
    assertEquals(1, out.size(), "edge 4.5 s away: inside the horizon");
    Alert a = out.get(0);
    assertEquals(RiskLevel.PREDICTED, a.level());
    assertEquals("predicted", a.toJson().getString("level"));
    assertEquals(Alert.OPEN, a.status());
    assertEquals(Alert.RISK, a.kind());
    assertEquals(TrackPredictor.RULE, a.rule());
    assertEquals("cam", a.cameraId());
    assertTrue(a.message().contains("vault") && a.message().contains("#7"), a.message());
    assertEquals(a, Alert.fromJson(a.toJson()).forCamera("cam"), "the predicted level survives its JSON form");
  }

  @Test
  void theRealEntryResolvesThePredictionAsEntered() {
    frame(0, at("person", "7", 300, 550));
    String id = frame(1000, at("person", "7", 400, 550)).alerts().get(0).alertId();
    assertEquals(List.of(), frame(1500, at("person", "7", 450, 550)).alerts(), "still heading there: no new event");
    TrackPredictor.Events in = frame(2100, at("person", "7", 510, 550));
    assertEquals(1, in.alerts().size());
    assertEquals(id, in.alerts().get(0).alertId());
    assertEquals(Alert.RESOLVED, in.alerts().get(0).status());
    assertEquals(2, in.alerts().get(0).count(), "the frames that predicted it");
    assertEquals(List.of(TrackPredictor.Outcome.ENTERED), in.resolutions().stream().map(TrackPredictor.Resolution::outcome).toList());
    assertEquals(0, predictor.openPredictions());
  }

  @Test
  void aTrackThatTurnsAwayHasItsPredictionWithdrawnAfterTheGrace() {
    frame(0, at("person", "7", 300, 550));
    assertEquals(1, frame(1000, at("person", "7", 400, 550)).alerts().size());
    // It slows (the fit over the window still heads in at 60 px/s: predicted at 1500), then walks back.
    assertEquals(List.of(), frame(1500, at("person", "7", 380, 550)).alerts());
    assertEquals(List.of(), frame(2000, at("person", "7", 300, 550)).alerts(), "not predicted any more, but within the 1 s grace");
    TrackPredictor.Events out = frame(2500, at("person", "7", 200, 550));
    assertEquals(1, out.alerts().size(), "withdrawn once not predicted for 1 s");
    assertEquals(Alert.RESOLVED, out.alerts().get(0).status());
    assertTrue(out.alerts().get(0).message().startsWith("prediction withdrawn"), out.alerts().get(0).message());
    assertEquals(TrackPredictor.Outcome.WITHDRAWN, out.resolutions().get(0).outcome());
  }

  @Test
  void aTrackThatVanishesHasItsPredictionWithdrawnByTheClock() {
    frame(0, at("person", "7", 300, 550));
    frame(1000, at("person", "7", 400, 550));
    assertEquals(1, predictor.openPredictions());
    assertEquals(List.of(), predictor.tick(1000 + 4000).alerts(), "unseen 4 s: still a track");
    TrackPredictor.Events out = predictor.tick(1000 + 5000);
    assertEquals(1, out.alerts().size());
    assertEquals(TrackPredictor.Outcome.WITHDRAWN, out.resolutions().get(0).outcome());
    assertEquals(0, predictor.openPredictions());
  }

  @Test
  void labelsTheZoneDoesNotForbidAndUntrackedObjectsAreIgnored() {
    frame(0, at("car", "1", 300, 550), new DetectedObject("person", 0.9, new double[] {290, 540, 310, 560}, null));
    assertEquals(List.of(), frame(1000, at("car", "1", 400, 550),
        new DetectedObject("person", 0.9, new double[] {390, 540, 410, 560}, null)).alerts());
  }

  @Test
  void aCameraWithoutZonesNeverPredicts() {
    predictor.onFrame("other", 0, 0, List.of(at("person", "7", 300, 550)));
    assertEquals(List.of(), predictor.onFrame("other", 1000, 1000, List.of(at("person", "7", 400, 550))).alerts());
  }

  @Test
  void aStandingPersonNeverPredicts() {
    for (int i = 0; i < 10; i++) assertEquals(List.of(), frame(i * 500L, at("person", "7", 450, 550)).alerts());
  }

  @Test
  void anObjectAlreadyInsideIsNotAPrediction() {
    frame(0, at("person", "7", 520, 550));
    assertEquals(List.of(), frame(1000, at("person", "7", 540, 550)).alerts());
  }

  @Test
  void predictedIsAnAlertLevelNeverAnAssessmentLevel() {
    assertNull(RiskLevel.parse("predicted"), "an LLM reply or a verdict saying 'predicted' is not a level");
    assertEquals(RiskLevel.PREDICTED, RiskLevel.parseAlertLevel("predicted"));
    assertEquals(RiskLevel.HIGH, RiskLevel.parseAlertLevel("high"));
  }

  @Test
  void theVelocityIsTheLeastSquaresSlope() {
    ArrayDeque<double[]> points = new ArrayDeque<>();
    points.add(new double[] {0, 0, 10});
    points.add(new double[] {1000, 100, 10});
    points.add(new double[] {2000, 200, 10});
    assertArrayEquals(new double[] {0.1, 0}, TrackPredictor.velocity(points), 1e-9);
    ArrayDeque<double[]> tooShort = new ArrayDeque<>();
    tooShort.add(new double[] {0, 0, 0});
    tooShort.add(new double[] {100, 50, 0});
    assertNull(TrackPredictor.velocity(tooShort), "100 ms of motion is too little to fit");
  }

  @Test
  void theSameTrackAndZoneKeepsOneAlertWhileThePredictionHolds() {
    frame(0, at("person", "7", 300, 550));
    frame(1000, at("person", "7", 350, 550)); // edge 3 s away: predicted
    for (int i = 2; i < 4; i++) assertEquals(List.of(), frame(i * 1000L, at("person", "7", 300 + 50 * i, 550)).alerts());
    assertEquals(1, predictor.openPredictions());
  }
}
