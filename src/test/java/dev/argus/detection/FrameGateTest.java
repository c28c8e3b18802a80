package dev.argus.detection;

import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.argus.detection.FrameGate.Action.*;
import static org.junit.jupiter.api.Assertions.*;

class FrameGateTest {
  private final FrameGate gate = new FrameGate(2000, Set.of("fire", "knife"), 30_000);

  private static Detection frame(String camera, String... labels) {
    return new Detection(camera, null, null, null, null, java.util.Arrays.stream(labels)
        .map(l -> new DetectedObject(l, 0.9, new double[] {0, 0, 1, 1}, null)).toList());
  }

  @Test
  void aCamerasFirstFrameBecomesATask() {
    FrameGate.Decision d = gate.offer(frame("a", "person"), 0, "f0", 0);
    assertEquals(EMIT, d.action());
    assertEquals(FrameGate.Reason.FIRST_FRAME, d.reason());
  }

  @Test
  void framesInsideTheIntervalAreDroppedAndTheFirstAfterItEmits() {
    gate.offer(frame("a"), 0, "f0", 0);
    gate.emitted("a", "t0", 0, 0);
    gate.completed("a", "t0");
    assertEquals(DROP, gate.offer(frame("a"), 1999, "f1", 1999).action());
    FrameGate.Decision d = gate.offer(frame("a"), 2000, "f2", 2000);
    assertEquals(EMIT, d.action());
    assertEquals(FrameGate.Reason.INTERVAL, d.reason());
  }

  @Test
  void aHighRiskLabelBypassesTheInterval() {
    gate.emitted("a", "t0", 0, 0);
    gate.completed("a", "t0");
    FrameGate.Decision d = gate.offer(frame("a", "person", "Knife"), 10, "f1", 10);
    assertEquals(EMIT, d.action());
    assertEquals(FrameGate.Reason.HIGH_RISK_LABEL, d.reason());
  }

  @Test
  void whilePendingNewerFramesReplaceTheHeldOneAndAreReleasedOnCompletion() {
    gate.emitted("a", "t0", 0, 0);
    assertEquals(HOLD, gate.offer(frame("a", "fire"), 100, "f1", 100).action());
    assertEquals(HOLD, gate.offer(frame("a"), 2500, "f2", 2500).action());
    assertNull(gate.completed("a", "some-other-task"), "an unrelated assessment frees nothing");
    FrameGate.Held<String> held = gate.completed("a", "t0");
    assertEquals("f2", held.token(), "the newest frame is the one assessed");
    assertEquals(FrameGate.Reason.HIGH_RISK_LABEL, held.reason(), "the strongest reason is kept");
    assertEquals(2, held.framesCoalesced());
    assertNull(gate.completed("a", "t0"));
  }

  @Test
  void aPendingTaskThatNeverCompletesExpiresAndReleasesTheHeldFrame() {
    gate.emitted("a", "t0", 0, 0);
    gate.offer(frame("a", "fire"), 100, "f1", 100);
    assertTrue(gate.expire(29_999).isEmpty());
    Map<String, FrameGate.Held<Object>> released = gate.expire(30_000);
    assertEquals("f1", released.get("a").token());
    assertEquals(EMIT, gate.offer(frame("a", "fire"), 200, "f3", 30_001).action());
  }

  @Test
  void camerasAreIndependent() {
    gate.emitted("a", "t0", 0, 0);
    assertEquals(EMIT, gate.offer(frame("b"), 0, "fb", 0).action());
  }
}
