package dev.argus.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTallyTest {
  private static final long MS = 1_000_000;

  @Test
  void everyFrameAssessedIsASuccessWithSourcesCounted() {
    PipelineTally t = new PipelineTally(2);
    t.posted("c:1", 0);
    t.accepted("c:1");
    t.posted("c:2", 0);
    t.accepted("c:2");
    t.assessed("c:1", "llm", 100 * MS);
    t.assessed("c:2", "rules", 300 * MS);
    assertEquals(0, t.exitCode());
    String report = t.report();
    assertTrue(report.contains("accepted   2/2"), report);
    assertTrue(report.contains("assessed   2/2"), report);
    assertTrue(report.contains("source     llm=1 rules=1"), report);
    assertTrue(report.endsWith("OK" + System.lineSeparator()), report);
  }

  @Test
  void aMissingAssessmentFailsTheRunAndIsNamed() {
    PipelineTally t = new PipelineTally(2);
    t.posted("c:1", 0);
    t.accepted("c:1");
    t.posted("c:2", 0);
    t.accepted("c:2");
    t.assessed("c:1", "llm", 100 * MS);
    assertEquals(1, t.exitCode());
    assertTrue(t.report().contains("missing    1 (c:2)"), t.report());
  }

  @Test
  void framesNeverPostedCountAsMissing() {
    PipelineTally t = new PipelineTally(3);
    t.posted("c:1", 0);
    t.assessed("c:1", "llm", MS);
    assertEquals(1, t.exitCode());
    assertTrue(t.report().contains("missing    2 (2 never posted)"), t.report());
  }

  @Test
  void assessmentsOfOtherFramesAndRepeatsAreIgnored() {
    PipelineTally t = new PipelineTally(1);
    t.posted("c:1", 0);
    assertFalse(t.assessed("someone-else:7", "llm", MS));
    assertTrue(t.assessed("c:1", "llm", MS));
    assertFalse(t.assessed("c:1", "llm", 2 * MS));
    assertTrue(t.report().contains("source     llm=1"), t.report());
  }

  @Test
  void percentilesAreNearestRankFromPostingToAssessment() {
    PipelineTally t = new PipelineTally(20);
    for (int i = 1; i <= 20; i++) {
      t.posted("c:" + i, 1000 * MS);
      t.assessed("c:" + i, "llm", (1000 + i * 10) * MS);
    }
    assertEquals(100, t.percentileMs(0.50));
    assertEquals(190, t.percentileMs(0.95));
  }
}
