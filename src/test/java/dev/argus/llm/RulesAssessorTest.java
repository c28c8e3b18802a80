package dev.argus.llm;

import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import dev.argus.model.RiskLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RulesAssessorTest {
  private static Detection frame(List<DetectedObject> objects) {
    return new Detection("c", "1", 0L, null, null, objects);
  }

  private static DetectedObject obj(String label, double conf) {
    return new DetectedObject(label, conf, new double[] {0, 0, 1, 1}, null);
  }

  @Test
  void aConfidentGunIsCritical() {
    assertEquals(RiskLevel.CRITICAL, RulesAssessor.assess(frame(List.of(obj("gun", 0.99)))).level());
  }

  @Test
  void aKnifeIsHighAndPeopleAloneAreLow() {
    assertEquals(RiskLevel.HIGH, RulesAssessor.assess(frame(List.of(obj("person", 0.9), obj("knife", 0.9)))).level());
    assertEquals(RiskLevel.LOW, RulesAssessor.assess(frame(List.of(obj("person", 0.9)))).level());
  }

  @Test
  void aCrowdIsMedium() {
    List<DetectedObject> people = new ArrayList<>();
    for (int i = 0; i < 15; i++) people.add(obj("person", 0.8));
    ParsedReply r = RulesAssessor.assess(frame(people));
    assertEquals(RiskLevel.MEDIUM, r.level());
    assertTrue(r.summary().contains("15"));
  }

  @Test
  void lowConfidenceLowersTheScore() {
    assertTrue(RulesAssessor.assess(frame(List.of(obj("fire", 0.3)))).score()
        < RulesAssessor.assess(frame(List.of(obj("fire", 0.9)))).score());
  }
}
