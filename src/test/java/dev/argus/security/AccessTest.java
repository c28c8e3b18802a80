package dev.argus.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AccessTest {
  private final IngestToken dock = new IngestToken("dock-token-1", List.of("dock-"), 0);
  private final IngestToken any = new IngestToken("any-token-22", List.of(), 0);

  @Test
  void withoutTokensIngestIsOpenToAnyone() {
    IngestAccess open = new IngestAccess(List.of());
    assertTrue(open.open());
    assertSame(IngestAccess.OPEN, open.authenticate(null));
  }

  @Test
  void withTokensAMissingOrWrongCredentialIsRefused() {
    IngestAccess a = new IngestAccess(List.of(dock, any));
    assertNull(a.authenticate(null));
    assertNull(a.authenticate("dock-token-2"));
  }

  @Test
  void aConfiguredTokenIsRecognised() {
    assertEquals(any, new IngestAccess(List.of(dock, any)).authenticate("any-token-22"));
  }

  @Test
  void refusedNamesThePositionsOfCamerasOutsideTheTokensPrefixes() {
    assertEquals(List.of(1, 3), IngestAccess.refused(dock, List.of("dock-1", "yard-1", "dock-2", "gate")));
    assertEquals(List.of(), IngestAccess.refused(any, List.of("yard-1")));
  }

  @Test
  void adminWithoutATokenAnswersLoopbackOnly() {
    AdminAccess a = new AdminAccess("");
    assertEquals(AdminAccess.Verdict.ALLOWED, a.judge(null, "127.0.0.1"));
    assertEquals(AdminAccess.Verdict.ALLOWED, a.judge(null, "::1"));
    assertEquals(AdminAccess.Verdict.LOOPBACK_ONLY, a.judge(null, "10.1.2.3"));
    assertEquals(AdminAccess.Verdict.LOOPBACK_ONLY, a.judge("anything", null));
  }

  @Test
  void adminWithATokenWantsItFromEveryoneEvenLoopback() {
    AdminAccess a = new AdminAccess("admin-secret");
    assertEquals(AdminAccess.Verdict.UNAUTHORIZED, a.judge(null, "127.0.0.1"));
    assertEquals(AdminAccess.Verdict.UNAUTHORIZED, a.judge("wrong", "10.1.2.3"));
    assertEquals(AdminAccess.Verdict.ALLOWED, a.judge("admin-secret", "10.1.2.3"));
  }
}
