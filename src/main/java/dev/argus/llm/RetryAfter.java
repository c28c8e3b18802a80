package dev.argus.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the rate-limit headers of a refused call (429) into how long to wait, in milliseconds.
 *
 * <p>Sources, first usable one wins:
 * <ol>
 *   <li>{@code retry-after-ms}: milliseconds (decimal allowed, rounded up);</li>
 *   <li>{@code Retry-After}: seconds (decimal allowed) or an HTTP-date (RFC 1123, RFC 850 or asctime form),
 *       taken relative to {@code nowMs}; a date in the past means 0;</li>
 *   <li>{@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens}: OpenAI-style Go durations
 *       ({@code "1s"}, {@code "6m0s"}, {@code "20ms"}, {@code "1h2m3.5s"}); the larger of the two.</li>
 * </ol>
 * A value that does not parse (garbage, a sign, a bare number in a duration header) is skipped as if absent.
 * The result is never negative; absurdly large values saturate at {@link Long#MAX_VALUE}.
 */
public final class RetryAfter {
  private static final Pattern DECIMAL = Pattern.compile("\\d+(?:\\.\\d*)?|\\.\\d+");
  /** One component of a Go duration: a number and its unit. */
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
  private static final DateTimeFormatter RFC_850 =
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.US);

  private RetryAfter() {}

  /**
   * The wait the provider asked for, in milliseconds, or null when no header gives a usable value.
   *
   * @param header a header lookup; names are asked in lower case and, failing that, in their usual
   *               capitalisation, so a case-insensitive lookup (Vert.x {@code MultiMap}) is best
   * @param nowMs  the wall-clock time, for {@code Retry-After} given as an HTTP-date
   */
  public static Long parseMs(Function<String, String> header, long nowMs) {
    Long ms = decimalMs(get(header, "retry-after-ms", "Retry-After-Ms"), 0);
    if (ms != null) return ms;
    String retryAfter = get(header, "retry-after", "Retry-After");
    ms = decimalMs(retryAfter, 3);
    if (ms == null) ms = httpDateMs(retryAfter, nowMs);
    if (ms != null) return ms;
    Long requests = goDurationMs(get(header, "x-ratelimit-reset-requests", "X-Ratelimit-Reset-Requests"));
    Long tokens = goDurationMs(get(header, "x-ratelimit-reset-tokens", "X-Ratelimit-Reset-Tokens"));
    if (requests == null) return tokens;
    if (tokens == null) return requests;
    return Math.max(requests, tokens);
  }

  private static String get(Function<String, String> header, String lower, String usual) {
    String v = header.apply(lower);
    if (v == null) v = header.apply(usual);
    if (v == null) return null;
    v = v.trim();
    return v.isEmpty() ? null : v;
  }

  /** A non-negative decimal scaled by 10^{@code shift} to milliseconds, rounded up; null if not a decimal. */
  private static Long decimalMs(String v, int shift) {
    if (v == null || !DECIMAL.matcher(v).matches()) return null;
    return toMs(new BigDecimal(v).movePointRight(shift));
  }

  private static Long httpDateMs(String v, long nowMs) {
    if (v == null) return null;
    Long at = parseHttpDate(v, nowMs);
    return at == null ? null : Math.max(0, at - nowMs);
  }

  static Long parseHttpDate(String v, long nowMs) {
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException ignored) {
      // try the obsolete forms HTTP/1.1 recipients must still accept
    }
    try {
      ZonedDateTime t = ZonedDateTime.parse(v, RFC_850);
      // A two-digit year more than 50 years ahead means the previous century (RFC 9110 §5.6.7).
      if (t.toInstant().isAfter(Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC).plusYears(50).toInstant())) {
        t = t.minusYears(100);
      }
      return t.toInstant().toEpochMilli();
    } catch (DateTimeParseException ignored) {
      // next form
    }
    try {
      return LocalDateTime.parse(v.replaceAll("\\s+", " "), ASCTIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException ignored) {
      return null;
    }
  }

  /** A Go duration ({@code 1h2m3.5s}, {@code 20ms}, {@code 0}) in milliseconds, rounded up; null if not one. */
  static Long goDurationMs(String v) {
    if (v == null) return null;
    if (v.equals("0")) return 0L;
    Matcher m = DURATION_PART.matcher(v);
    BigDecimal ms = BigDecimal.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      BigDecimal n = new BigDecimal(m.group(1));
      ms = ms.add(switch (m.group(2)) {
        case "h" -> n.multiply(BigDecimal.valueOf(3_600_000));
        case "m" -> n.multiply(BigDecimal.valueOf(60_000));
        case "s" -> n.movePointRight(3);
        case "ms" -> n;
        case "ns" -> n.movePointLeft(6);
        default -> n.movePointLeft(3); // us, µs, μs
      });
      end = m.end();
    }
    return end == v.length() && end > 0 ? toMs(ms) : null;
  }

  private static long toMs(BigDecimal ms) {
    BigDecimal up = ms.setScale(0, RoundingMode.CEILING);
    return up.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : up.longValue();
  }
}
