package dev.argus.replay;

import dev.argus.config.TestRules;
import dev.argus.model.AssessmentTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ReplayGateTest {
  private final ReplayGate gate = new ReplayGate("r1", TestRules.book("{}"), 30_000, 60_000);

  private static JsonObject fire(String camera, int frame, long ts) {
    return frame(camera, frame, ts, "fire");
  }

  private static JsonObject frame(String camera, int frame, long ts, String label) {
    return new JsonObject().put("camera_id", camera).put("frame_id", String.valueOf(frame)).put("timestamp", ts)
        .put("detections", new JsonArray().add(new JsonObject().put("label", label)
            .put("confidence", 0.95).put("bbox", new JsonArray().add(0).add(0).add(10).add(10))));
  }

  @Test
  void aFrameWorthATaskGetsAReplayTaskIdDistinctFromTheLiveOne() {
    AssessmentTask t = gate.offer(fire("cam-1", 1, 1_000), "p0o0", 1_000, 5_000);
    assertNotNull(t);
    assertEquals("replay:r1:cam-1:1", t.taskId());
    assertNotEquals(AssessmentTask.taskId("cam-1", "1"), t.taskId());
    assertTrue(AssessmentTask.isReplay(t.taskId()));
    assertEquals("r1", ReplayGate.replayIdOf(t.taskId()));
    assertEquals(65_000, t.deadlineMs(), "the deadline runs from now, not from the recording");
  }

  @Test
  void theGateRunsOnTheRecordingsClockSoAnUnchangedSceneSoonAfterIsSkipped() {
    assertNotNull(gate.offer(frame("cam-1", 1, 1_000, "person"), "a", 1_000, 0));
    assertNull(gate.offer(frame("cam-1", 2, 1_010, "person"), "b", 1_010, 0));
  }

  @Test
  void aReplayedTaskIsTreatedAsAnsweredSoTheNextRiskyFrameIsNotHeld() {
    assertNotNull(gate.offer(fire("cam-1", 1, 1_000), "a", 1_000, 0));
    assertNotNull(gate.offer(fire("cam-1", 2, 1_010), "b", 1_010, 0));
  }

  @Test
  void anInvalidFrameMakesNoTask() {
    assertNull(gate.offer(new JsonObject().put("frame_id", 1), "a", 0, 0));
  }

  @Test
  void liveTaskIdsAreNotReplays() {
    assertNull(ReplayGate.replayIdOf("cam-1:7"));
    assertFalse(AssessmentTask.isReplay("cam-1:7"));
  }
}
