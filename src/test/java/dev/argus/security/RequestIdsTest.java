package dev.argus.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RequestIdsTest {
  private final RequestIds ids = new RequestIds(() -> "generated");

  @Test
  void aPlainIncomingIdIsKept() {
    assertEquals("abc-123_x.y:z", ids.idFor("abc-123_x.y:z"));
  }

  @Test
  void noIncomingIdGetsAFreshOne() {
    assertEquals("generated", ids.idFor(null));
    assertEquals("generated", ids.idFor(""));
  }

  @Test
  void anIdThatCouldForgeLogLinesIsReplaced() {
    assertEquals("generated", ids.idFor("abc\nINFO forged"));
    assertEquals("generated", ids.idFor("<script>"));
    assertEquals("generated", ids.idFor("a b"));
  }

  @Test
  void anOverlongIdIsReplaced() {
    assertEquals("x".repeat(64), ids.idFor("x".repeat(64)));
    assertEquals("generated", ids.idFor("x".repeat(65)));
  }
}
