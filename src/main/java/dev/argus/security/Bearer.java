package dev.argus.security;

import java.util.Locale;

/** Reads the credential of an {@code Authorization: Bearer <token>} header (RFC 6750: the scheme is case-insensitive). */
public final class Bearer {
  private static final int MAX_LENGTH = 1024;

  private Bearer() {}

  /** The token, or null when the header is absent, of another scheme, empty or absurdly long. */
  public static String token(String authorization) {
    if (authorization == null || authorization.length() > MAX_LENGTH) return null;
    String h = authorization.trim();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) return null;
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
  }
}
