package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.RiskLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class AlertEngineTest {
  private final AlertEngine engine = new AlertEngine(
      new AlertEngine.Settings(RiskLevel.HIGH, 3, 0.4, 60_000, 5_000, 30_000));
  private int task;

  private Assessment a(RiskLevel level, double score, long atMs) {
    return new Assessment("cam:" + (++task), "cam", String.valueOf(task), level, score, "s", List.of(), "llm",
        "m", "k", 0, atMs, atMs, null, null);
  }

  @Test
  void lowRiskAloneNeverAlerts() {
    for (int i = 0; i < 10; i++) assertEquals(List.of(), engine.onAssessment(a(RiskLevel.LOW, 0.1, i * 1000L)));
  }

  @Test
  void highRiskOpensAnAlert() {
    List<Alert> out = engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0));
    assertEquals(1, out.size());
    assertEquals(Alert.OPEN, out.get(0).status());
    assertEquals("cam", out.get(0).cameraId());
    assertEquals(1, out.get(0).count());
  }

  @Test
  void aRiskAlertSaysItsKindAndTheRuleThatRaisedIt() {
    Alert level = engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0)).get(0);
    assertEquals(Alert.RISK, level.kind());
    assertEquals(AlertEngine.RULE_LEVEL, level.rule());
    assertEquals(AlertEngine.RULE_LEVEL, Alert.fromJson(level.toJson()).rule());
  }

  @Test
  void aFastRiseIsNamedRise() {
    engine.onAssessment(a(RiskLevel.LOW, 0.05, 0));
    assertEquals(AlertEngine.RULE_RISE, engine.onAssessment(a(RiskLevel.MEDIUM, 0.5, 1000)).get(0).rule());
  }

  @Test
  void mediumHeldForTheSustainedCountIsNamedSustained() {
    engine.onAssessment(a(RiskLevel.MEDIUM, 0.4, 0));
    engine.onAssessment(a(RiskLevel.MEDIUM, 0.4, 1000));
    assertEquals(AlertEngine.RULE_SUSTAINED, engine.onAssessment(a(RiskLevel.MEDIUM, 0.4, 2000)).get(0).rule());
  }

  @Test
  void aFlickeringCameraKeepsOneAlertWhoseCountGrowsAndIsRepublishedAtMostEveryWindow() {
    List<Alert> events = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      boolean high = i % 2 == 0;
      events.addAll(engine.onAssessment(a(high ? RiskLevel.HIGH : RiskLevel.LOW, high ? 0.8 : 0.1, i * 500L)));
    }
    Set<String> ids = events.stream().map(Alert::alertId).collect(Collectors.toSet());
    assertEquals(1, ids.size(), "one alert, not hundreds");
    List<Alert> flushed = engine.tick(1000 * 500L + 5_000);
    assertEquals(500, flushed.get(0).count(), "the held-back update carries every firing");
    // 500 s of flicker with a 5 s re-publish window: about 100 events, not 500
    assertTrue(events.size() <= 101, "published " + events.size() + " times");
    assertTrue(events.stream().skip(1).allMatch(e -> e.status().equals(Alert.UPDATED)));
  }

  @Test
  void aHigherLevelEscalatesAtOnceEvenInsideTheWindow() {
    engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0));
    assertEquals(List.of(), engine.onAssessment(a(RiskLevel.HIGH, 0.8, 1000)), "update held back by the window");
    List<Alert> out = engine.onAssessment(a(RiskLevel.CRITICAL, 0.95, 1500));
    assertEquals(Alert.ESCALATED, out.get(0).status());
    assertEquals(RiskLevel.CRITICAL, out.get(0).level());
    assertEquals(3, out.get(0).count());
  }

  @Test
  void aHeldBackUpdateIsPublishedByTheTickOnceTheWindowPasses() {
    engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0));
    engine.onAssessment(a(RiskLevel.HIGH, 0.8, 1000));
    assertEquals(List.of(), engine.tick(4999));
    List<Alert> out = engine.tick(5000);
    assertEquals(Alert.UPDATED, out.get(0).status());
    assertEquals(2, out.get(0).count());
    assertEquals(List.of(), engine.tick(6000), "nothing new to say");
  }

  @Test
  void anAlertResolvesAfterTheRiskStaysLowLongEnough() {
    Alert opened = engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0)).get(0);
    assertEquals(List.of(), engine.onAssessment(a(RiskLevel.LOW, 0.1, 29_999)));
    List<Alert> out = engine.onAssessment(a(RiskLevel.LOW, 0.1, 30_000));
    assertEquals(Alert.RESOLVED, out.get(0).status());
    assertEquals(opened.alertId(), out.get(0).alertId());
    Alert next = engine.onAssessment(a(RiskLevel.HIGH, 0.8, 31_000)).get(0);
    assertEquals(Alert.OPEN, next.status());
    assertNotEquals(opened.alertId(), next.alertId(), "a new incident is a new alert");
  }

  @Test
  void theTickResolvesACameraThatWentSilent() {
    engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0));
    assertEquals(Alert.RESOLVED, engine.tick(30_000).get(0).status());
  }

  @Test
  void backdatedResultsAreJudgedOnTheirOwnClockNotTheWallClock() {
    long wall = 10_000_000;
    engine.onAssessment(a(RiskLevel.HIGH, 0.8, 0), wall);          // an hour-old result arrives now
    assertEquals(List.of(), engine.tick(wall + 1_000), "only 1 s has passed on the camera's clock");
    assertEquals(List.of(), engine.onAssessment(a(RiskLevel.HIGH, 0.8, 500), wall + 1_000).stream()
        .filter(e -> e.status().equals(Alert.RESOLVED)).toList());
    assertEquals(Alert.RESOLVED, engine.tick(wall + 1_000 + 30_000).get(0).status());
  }

  @Test
  void mediumRiskSustainedOverNAssessmentsFires() {
    assertEquals(List.of(), engine.onAssessment(a(RiskLevel.MEDIUM, 0.4, 0)));
    assertEquals(List.of(), engine.onAssessment(a(RiskLevel.MEDIUM, 0.4, 1000)));
    List<Alert> out = engine.onAssessment(a(RiskLevel.MEDIUM, 0.4, 2000));
    assertEquals(RiskLevel.MEDIUM, out.get(0).level());
    assertTrue(out.get(0).message().contains("sustained"));
  }

  @Test
  void aFastRiseOfTheScoreFires() {
    engine.onAssessment(a(RiskLevel.LOW, 0.05, 0));
    List<Alert> out = engine.onAssessment(a(RiskLevel.MEDIUM, 0.5, 10_000));
    assertEquals(1, out.size());
    assertTrue(out.get(0).message().contains("rose"));
  }

  @Test
  void theSameTaskTwiceGivesTheSameEventsAndCountsOnce() {
    Assessment first = a(RiskLevel.HIGH, 0.8, 0);
    List<Alert> once = engine.onAssessment(first);
    assertEquals(once, engine.onAssessment(first));
    Assessment second = a(RiskLevel.CRITICAL, 0.9, 100);
    assertEquals(2, engine.onAssessment(second).get(0).count());
  }

  private final List<String> trendOutcomes = new ArrayList<>();
  private final AlertEngine predicting = new AlertEngine(
      new AlertEngine.Settings(RiskLevel.HIGH, 99, 0.9, 60_000, 5_000, 30_000, 30_000), trendOutcomes::add);

  /** 0.2, 0.3, 0.4 at 10 s steps: the line reaches 0.6 in 20 s, within the 30 s horizon. */
  private Alert risingToward(AlertEngine e) {
    e.onAssessment(a(RiskLevel.LOW, 0.2, 0));
    e.onAssessment(a(RiskLevel.MEDIUM, 0.3, 10_000));
    List<Alert> out = e.onAssessment(a(RiskLevel.MEDIUM, 0.4, 20_000));
    return out.stream().filter(al -> AlertEngine.RULE_TREND.equals(al.rule())).findFirst().orElse(null);
  }

  @Test
  void aRisingTrendOpensAPredictedAlertBeforeHighIsReached() {
    Alert p = risingToward(predicting);
    assertNotNull(p, "a predicted alert");
    assertEquals(RiskLevel.PREDICTED, p.level());
    assertEquals(Alert.OPEN, p.status());
    assertEquals(Alert.RISK, p.kind());
    assertTrue(p.message().contains("predicts high"), p.message());
    assertNull(risingToward(new AlertEngine(new AlertEngine.Settings(RiskLevel.HIGH, 99, 0.9, 60_000, 5_000, 30_000))),
        "no horizon, no prediction");
  }

  @Test
  void highWithinTheHorizonConfirmsThePredictionAndCountsIt() {
    Alert p = risingToward(predicting);
    List<Alert> out = predicting.onAssessment(a(RiskLevel.HIGH, 0.7, 35_000));
    Alert end = out.stream().filter(al -> al.alertId().equals(p.alertId())).findFirst().orElseThrow();
    assertEquals(Alert.RESOLVED, end.status());
    assertTrue(end.message().startsWith("confirmed"), end.message());
    assertEquals(List.of(AlertEngine.TREND_CONFIRMED), trendOutcomes);
    assertTrue(out.stream().anyMatch(al -> AlertEngine.RULE_LEVEL.equals(al.rule())), "the real high alert opens too");
  }

  @Test
  void aPredictionThatDoesNotComeTrueIsWithdrawnWhenItsHorizonPasses() {
    Alert p = risingToward(predicting);
    assertEquals(List.of(), predicting.tick(40_000).stream().filter(al -> al.alertId().equals(p.alertId())).toList(),
        "still within the horizon");
    Alert end = predicting.tick(51_000).stream().filter(al -> al.alertId().equals(p.alertId())).findFirst().orElseThrow();
    assertEquals(Alert.RESOLVED, end.status());
    assertTrue(end.message().startsWith("withdrawn"), end.message());
    assertEquals(List.of(AlertEngine.TREND_WITHDRAWN), trendOutcomes);
    assertEquals(List.of(), predicting.tick(80_000).stream().filter(al -> al.alertId().equals(p.alertId())).toList(),
        "withdrawn once");
  }

  @Test
  void anOpenPredictionMovesWithTheCamerasState() {
    Alert p = risingToward(predicting);
    AlertEngine next = new AlertEngine(predicting.settingsForTest(), trendOutcomes::add);
    next.restore("cam", predicting.export("cam"));
    Alert end = next.onAssessment(a(RiskLevel.HIGH, 0.7, 30_000)).stream()
        .filter(al -> al.alertId().equals(p.alertId())).findFirst().orElseThrow();
    assertTrue(end.message().startsWith("confirmed"), end.message());
  }
  private static Assessment at(String camera, RiskLevel level, double score, long atMs) {
    return new Assessment(camera + ":" + atMs, camera, String.valueOf(atMs), level, score, "s", List.of(), "llm",
        "m", "k", 0, atMs, atMs, null, null);
  }

  @Test
  void aProducerCyclingCameraIdsCannotGrowTheEnginePastItsBoundNorEndAnOpenAlert() {
    AlertEngine small = new AlertEngine(new AlertEngine.Settings(RiskLevel.HIGH, 3, 0.4, 60_000, 5_000, 30_000),
        outcome -> { }, 10);
    String alertId = small.onAssessment(at("burning", RiskLevel.HIGH, 0.9, 0)).get(0).alertId();
    for (int i = 0; i < 1_000; i++) small.onAssessment(at("churn-" + i, RiskLevel.LOW, 0.1, i));
    assertEquals(10, small.cameras());
    assertTrue(small.knows("burning"), "a camera with an open alert is never the one forgotten");
    List<Alert> next = small.onAssessment(at("burning", RiskLevel.HIGH, 0.9, 2_000));
    assertEquals(alertId, next.isEmpty() ? alertId : next.get(0).alertId(), "the incident continues");
    List<Alert> resolved = small.tick(100_000);
    assertEquals(List.of(alertId), resolved.stream().map(Alert::alertId).toList(), "and still resolves on time");
  }
}
