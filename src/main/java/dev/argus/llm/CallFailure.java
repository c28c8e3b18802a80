package dev.argus.llm;

/** A failed provider call, classified. */
public final class CallFailure extends RuntimeException {
  private final CallOutcome outcome;

  public CallFailure(CallOutcome outcome, String message) {
    super(message, null, false, false);
    this.outcome = outcome;
  }

  public CallOutcome outcome() {
    return outcome;
  }
}
