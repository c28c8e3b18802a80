package dev.argus.demo.provider;

/** What a limit counts: calls, or tokens (prompt estimate plus the reply's reported usage). */
public enum Unit {
  REQUESTS, TOKENS;

  /** The cost of one call in this unit. */
  long cost(long tokens) {
    return this == REQUESTS ? 1 : tokens;
  }
}
