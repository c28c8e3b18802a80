package dev.argus.llm;

/**
 * A failed provider call, classified; {@code signals} is what the provider said with it (its wait on a 429,
 * its counters, the kind of refusal), {@link ProviderSignals#NONE} when it said nothing.
 */
public final class CallFailure extends RuntimeException {
  private final CallOutcome outcome;
  private final ProviderSignals signals;

  public CallFailure(CallOutcome outcome, String message) {
    this(outcome, message, ProviderSignals.NONE);
  }

  public CallFailure(CallOutcome outcome, String message, ProviderSignals signals) {
    super(message, null, false, false);
    this.outcome = outcome;
    this.signals = signals == null ? ProviderSignals.NONE : signals;
  }

  public CallOutcome outcome() {
    return outcome;
  }

  public ProviderSignals signals() {
    return signals;
  }

  public Long retryAfterMs() {
    return signals.retryAfterMs();
  }
}
