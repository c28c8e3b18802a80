package dev.argus.llm;

/**
 * Why a provider refused a call, as ../shared/PROVIDER-LIMITS.md tells the kinds apart; each asks the pool
 * for something different.
 */
public enum RefusalKind {
  /** A request or token rate: cool the key's account until the provider's wait, then carry on. */
  RATE("rate"),
  /** Too many calls in flight on the key: learn a lower per-key concurrency limit; no cooling. */
  CONCURRENCY("concurrency"),
  /** Traffic grew too fast (OpenAI {@code slow_down}, DashScope, Anthropic acceleration): ramp up more gently. */
  SLOW_DOWN("slow_down"),
  /** Quota, credit or spend limit exhausted: the account is disabled until an operator acts; never retried. */
  QUOTA("quota"),
  /** The provider as a whole is short (503, 529, overloaded_error): the key's breaker, not its rate. */
  OVERLOADED("overloaded");

  public final String label;

  RefusalKind(String label) {
    this.label = label;
  }
}
