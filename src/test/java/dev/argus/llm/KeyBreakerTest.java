package dev.argus.llm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KeyBreakerTest {
  private final long[] now = {1_000_000_000_000L};
  private final KeyBreaker b = new KeyBreaker(3, 5_000, 5_000, () -> now[0]);

  private void advanceMs(long ms) {
    now[0] += ms * 1_000_000L;
  }

  @Test
  void opensAfterMaxFailuresAndASuccessForgetsThem() {
    assertFalse(b.failed());
    assertFalse(b.failed());
    b.succeeded();
    assertFalse(b.failed());
    assertFalse(b.failed());
    assertTrue(b.allows(), "two failures since the last success");
    assertTrue(b.failed(), "the third in a row opens it");
    assertEquals(KeyBreaker.State.OPEN, b.state());
    assertFalse(b.tryCall());
  }

  @Test
  void failuresOutsideTheRollingWindowDoNotCount() {
    b.failed();
    b.failed();
    advanceMs(KeyBreaker.ROLLING_WINDOW_MS + 1);
    assertFalse(b.failed(), "the first two are too old");
    assertEquals(KeyBreaker.State.CLOSED, b.state());
  }

  @Test
  void halfOpenLetsOneTrialThroughWhichClosesOrReopensIt() {
    for (int i = 0; i < 3; i++) b.failed();
    advanceMs(4_999);
    assertFalse(b.allows(), "still open");
    advanceMs(1);
    assertEquals(KeyBreaker.State.HALF_OPEN, b.state());
    assertTrue(b.tryCall());
    assertFalse(b.tryCall(), "one trial at a time");
    assertTrue(b.failed(), "the trial failed: open again");
    assertFalse(b.allows());
    advanceMs(5_000);
    assertTrue(b.tryCall());
    b.succeeded();
    assertEquals(KeyBreaker.State.CLOSED, b.state());
    assertTrue(b.tryCall() && b.tryCall(), "closed: any number of calls");
  }

  @Test
  void aLateFailureOfACallSentBeforeItOpenedDoesNotReopenIt() {
    for (int i = 0; i < 3; i++) b.failed();
    advanceMs(1_000);
    assertFalse(b.failed());
    advanceMs(4_000);
    assertEquals(KeyBreaker.State.HALF_OPEN, b.state(), "the reset timeout counts from when it opened");
  }

  @Test
  void eachFailedTrialDoublesTheWaitUpToTheMaximumAndASuccessStartsOver() {
    KeyBreaker g = new KeyBreaker(3, 1_000, 5_000, () -> now[0]);
    for (int i = 0; i < 3; i++) g.failed();
    assertEquals(1_000, g.waitMs(), "the first opening waits firstResetMs");
    long[] expected = {2_000, 4_000, 5_000, 5_000};
    for (long wait : expected) {
      advanceMs(g.waitMs() - 1);
      assertFalse(g.allows(), "still open");
      advanceMs(1);
      assertTrue(g.tryCall(), "half-open after " + g.waitMs() + " ms");
      assertTrue(g.failed(), "the trial failed: open again");
      assertEquals(wait, g.waitMs(), "the wait doubled, capped at the maximum");
    }
    advanceMs(5_000);
    assertTrue(g.tryCall());
    g.succeeded();
    for (int i = 0; i < 3; i++) g.failed();
    assertEquals(1_000, g.waitMs(), "after a success the next opening is short again");
    advanceMs(1_000);
    assertEquals(KeyBreaker.State.HALF_OPEN, g.state());
  }
}
