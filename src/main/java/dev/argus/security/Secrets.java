package dev.argus.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparing and showing secrets without leaking them. */
public final class Secrets {
  private Secrets() {}

  /** Constant-time comparison, so response timing says nothing about how much of a guess was right. */
  public static boolean same(String given, String expected) {
    if (given == null || expected == null) return false;
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** The last four characters at most (none for short secrets), so operators can tell tokens apart. */
  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) return "";
    return secret.length() < 12 ? "****" : "****" + secret.substring(secret.length() - 4);
  }
}
