package dev.argus.ingest;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverloadGuardTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger pending = new AtomicInteger();
  /** The next "random" draw: 0.5 unless a test says otherwise. */
  private double draw = 0.5;
  private final OverloadGuard guard = new OverloadGuard(200, 1000, pending::get, now::get, () -> draw);

  /** One probe period of 20 ms that fired {@code lateMs} late. */
  private void sample(long lateMs) {
    guard.armed(20);
    now.addAndGet((20 + lateMs) * 1_000_000L);
    guard.fired();
  }

  @Test
  void anIdleLoopAdmitsWrites() {
    for (int i = 0; i < 100; i++) sample(0);
    assertNull(guard.refusal());
    assertEquals(0.0, guard.delayMs(), 1e-9);
  }

  @Test
  void oneLongPauseIsNotOverload() {
    for (int i = 0; i < 50; i++) sample(1);
    sample(900); // a GC pause
    assertNull(guard.refusal(), "one late sample is smoothed away: " + guard.delayMs());
  }

  @Test
  void aLoopRunningLateForAWhileRefusesAndRecovers() {
    for (int i = 0; i < 30; i++) sample(500);
    String why = guard.refusal();
    assertNotNull(why);
    assertTrue(why.contains("late"), why);
    for (int i = 0; i < 60; i++) sample(0);
    assertNull(guard.refusal(), "back on time: " + guard.delayMs());
  }

  @Test
  void theShareRefusedGrowsFromNoneAtTheLimitToAllAtTwiceIt() {
    for (int i = 0; i < 200; i++) sample(300); // settles at 300 ms: half-way from the limit to twice it
    assertEquals(300, guard.delayMs(), 1);
    draw = 0.45;
    assertNotNull(guard.refusal(), "a draw under the share (0.5) is refused");
    draw = 0.55;
    assertNull(guard.refusal(), "a draw over the share is let in");
    for (int i = 0; i < 200; i++) sample(450);
    draw = 0.999;
    assertNotNull(guard.refusal(), "past twice the limit every write is refused");
  }

  @Test
  void writesWaitingForTheBrokerPastTheCapRefuse() {
    pending.set(999);
    assertNull(guard.refusal());
    pending.set(1000);
    assertTrue(guard.refusal().contains("waiting for the broker"));
  }

  @Test
  void aZeroLimitTurnsTheDelayCheckOff() {
    OverloadGuard off = new OverloadGuard(0, 1000, pending::get, now::get);
    off.armed(20);
    now.addAndGet(5_000_000_000L);
    off.fired();
    assertNull(off.refusal());
  }
}
