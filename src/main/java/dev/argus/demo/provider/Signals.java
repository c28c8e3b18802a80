package dev.argus.demo.provider;

import dev.argus.demo.provider.ProviderModel.Dialect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the simulated provider says, in the dialect of a real one (see ../shared/PROVIDER-LIMITS.md):
 * OpenAI's {@code x-ratelimit-*} on every reply with Go-duration resets, {@code retry-after} in seconds or
 * as an HTTP date and {@code retry-after-ms}; Anthropic's {@code anthropic-ratelimit-*} with RFC 3339
 * resets; Gemini's RESOURCE_EXHAUSTED body with {@code RetryInfo.retryDelay} and no headers; and
 * {@code none}: the legacy simulator's {@code retry-after}/{@code retry-after-ms} on 429 only.
 */
public final class Signals {
  private Signals() {}

  /** One reply: status, headers, JSON body (null for the success headers alone). */
  public record Reply(int status, Map<String, String> headers, JsonObject body) {}

  /** Headers for a reply to an admitted call (successes included, as real providers send them). */
  public static Map<String, String> levelHeaders(Dialect d, List<Limit.Level> levels, long nowNanos) {
    Map<String, String> h = new LinkedHashMap<>();
    for (Limit.Level l : levels) {
      String unit = l.unit() == Unit.REQUESTS ? "requests" : "tokens";
      if (d == Dialect.OPENAI) {
        h.put("x-ratelimit-limit-" + unit, String.valueOf(l.limit()));
        h.put("x-ratelimit-remaining-" + unit, String.valueOf(l.remaining()));
        h.put("x-ratelimit-reset-" + unit, goDuration(l.resetNanos()));
      } else if (d == Dialect.ANTHROPIC) {
        h.put("anthropic-ratelimit-" + unit + "-limit", String.valueOf(l.limit()));
        h.put("anthropic-ratelimit-" + unit + "-remaining", String.valueOf(l.remaining()));
        h.put("anthropic-ratelimit-" + unit + "-reset", rfc3339(nowNanos + l.resetNanos()));
      }
    }
    return h;
  }

  /**
   * A 429 for {@code kind} after {@code waitNanos}; {@code asDate} writes {@code retry-after} as an HTTP
   * date (some providers do) rather than seconds.
   */
  public static Reply refused(Dialect d, Refusal kind, Unit unit, long waitNanos, List<Limit.Level> levels, long nowNanos,
                              boolean asDate) {
    Map<String, String> h = levelHeaders(d, levels, nowNanos);
    boolean recovers = kind != Refusal.QUOTA;
    long waitMs = Math.max(1, Math.min(waitNanos, 3_600_000_000_000L) / 1_000_000L);
    long waitS = Math.max(1, (waitMs + 999) / 1000);
    String message = switch (kind) {
      // as OpenAI words it: which counter ran out
      case RATE -> unit == Unit.TOKENS ? "Rate limit reached on tokens per min (TPM). Please try again later."
          : "Rate limit reached on requests. Please try again later.";
      case CONCURRENCY -> "Too many concurrent requests for this key.";
      case QUOTA -> "You exceeded your current quota, please check your plan and billing details.";
      case SLOW_DOWN -> "Please reduce your rate of requests: traffic increased too quickly.";
    };
    if (d == Dialect.GEMINI) {
      JsonArray details = new JsonArray().add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
          .put("violations", new JsonArray().add(new JsonObject()
              .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_requests")
              .put("quotaId", recovers ? "GenerateRequestsPerMinutePerProjectPerModel" : "GenerateRequestsPerDayPerProjectPerModel"))));
      if (recovers) {
        details.add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", waitS + "s"));
      }
      return new Reply(429, Map.of(), new JsonObject().put("error", new JsonObject().put("code", 429)
          .put("message", message).put("status", "RESOURCE_EXHAUSTED").put("details", details)));
    }
    if (recovers) {
      h.put("retry-after", asDate ? httpDate(nowNanos + waitS * 1_000_000_000L) : String.valueOf(waitS));
      if (d != Dialect.ANTHROPIC) h.put("retry-after-ms", String.valueOf(waitMs));
    }
    if (d == Dialect.ANTHROPIC) {
      String type = kind == Refusal.QUOTA ? "billing_error" : "rate_limit_error";
      return new Reply(429, h, anthropicError(type, message + " (" + kind.code + ")"));
    }
    return new Reply(429, h, openAiError(kind.code, message));
  }

  public static Reply overloaded(Dialect d, int status) {
    if (d == Dialect.ANTHROPIC) return new Reply(status, Map.of(), anthropicError("overloaded_error", "Overloaded"));
    if (d == Dialect.GEMINI) {
      return new Reply(status, Map.of(), new JsonObject().put("error", new JsonObject().put("code", status)
          .put("message", "The model is overloaded. Please try again later.").put("status", "UNAVAILABLE")));
    }
    return new Reply(status, Map.of(), openAiError("server_is_overloaded", "The server is overloaded or not ready yet."));
  }

  public static Reply unauthorized(Dialect d) {
    if (d == Dialect.ANTHROPIC) return new Reply(401, Map.of(), anthropicError("authentication_error", "invalid x-api-key"));
    if (d == Dialect.GEMINI) {
      return new Reply(401, Map.of(), new JsonObject().put("error", new JsonObject().put("code", 401)
          .put("message", "API key not valid. Please pass a valid API key.").put("status", "UNAUTHENTICATED")));
    }
    return new Reply(401, Map.of(), openAiError("invalid_api_key", "Incorrect API key provided."));
  }

  public static JsonObject openAiError(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", code).put("code", code));
  }

  private static JsonObject anthropicError(String type, String message) {
    return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type).put("message", message));
  }

  /** Go's time.Duration.String() at millisecond precision: {@code 12ms}, {@code 1.5s}, {@code 6m0s}. */
  public static String goDuration(long nanos) {
    long ms = Math.max(0, (nanos + 500_000) / 1_000_000);
    if (ms == 0) return nanos > 0 ? "1ms" : "0s";
    if (ms < 1000) return ms + "ms";
    long h = ms / 3_600_000, m = ms / 60_000 % 60;
    String s = BigDecimal.valueOf(ms % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
    return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + s;
  }

  static String rfc3339(long epochNanos) {
    // rounded up to the second: the bucket is surely full by then
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond((epochNanos + 999_999_999L) / 1_000_000_000L));
  }

  static String httpDate(long epochNanos) {
    long secs = (epochNanos + 999_999_999L) / 1_000_000_000L; // rounded up: never earlier than the wait
    return DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
        .format(Instant.ofEpochSecond(secs).atOffset(ZoneOffset.UTC));
  }
}
