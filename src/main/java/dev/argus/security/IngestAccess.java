package dev.argus.security;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may post frames. With no tokens configured ingest is open (the default, for a gateway on a
 * trusted network); with tokens, a request must present one of them, and may post only for the
 * cameras its prefixes allow.
 */
public final class IngestAccess {
  /** What an anonymous producer is, when no tokens are configured: every camera, no limit of its own. */
  public static final IngestToken OPEN = new IngestToken("open-ingest", List.of(), 0);

  private final List<IngestToken> tokens;

  public IngestAccess(List<IngestToken> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  public boolean open() {
    return tokens.isEmpty();
  }

  /** The token the credential names, {@link #OPEN} when ingest is open, or null (401). */
  public IngestToken authenticate(String presented) {
    if (tokens.isEmpty()) return OPEN;
    if (presented == null) return null;
    IngestToken match = null;
    // Compare against every token (constant time each), so timing does not tell which one was close.
    for (IngestToken t : tokens) {
      if (Secrets.same(presented, t.token())) match = t;
    }
    return match;
  }

  /** The positions (0-based) of the camera ids the token may not post for; empty when all are allowed. */
  public static List<Integer> refused(IngestToken token, List<String> cameraIds) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < cameraIds.size(); i++) {
      if (!token.allows(cameraIds.get(i))) out.add(i);
    }
    return out;
  }
}
