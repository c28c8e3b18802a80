package dev.argus.security;

/**
 * Who may use the admin endpoints (key enable/disable, replay). With an admin token set, whoever presents
 * it. Without one, a protected mode like Redis's: clients on loopback only, since anyone who can reach
 * the port from elsewhere could otherwise switch keys off.
 */
public final class AdminAccess {
  public enum Verdict { ALLOWED, UNAUTHORIZED, LOOPBACK_ONLY }

  private final String adminToken;

  public AdminAccess(String adminToken) {
    this.adminToken = adminToken == null ? "" : adminToken;
  }

  public Verdict judge(String presentedToken, String clientAddress) {
    if (adminToken.isEmpty()) return Loopback.isLoopback(clientAddress) ? Verdict.ALLOWED : Verdict.LOOPBACK_ONLY;
    return Secrets.same(presentedToken, adminToken) ? Verdict.ALLOWED : Verdict.UNAUTHORIZED;
  }
}
