package dev.argus.llm;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** One dialect or refusal kind per test, with the values providers actually send. */
class ProviderSignalsTest {
  private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private static Function<String, String> headers(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m::get;
  }

  private static ProviderSignals read(int status, Function<String, String> h, String body) {
    return ProviderSignals.read(status, h, body == null ? null : new JsonObject(body), NOW);
  }

  @Test
  void openAiHeadersOnASuccessWithGoDurations() {
    ProviderSignals s = read(200, headers("x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "499",
        "x-ratelimit-reset-requests", "120ms", "x-ratelimit-limit-tokens", "30000",
        "x-ratelimit-remaining-tokens", "29000", "x-ratelimit-reset-tokens", "2m59.56s"), null);
    assertEquals(new ProviderSignals.Level(500, 499, 120), s.requests());
    assertEquals(new ProviderSignals.Level(30000, 29000, 179_560), s.tokens());
    assertNull(s.refusal());
    assertNull(s.retryAfterMs(), "a success asks for no wait");
  }

  @Test
  void goDurationsWithMinutesAndBareSecondsBothRead() {
    assertEquals(360_000, read(200, headers("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "6m0s"),
        null).requests().resetMs());
    assertEquals(1_500, read(200, headers("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.5"),
        null).requests().resetMs(), "Azure documents bare numbers: seconds");
  }

  @Test
  void azuresMinusOneAndGarbageAreUnknown() {
    assertFalse(read(200, headers("x-ratelimit-remaining-requests", "-1", "x-ratelimit-reset-requests", "1s"), null)
        .requests().known());
    assertFalse(read(200, headers("x-ratelimit-remaining-requests", "5", "x-ratelimit-reset-requests", "soon"), null)
        .requests().known());
  }

  @Test
  void anthropicHeadersWithRfc3339Resets() {
    ProviderSignals s = read(200, headers("anthropic-ratelimit-requests-limit", "50",
        "anthropic-ratelimit-requests-remaining", "49", "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:01.2Z",
        "anthropic-ratelimit-input-tokens-limit", "40000", "anthropic-ratelimit-input-tokens-remaining", "39000",
        "anthropic-ratelimit-input-tokens-reset", "2026-01-01T00:00:02Z"), null);
    assertEquals(new ProviderSignals.Level(50, 49, 1_200, true), s.requests(), "a time: counted from reading it");
    assertEquals(new ProviderSignals.Level(40000, 39000, 2_000, true), s.tokens());
  }

  @Test
  void retryAfterInSecondsAsAnHttpDateAndInMilliseconds() {
    assertEquals(20_000L, read(429, headers("retry-after", "20"), null).retryAfterMs());
    assertEquals(3_000L, read(429, headers("retry-after", "Thu, 01 Jan 2026 00:00:03 GMT"), null).retryAfterMs());
    assertEquals(1_234L, read(429, headers("retry-after", "2", "retry-after-ms", "1234"), null).retryAfterMs(),
        "retry-after-ms is the finer of the two");
  }

  @Test
  void geminiSaysEverythingInTheBody() {
    ProviderSignals s = read(429, headers(), """
        {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded",
          "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                       "violations": [{"quotaId": "GenerateRequestsPerMinutePerProjectPerModel"}]},
                      {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "58s"}]}}""");
    assertEquals(58_000L, s.retryAfterMs());
    assertEquals(RefusalKind.RATE, s.refusal());
  }

  @Test
  void geminiPerDayQuotaIsAQuotaNotARate() {
    assertEquals(RefusalKind.QUOTA, read(429, headers(), """
        {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded",
          "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                       "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel"}]}]}}""").refusal());
  }

  @Test
  void openAiRateLimitIsARate() {
    assertEquals(RefusalKind.RATE, read(429, headers("retry-after", "1"),
        "{\"error\": {\"code\": \"rate_limit_exceeded\", \"type\": \"requests\", \"message\": \"Rate limit reached\"}}").refusal());
  }

  @Test
  void openAiInsufficientQuotaIsMoney() {
    assertEquals(RefusalKind.QUOTA, read(429, headers(), """
        {"error": {"code": "insufficient_quota", "type": "insufficient_quota",
          "message": "You exceeded your current quota, please check your plan and billing details."}}""").refusal());
  }

  @Test
  void dashScopesAllocatedQuotaIsItsTpmNotMoney() {
    assertEquals(RefusalKind.RATE, read(429, headers(), """
        {"error": {"code": "insufficient_quota", "type": "insufficient_quota",
          "message": "Allocated quota exceeded, please increase your quota limit."}}""").refusal());
    assertEquals(RefusalKind.RATE, read(429, headers(),
        "{\"code\": \"Throttling.AllocationQuota\", \"message\": \"insufficient_quota\"}").refusal());
  }

  @Test
  void slowDownIsTold() {
    assertEquals(RefusalKind.SLOW_DOWN, read(429, headers(),
        "{\"error\": {\"code\": \"slow_down\", \"message\": \"Please reduce your rate\"}}").refusal());
    assertEquals(RefusalKind.SLOW_DOWN, read(429, headers(),
        "{\"code\": \"Throttling\", \"message\": \"Request rate increased too quickly\"}").refusal());
  }

  @Test
  void concurrencyIsTold() {
    assertEquals(RefusalKind.CONCURRENCY, read(429, headers(), """
        {"type": "error", "error": {"type": "rate_limit_error",
          "message": "Too many concurrent requests (concurrency_limit_exceeded)"}}""").refusal());
  }

  @Test
  void overloadedProvidersAreNotTheKeysRate() {
    assertEquals(RefusalKind.OVERLOADED, read(529, headers(),
        "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}").refusal());
    assertEquals(RefusalKind.OVERLOADED, read(503, headers(), null).refusal());
    assertEquals(RefusalKind.OVERLOADED, read(429, headers(),
        "{\"error\": {\"status\": \"RESOURCE_EXHAUSTED\", \"message\": \"Resource exhausted, please try again later.\"}}")
        .refusal(), "Vertex: no quota named, the platform is short");
  }

  @Test
  void paymentRequiredIsQuotaAndOtherStatusesAreNoRefusal() {
    assertEquals(RefusalKind.QUOTA, read(402, headers(), null).refusal());
    assertNull(read(401, headers(), null).refusal());
    assertNull(read(500, headers(), null).refusal());
  }

  @Test
  void usageIsReadInEachDialect() {
    assertEquals(420, read(200, headers(), "{\"usage\": {\"total_tokens\": 420}}").usedTokens());
    assertEquals(30, read(200, headers(), "{\"usage\": {\"input_tokens\": 10, \"output_tokens\": 20}}").usedTokens());
    assertEquals(77, read(200, headers(), "{\"usageMetadata\": {\"totalTokenCount\": 77}}").usedTokens());
    assertEquals(-1, read(200, headers(), "{}").usedTokens());
  }
}
