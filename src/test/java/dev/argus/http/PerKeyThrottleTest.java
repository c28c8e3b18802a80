package dev.argus.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PerKeyThrottleTest {
  @Test
  void oneEventPerKeyPerInterval() {
    PerKeyThrottle t = new PerKeyThrottle(250);
    assertTrue(t.allow("cam-1", 0));
    assertFalse(t.allow("cam-1", 249));
    assertTrue(t.allow("cam-2", 249), "keys are independent");
    assertTrue(t.allow("cam-1", 250));
  }
}
