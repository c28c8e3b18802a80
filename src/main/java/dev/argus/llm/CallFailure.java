package dev.argus.llm;

/** A failed provider call, classified; {@code retryAfterMs} is what the provider asked for on a 429. */
public final class CallFailure extends RuntimeException {
  private final CallOutcome outcome;
  private final Long retryAfterMs;

  public CallFailure(CallOutcome outcome, String message) {
    this(outcome, message, null);
  }

  public CallFailure(CallOutcome outcome, String message, Long retryAfterMs) {
    super(message, null, false, false);
    this.outcome = outcome;
    this.retryAfterMs = retryAfterMs;
  }

  public CallOutcome outcome() {
    return outcome;
  }

  public Long retryAfterMs() {
    return retryAfterMs;
  }
}
