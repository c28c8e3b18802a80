package dev.argus.config;

/**
 * A provider account's own limits as the key file declares them (its {@code accounts:} section): the limits every
 * key naming the account shares, on top of each key's own. 0 means "not declared"; what the provider reports is
 * learned either way.
 */
public record LlmAccountSpec(String id, double qpsLimit, int rpmLimit, long tpmLimit) {
  /** Whether the account declares a request limit (QPS or RPM). */
  public boolean declaresRequests() {
    return qpsLimit > 0 || rpmLimit > 0;
  }
}
