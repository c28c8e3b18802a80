package dev.argus.model;

import java.time.Instant;

/** Wire form of instants: ISO-8601 UTC strings. */
public final class Times {
  private Times() {}

  public static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  public static long parse(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }
}
