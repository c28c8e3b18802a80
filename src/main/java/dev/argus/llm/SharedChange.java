package dev.argus.llm;

/**
 * A decision about a key or an account that the whole cluster shares: the node that makes it publishes it,
 * every node (itself included) applies it to its pool with {@link KeyPool#apply}. Accounts are named by their
 * pool id ({@code key:<id>} for a key that is its own account, {@code account:<name>} otherwise). Times are
 * wall-clock epoch milliseconds, since nodes have different monotonic clocks.
 */
public sealed interface SharedChange {
  /** Disabled by an operator ({@code revoked} false) or refused by the provider as unauthorized (true). */
  record KeyDisabled(String keyId, String reason, boolean revoked) implements SharedChange {}

  /** Enabled by an operator: unproven again, and its account's disabling and cooling cleared. */
  record KeyEnabled(String keyId, String accountId) implements SharedChange {}

  /** The key answered for the first time since start or enable. */
  record Proven(String keyId) implements SharedChange {}

  /** The probe's call failed without an answer that proves the key: another probe may go. */
  record ProbeEnded(String keyId) implements SharedChange {}

  record AccountDisabled(String accountId, String reason) implements SharedChange {}

  /** Cooling until {@code untilMs}; applying it never shortens a cooldown already running. */
  record AccountCooling(String accountId, long untilMs, String reason) implements SharedChange {}

  /** The account's learned effective requests per second. */
  record RateLearned(String accountId, double qps) implements SharedChange {}

  record ConcurrencyLearned(String keyId, int limit) implements SharedChange {}

  /** The key's circuit breaker opened on some node: no node calls it until {@code untilMs}. */
  record BreakerOpened(String keyId, long untilMs) implements SharedChange {}
}
