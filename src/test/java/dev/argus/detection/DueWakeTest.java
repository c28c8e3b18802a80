package dev.argus.detection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DueWakeTest {
  @Test
  void firstDueTimeArmsATimerForItsDelay() {
    DueWake w = new DueWake();
    assertEquals(700, w.arm(10_700, 10_000));
  }

  @Test
  void aLaterDueTimeNeedsNoNewTimerWhileOneIsArmed() {
    DueWake w = new DueWake();
    w.arm(10_700, 10_000);
    assertEquals(-1, w.arm(10_900, 10_100));
    assertEquals(-1, w.arm(10_700, 10_100));
  }

  @Test
  void anEarlierDueTimeRearmsForTheEarlierTime() {
    DueWake w = new DueWake();
    w.arm(11_000, 10_000);
    assertEquals(300, w.arm(10_500, 10_200));
  }

  @Test
  void afterFiringTheNextDueTimeArmsAgain() {
    DueWake w = new DueWake();
    w.arm(10_700, 10_000);
    w.fired();
    assertEquals(500, w.arm(11_500, 11_000));
  }

  @Test
  void aDueTimeAlreadyPastArmsTheShortestTimer() {
    DueWake w = new DueWake();
    assertEquals(1, w.arm(9_000, 10_000));
  }
}
