package dev.argus.backbone;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AssignmentsTest {
  @Test
  void followsAssignmentsAndRevocationsPerGroupAndTopic() {
    Assignments a = new Assignments();
    a.assigned("argus-bridge", "detection-results", 3);
    a.assigned("argus-bridge", "detection-results", 1);
    a.assigned("argus-quality", "detection-results", 5);
    a.assigned("argus-llm", "assessment-tasks", 0);
    a.revoked("argus-bridge", "detection-results", 3);
    a.revoked("argus-unknown", "x", 1);
    assertEquals(Map.of("detection-results", List.of(1, 5), "assessment-tasks", List.of(0)), a.byTopic());
    assertEquals(List.of(1), a.byGroup().get("argus-bridge").get("detection-results"));
    assertEquals(List.of(5), a.byGroup().get("argus-quality").get("detection-results"));
  }
}
