package dev.argus.demo.provider;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverloadBurstsTest {
  @Test
  void withoutBurstsTheProviderIsNeverOverloaded() {
    ManualClock clock = new ManualClock(0);
    OverloadBursts b = new OverloadBursts(0, 1_000_000_000L, clock, new Random(7));
    int overloaded = 0;
    for (int i = 0; i < 60_000; i++, clock.advanceMs(10)) if (b.overloaded()) overloaded++;
    assertEquals(0, overloaded);
  }

  @Test
  void oneSecondBurstAMinuteOverloadsAboutOneSixtiethOfTheTime() {
    ManualClock clock = new ManualClock(0);
    OverloadBursts b = new OverloadBursts(1, 1_000_000_000L, clock, new Random(7));
    int overloaded = 0, n = 360_000; // one hour in 10 ms steps
    for (int i = 0; i < n; i++, clock.advanceMs(10)) if (b.overloaded()) overloaded++;
    double share = (double) overloaded / n;
    assertTrue(share > 0.008 && share < 0.03, "overloaded share " + share);
  }
}
