package dev.argus.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BearerTest {
  @Test
  void theTokenFollowsTheSchemeWhateverItsCase() {
    assertEquals("abc", Bearer.token("Bearer abc"));
    assertEquals("abc", Bearer.token("bearer  abc "));
  }

  @Test
  void otherSchemesAndEmptyCredentialsGiveNone() {
    assertNull(Bearer.token(null));
    assertNull(Bearer.token("Basic YWJj"));
    assertNull(Bearer.token("Bearer "));
    assertNull(Bearer.token("Bearerabc"));
  }

  @Test
  void anAbsurdlyLongHeaderGivesNone() {
    assertNull(Bearer.token("Bearer " + "a".repeat(2000)));
  }

  @Test
  void secretsCompareByValueAndMaskToTheirTail() {
    assertTrue(Secrets.same("abc", "abc"));
    assertFalse(Secrets.same("abc", "abd"));
    assertFalse(Secrets.same(null, "abc"));
    assertEquals("****", Secrets.mask("short"));
    assertEquals("****6789", Secrets.mask("abcdef0123456789"));
  }
}
