package dev.argus.demo.provider;

import dev.argus.demo.provider.ProviderModel.Dialect;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalsTest {
  private static final long NOW = 1_800_000_000L * 1_000_000_000L; // 2027-01-15T08:00:00Z
  private static final List<Limit.Level> LEVELS = List.of(new Limit.Level(Unit.REQUESTS, 600, 599, 100_000_000L),
      new Limit.Level(Unit.TOKENS, 150000, 149000, 360_000_000_000L));

  @Test
  void goDurationsLookLikeOpenAis() {
    assertEquals("12ms", Signals.goDuration(12_000_000L));
    assertEquals("1.5s", Signals.goDuration(1_500_000_000L));
    assertEquals("6m0s", Signals.goDuration(360_000_000_000L));
    assertEquals("2m59.56s", Signals.goDuration(179_560_000_000L));
    assertEquals("0s", Signals.goDuration(0));
  }

  @Test
  void openAiHeadersOnEveryReply() {
    Map<String, String> h = Signals.levelHeaders(Dialect.OPENAI, LEVELS, NOW);
    assertEquals("600", h.get("x-ratelimit-limit-requests"));
    assertEquals("599", h.get("x-ratelimit-remaining-requests"));
    assertEquals("100ms", h.get("x-ratelimit-reset-requests"));
    assertEquals("6m0s", h.get("x-ratelimit-reset-tokens"));
  }

  @Test
  void anthropicResetsAreRfc3339Timestamps() {
    Map<String, String> h = Signals.levelHeaders(Dialect.ANTHROPIC, LEVELS, NOW);
    assertEquals("2027-01-15T08:06:00Z", h.get("anthropic-ratelimit-tokens-reset"));
    assertEquals("600", h.get("anthropic-ratelimit-requests-limit"));
  }

  @Test
  void openAi429SaysRetryAfterInSecondsAndMilliseconds() {
    Signals.Reply r = Signals.refused(Dialect.OPENAI, Refusal.RATE, Unit.REQUESTS, 1_200_000_000L, LEVELS, NOW, false);
    assertEquals(429, r.status());
    assertEquals("2", r.headers().get("retry-after"));
    assertEquals("1200", r.headers().get("retry-after-ms"));
    assertEquals("rate_limit_exceeded", r.body().getJsonObject("error").getString("code"));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    Signals.Reply r = Signals.refused(Dialect.OPENAI, Refusal.RATE, Unit.REQUESTS, 1_200_000_000L, LEVELS, NOW, true);
    assertEquals("Fri, 15 Jan 2027 08:00:02 GMT", r.headers().get("retry-after"));
  }

  @Test
  void exhaustedQuotaCarriesNoRetryAfter() {
    Signals.Reply r = Signals.refused(Dialect.OPENAI, Refusal.QUOTA, Unit.REQUESTS, Long.MAX_VALUE, LEVELS, NOW, false);
    assertFalse(r.headers().containsKey("retry-after"));
    assertEquals("insufficient_quota", r.body().getJsonObject("error").getString("code"));
  }

  @Test
  void concurrencyRefusalIsToldApartFromRate() {
    Signals.Reply r = Signals.refused(Dialect.OPENAI, Refusal.CONCURRENCY, Unit.REQUESTS, 1_000_000L, LEVELS, NOW, false);
    assertEquals("concurrency_limit_exceeded", r.body().getJsonObject("error").getString("code"));
  }

  @Test
  void geminiSendsNoHeadersAndARetryDelayInTheBody() {
    Signals.Reply r = Signals.refused(Dialect.GEMINI, Refusal.RATE, Unit.REQUESTS, 57_300_000_000L, LEVELS, NOW, false);
    assertTrue(r.headers().isEmpty());
    assertEquals("RESOURCE_EXHAUSTED", r.body().getJsonObject("error").getString("status"));
    assertTrue(r.body().encode().contains("\"retryDelay\":\"58s\""));
  }

  @Test
  void anthropicOverloadIs529() {
    Signals.Reply r = Signals.overloaded(Dialect.ANTHROPIC, 529);
    assertEquals(529, r.status());
    assertEquals("overloaded_error", r.body().getJsonObject("error").getString("type"));
  }
}
