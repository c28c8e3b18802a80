package dev.argus.model;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Wire form of instants: ISO-8601 UTC strings. */
public final class Times {
  private Times() {}

  public static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  public static long parse(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /**
   * A frame's ISO-8601 timestamp, with an offset or in UTC ({@code Z}), in epoch ms; null when it is neither,
   * or when it is a valid instant that epoch milliseconds cannot hold (year +999999999 overflows a long).
   */
  public static Long frameMillis(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException ignored) {
        return null;
      }
    }
  }
}
