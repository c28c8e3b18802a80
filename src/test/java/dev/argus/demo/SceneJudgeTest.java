package dev.argus.demo;

import dev.argus.model.AssessmentTask;
import dev.argus.model.RiskLevel;
import dev.argus.llm.PromptBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The simulated model reads the prompt Argus really writes ({@link PromptBuilder}). */
class SceneJudgeTest {
  private final SceneJudge judge = new SceneJudge(new Random(1));

  private static JsonObject person() {
    return new JsonObject().put("label", "person").put("confidence", 0.9).put("bbox", new JsonArray().add(0).add(0).add(60).add(160));
  }

  private static String prompt(JsonArray detections, JsonObject context) {
    JsonObject frame = new JsonObject().put("camera_id", "cam-001").put("frame_id", 1).put("timestamp", 0).put("detections", detections);
    AssessmentTask task = new AssessmentTask("cam-001:1", "cam-001", "1", 0, 0, 30_000, "scene_change", 1, 0, frame, context);
    return PromptBuilder.request(task, "argus-sim-1").encode();
  }

  private static JsonArray people(int n) {
    JsonArray d = new JsonArray();
    for (int i = 0; i < n; i++) d.add(person());
    return d;
  }

  private static JsonObject crowd(int size) {
    return new JsonObject().put("clusters", new JsonArray().add(new JsonObject().put("label", "person").put("size", size)));
  }

  @Test
  void aCalmSceneIsAlwaysLow() {
    for (int i = 0; i < 500; i++) assertEquals(RiskLevel.LOW, judge.judge(prompt(people(5), new JsonObject())).level());
  }

  @Test
  void aFormingCrowdIsMediumAndALargeOneHigh() {
    assertEquals(RiskLevel.MEDIUM, judge.judge(prompt(people(9), crowd(8))).level());
    assertEquals(RiskLevel.HIGH, judge.judge(prompt(people(24), crowd(22))).level());
  }

  @Test
  void fireOrAGunIsCritical() {
    JsonObject fire = new JsonObject().put("label", "fire").put("confidence", 0.8).put("bbox", new JsonArray().add(0).add(0).add(9).add(9));
    JsonObject gun = fire.copy().put("label", "gun");
    assertEquals(RiskLevel.CRITICAL, judge.judge(prompt(new JsonArray().add(fire), new JsonObject())).level());
    assertEquals(RiskLevel.CRITICAL, judge.judge(prompt(people(1).add(gun), new JsonObject())).level());
  }

  @Test
  void aPersonInARestrictedZoneIsHigh() {
    JsonObject ctx = new JsonObject().put("zone_hits", new JsonArray().add(new JsonObject().put("zone", "restricted")));
    assertEquals(RiskLevel.HIGH, judge.judge(prompt(people(1), ctx)).level());
  }

  @Test
  void theScoreHasALittleNoise() {
    double first = judge.judge(prompt(people(3), new JsonObject())).score();
    boolean varies = false;
    for (int i = 0; i < 50 && !varies; i++) varies = judge.judge(prompt(people(3), new JsonObject())).score() != first;
    assertTrue(varies);
  }

  @Test
  void anUnreadableRequestIsAnEmptyScene() {
    assertEquals(RiskLevel.LOW, judge.judge("not json").level());
  }
}
