package dev.argus.llm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RollingRateTest {
  @Test
  void noCallsIsNotARate() {
    assertTrue(Double.isNaN(new RollingRate(300_000, 30).rate(0)));
  }

  @Test
  void oldOutcomesAgeOutOfTheWindow() {
    RollingRate r = new RollingRate(300_000, 30);
    r.record(false, 0);
    r.record(true, 200_000);
    assertEquals(0.5, r.rate(200_000));
    assertEquals(1.0, r.rate(310_000), "the failure at t=0 is older than five minutes");
  }
}
