package dev.argus.llm;

/**
 * How one provider call ended, as the {@link Dispatcher} acts on it. The caller always completes with
 * one of these: a call that blew up in an unexpected way is a {@link Failed} {@code server_error}.
 */
public sealed interface CallResult {
  /** The {@code status} label of {@code llm_requests_total}. */
  CallOutcome outcome();

  /** A classified provider failure as the dispatcher sees it. */
  static CallResult of(CallFailure f) {
    return switch (f.outcome()) {
      case RATE_LIMITED -> new RateLimited(f.retryAfterMs());
      case AUTH_FAILED -> new AuthFailed(f.getMessage());
      case SERVER_ERROR, TIMEOUT, INVALID_REPLY -> new Failed(f.outcome(), f.getMessage());
      case SUCCESS, CIRCUIT_OPEN -> throw new IllegalArgumentException("not a failure: " + f.outcome());
    };
  }

  /** The key answered with a usable assessment. */
  record Success(ParsedReply reply) implements CallResult {
    @Override
    public CallOutcome outcome() {
      return CallOutcome.SUCCESS;
    }
  }

  /** 429: the key cools; {@code retryAfterMs} is what the provider asked for, null when it did not say. */
  record RateLimited(Long retryAfterMs) implements CallResult {
    @Override
    public CallOutcome outcome() {
      return CallOutcome.RATE_LIMITED;
    }
  }

  /** 401/403: the provider refused the key itself. */
  record AuthFailed(String message) implements CallResult {
    @Override
    public CallOutcome outcome() {
      return CallOutcome.AUTH_FAILED;
    }
  }

  /** The task's attempt on this key failed: 5xx, timeout, reset, or a reply that is not an assessment. */
  record Failed(CallOutcome outcome, String message) implements CallResult {
    public Failed {
      if (outcome != CallOutcome.SERVER_ERROR && outcome != CallOutcome.TIMEOUT && outcome != CallOutcome.INVALID_REPLY) {
        throw new IllegalArgumentException("not a failed call: " + outcome);
      }
    }
  }

  /** The key's circuit breaker refused the call before it was sent. */
  record CircuitOpen() implements CallResult {
    @Override
    public CallOutcome outcome() {
      return CallOutcome.CIRCUIT_OPEN;
    }
  }
}
