package dev.argus.model;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CameraMapsTest {
  @Test
  void theLeastRecentlyUsedCameraGoesFirstOnceTheBoundIsPassed() {
    Map<String, Integer> m = CameraMaps.leastRecentOut(2);
    m.put("a", 1);
    m.put("b", 2);
    m.get("a");            // a is now more recent than b
    m.put("c", 3);
    assertEquals(Set.of("a", "c"), m.keySet());
    for (int i = 0; i < 1_000; i++) m.computeIfAbsent("churn-" + i, k -> 0);
    assertEquals(2, m.size(), "a producer cycling ids cannot grow it");
  }
}
