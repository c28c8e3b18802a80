package dev.argus.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a provider said about a key's limits on one reply, successes included (../shared/PROVIDER-LIMITS.md):
 * where the request and token counters stand, how long to wait, which kind of refusal it was, and how many
 * tokens the call used.
 *
 * <p>Dialects read: OpenAI/Azure/Groq {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} (resets as Go
 * durations {@code 6m0s}, {@code 12ms}, or bare seconds); Anthropic
 * {@code anthropic-ratelimit-{requests,tokens,input-tokens}-{limit,remaining,reset}} (resets as RFC 3339 times);
 * Together's older {@code x-ratelimit-{limit,remaining,reset}}; {@code retry-after} (seconds or HTTP date) and
 * {@code retry-after-ms}; Gemini's body {@code RetryInfo.retryDelay} and {@code QuotaFailure.violations[].quotaId}.
 * Values that do not parse, and Azure's {@code -1}, are unknown.
 */
public record ProviderSignals(Level requests, Level tokens, Long retryAfterMs, RefusalKind refusal, long usedTokens) {
  /**
   * One counter as the provider reports it; -1 = not said. {@code resetMs}: until it is fully replenished,
   * counted from when the provider answered ({@code x-ratelimit-reset-*}), or, when {@code resetFromReading},
   * from when the reply was read (an absolute time, Anthropic's: the reply's trip back is already spent).
   */
  public record Level(long limit, long remaining, long resetMs, boolean resetFromReading) {
    static final Level UNKNOWN = new Level(-1, -1, -1, false);

    public Level(long limit, long remaining, long resetMs) {
      this(limit, remaining, resetMs, false);
    }

    public boolean known() {
      return remaining >= 0 && resetMs >= 0;
    }
  }

  public static final ProviderSignals NONE = new ProviderSignals(Level.UNKNOWN, Level.UNKNOWN, null, null, -1);

  /**
   * Reads one reply. {@code body} may be null (not JSON); {@code header} looks names up case-insensitively
   * (Vert.x {@code MultiMap}) or in lower case.
   */
  public static ProviderSignals read(int status, Function<String, String> header, JsonObject body, long nowMs) {
    Level requests = openAi(header, "requests");
    if (!requests.known()) requests = anthropic(header, "requests", nowMs);
    if (!requests.known()) requests = level(header.apply("x-ratelimit-limit"), header.apply("x-ratelimit-remaining"),
        seconds(header.apply("x-ratelimit-reset")));
    Level tokens = openAi(header, "tokens");
    if (!tokens.known()) tokens = anthropic(header, "tokens", nowMs);
    if (!tokens.known()) tokens = anthropic(header, "input-tokens", nowMs);
    boolean refused = status / 100 != 2;
    Long retryAfter = null;
    if (refused) {
      retryAfter = waitHeaders(header, nowMs);
      if (retryAfter == null) retryAfter = geminiRetryDelayMs(body);
    }
    RefusalKind kind = refused ? classify(status, header, body) : null;
    return new ProviderSignals(requests, tokens, retryAfter, kind, refused ? -1 : usedTokens(body));
  }

  /**
   * The kind of refusal a non-2xx reply is, or null when it is none of them (auth, a bad request, another
   * 5xx). DashScope's "Allocated quota exceeded" and {@code Throttling.*} codes are rates (its TPM), although
   * they say "quota"; OpenAI's {@code insufficient_quota} is money.
   */
  public static RefusalKind classify(int status, Function<String, String> header, JsonObject body) {
    if (status == 402) return RefusalKind.QUOTA;
    if (status == 503 || status == 529) return RefusalKind.OVERLOADED;
    if (status != 429) return null;
    String text = errorText(body);
    if (text.contains("slow_down") || text.contains("increased too quickly") || text.contains("acceleration")) {
      return RefusalKind.SLOW_DOWN;
    }
    if (text.contains("throttling") || text.contains("allocated quota exceeded")) return RefusalKind.RATE;
    if (text.contains("concurren")) return RefusalKind.CONCURRENCY;
    // Vertex's "Resource exhausted, please try again later" names no quota: the platform is short, not the key
    if (text.contains("overloaded")
        || (text.contains("try again later") && !text.contains("rate limit") && !text.contains("quotaid"))) {
      return RefusalKind.OVERLOADED;
    }
    if (text.contains("perday")) return RefusalKind.QUOTA;
    if (text.contains("insufficient_quota") || text.contains("billing") || text.contains("spend_limit")
        || text.contains("credit_balance") || text.contains("exceeded your current quota")) {
      return RefusalKind.QUOTA;
    }
    return RefusalKind.RATE;
  }

  /** The error's codes, types, statuses, messages and Gemini quota ids, lower case, for {@link #classify}. */
  private static String errorText(JsonObject body) {
    if (body == null) return "";
    StringBuilder sb = new StringBuilder();
    appendFields(sb, body);
    if (body.getValue("error") instanceof JsonObject e) {
      appendFields(sb, e);
      if (e.getValue("details") instanceof JsonArray details) {
        for (Object d : details) {
          if (!(d instanceof JsonObject o) || !(o.getValue("violations") instanceof JsonArray vs)) continue;
          for (Object v : vs) {
            if (v instanceof JsonObject vo) sb.append(" quotaid:").append(vo.getValue("quotaId"));
          }
        }
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static void appendFields(StringBuilder sb, JsonObject o) {
    for (String f : new String[] {"code", "type", "status", "message"}) {
      Object v = o.getValue(f);
      if (v instanceof String || v instanceof Number) sb.append(' ').append(v);
    }
  }

  private static Level openAi(Function<String, String> header, String unit) {
    return level(header.apply("x-ratelimit-limit-" + unit), header.apply("x-ratelimit-remaining-" + unit),
        duration(header.apply("x-ratelimit-reset-" + unit)));
  }

  private static Level anthropic(Function<String, String> header, String unit, long nowMs) {
    String prefix = "anthropic-ratelimit-" + unit + "-";
    Level l = level(header.apply(prefix + "limit"), header.apply(prefix + "remaining"),
        untilRfc3339(header.apply(prefix + "reset"), nowMs));
    return l.known() ? new Level(l.limit(), l.remaining(), l.resetMs(), true) : l;
  }

  private static Level level(String limit, String remaining, Long resetMs) {
    long r = count(remaining);
    if (r < 0 || resetMs == null) return Level.UNKNOWN;
    return new Level(count(limit), r, resetMs);
  }

  /** A non-negative integer, else -1 (absent, garbage, Azure's -1). */
  private static long count(String v) {
    if (v == null) return -1;
    try {
      return Math.max(-1, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A Go duration, or a bare number of seconds (Azure's docs, Together). */
  private static Long duration(String v) {
    if (v == null || v.isBlank()) return null;
    Long ms = seconds(v);
    return ms != null ? ms : RetryAfter.goDurationMs(v.trim());
  }

  private static Long seconds(String v) {
    return decimalMs(v, 3);
  }

  /** A non-negative decimal times 10^{@code shift}, rounded up to whole milliseconds; null if not one. */
  private static Long decimalMs(String v, int shift) {
    if (v == null) return null;
    try {
      BigDecimal d = new BigDecimal(v.trim());
      return d.signum() < 0 ? null : d.movePointRight(shift).setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static Long untilRfc3339(String v, long nowMs) {
    if (v == null || v.isBlank()) return null;
    try {
      return Math.max(0, OffsetDateTime.parse(v.trim()).toInstant().toEpochMilli() - nowMs);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code retry-after-ms}, then {@code retry-after} (seconds or HTTP date). */
  private static Long waitHeaders(Function<String, String> header, long nowMs) {
    Long ms = decimalMs(header.apply("retry-after-ms"), 0);
    if (ms != null) return ms;
    String ra = header.apply("retry-after");
    if (ra == null || ra.isBlank()) return null;
    ms = seconds(ra);
    if (ms != null) return ms;
    Long at = RetryAfter.parseHttpDate(ra.trim(), nowMs);
    return at == null ? null : Math.max(0, at - nowMs);
  }

  /** Gemini: {@code error.details[]} with {@code @type ...RetryInfo} and {@code retryDelay: "58s"}. */
  private static Long geminiRetryDelayMs(JsonObject body) {
    if (body == null || !(body.getValue("error") instanceof JsonObject e) || !(e.getValue("details") instanceof JsonArray ds)) {
      return null;
    }
    for (Object d : ds) {
      if (d instanceof JsonObject o && o.getValue("retryDelay") instanceof String delay) {
        Long ms = RetryAfter.goDurationMs(delay.trim());
        if (ms != null) return ms;
      }
    }
    return null;
  }

  /** {@code usage.total_tokens} (OpenAI), input + output (Anthropic), {@code usageMetadata.totalTokenCount} (Gemini). */
  private static long usedTokens(JsonObject body) {
    if (body == null) return -1;
    if (body.getValue("usage") instanceof JsonObject u) {
      if (u.getValue("total_tokens") instanceof Number n) return n.longValue();
      if (u.getValue("input_tokens") instanceof Number in && u.getValue("output_tokens") instanceof Number out) {
        return in.longValue() + out.longValue();
      }
    }
    if (body.getValue("usageMetadata") instanceof JsonObject g && g.getValue("totalTokenCount") instanceof Number n) {
      return n.longValue();
    }
    return -1;
  }
}
