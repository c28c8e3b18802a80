package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class KeyRingTest {
  private static LlmKeySpec key(String id) {
    return new LlmKeySpec(id, "sk-" + id + "-secret", 1, 0, 0, 1, null, null);
  }

  private final KeyRing ring = new KeyRing(List.of(key("a"), key("b"), key("c")));

  @Test
  void keysAreTakenInTurn() {
    assertEquals(List.of("a", "b", "c", "a"), List.of(id(), id(), id(), id()));
  }

  @Test
  void aTaskNeverGetsAKeyItAlreadyTried() {
    assertEquals("b", ring.next(Set.of("a"), k -> true).spec.id());
    assertNull(ring.next(Set.of("a", "b", "c"), k -> true));
  }

  @Test
  void disabledAndUnusableKeysAreSkipped() {
    ring.disable(ring.keys().get(0), "401");
    assertEquals("b", id());
    assertEquals("c", ring.next(Set.of(), k -> !k.spec.id().equals("b")).spec.id());
    assertEquals(2, ring.activeCount());
  }

  @Test
  void successRateFollowsOutcomes() {
    KeyRing.Key k = ring.keys().get(0);
    ring.started(k);
    ring.finished(k, true, 1000);
    ring.started(k);
    ring.finished(k, false, 1000);
    assertEquals(0.5, k.successRate(1000));
    assertEquals(0, k.inFlight());
  }

  private String id() {
    return ring.next(Set.of(), k -> true).spec.id();
  }
}
