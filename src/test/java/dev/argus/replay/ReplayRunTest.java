package dev.argus.replay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ReplayRunTest {
  private final ReplayRun run = new ReplayRun("r1", new ReplayRequest(null, 0, 10), 0);

  @Test
  void itRunsUntilTheRangeWasReadAndEveryTaskCameBack() {
    run.framesRead(5, 2, 1);
    run.assessed("high", 2);
    run.assessed("low", 3);
    assertEquals(ReplayRun.RUNNING, run.status(), "reading has not ended");
    run.readingDone(4);
    assertEquals(ReplayRun.DONE, run.status());
    assertEquals(5, run.toJson().getLong("frames"));
    assertEquals(1, run.toJson().getJsonObject("levels").getLong("high"));
  }

  @Test
  void aTaskThatNeverComesBackEndsTheRunAfterTheQuietPeriod() {
    run.framesRead(5, 2, 0);
    run.readingDone(100);
    run.check(150, 100);
    assertEquals(ReplayRun.RUNNING, run.status());
    run.check(200, 100);
    assertEquals(ReplayRun.DONE, run.status());
  }

  @Test
  void aReadingFailureFailsTheRunWithItsReason() {
    run.failed("broker gone", 5);
    assertEquals(ReplayRun.FAILED, run.status());
    assertEquals("broker gone", run.toJson().getString("error"));
  }
}
