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
      case RATE_LIMITED -> new RateLimited(f.signals().refusal() == null ? RefusalKind.RATE : f.signals().refusal(),
          f.signals());
      case QUOTA_EXHAUSTED -> new QuotaExhausted(f.getMessage(), f.signals());
      case AUTH_FAILED -> new AuthFailed(f.getMessage());
      case SERVER_ERROR, TIMEOUT, INVALID_REPLY -> new Failed(f.outcome(), f.getMessage(),
          f.signals().refusal() == RefusalKind.OVERLOADED);
      case SUCCESS, CIRCUIT_OPEN -> throw new IllegalArgumentException("not a failure: " + f.outcome());
    };
  }

  /** The key answered with a usable assessment; {@code signals}: the provider's counters and the usage. */
  record Success(ParsedReply reply, ProviderSignals signals) implements CallResult {
    public Success(ParsedReply reply) {
      this(reply, ProviderSignals.NONE);
    }

    @Override
    public CallOutcome outcome() {
      return CallOutcome.SUCCESS;
    }
  }

  /**
   * 429 of a kind that passes (rate, concurrency, slow down): the pool acts on {@code kind}; the signals carry
   * the provider's wait ({@link #retryAfterMs}, null when it did not say) and counters.
   */
  record RateLimited(RefusalKind kind, ProviderSignals signals) implements CallResult {
    /** A rate refusal with only a wait. */
    public RateLimited(Long retryAfterMs) {
      this(RefusalKind.RATE, new ProviderSignals(ProviderSignals.Level.UNKNOWN, ProviderSignals.Level.UNKNOWN,
          retryAfterMs, RefusalKind.RATE, -1));
    }

    public Long retryAfterMs() {
      return signals.retryAfterMs();
    }

    @Override
    public CallOutcome outcome() {
      return CallOutcome.RATE_LIMITED;
    }
  }

  /** Quota, credit or spend limit exhausted (402, {@code insufficient_quota}, a per-day quota): never retried. */
  record QuotaExhausted(String message, ProviderSignals signals) implements CallResult {
    @Override
    public CallOutcome outcome() {
      return CallOutcome.QUOTA_EXHAUSTED;
    }
  }

  /** 401/403: the provider refused the key itself. */
  record AuthFailed(String message) implements CallResult {
    @Override
    public CallOutcome outcome() {
      return CallOutcome.AUTH_FAILED;
    }
  }

  /**
   * The task's attempt on this key failed: 5xx, timeout, reset, or a reply that is not an assessment;
   * {@code overloaded}: the provider said it was overloaded (503, 529) and so took no call.
   */
  record Failed(CallOutcome outcome, String message, boolean overloaded) implements CallResult {
    public Failed {
      if (outcome != CallOutcome.SERVER_ERROR && outcome != CallOutcome.TIMEOUT && outcome != CallOutcome.INVALID_REPLY) {
        throw new IllegalArgumentException("not a failed call: " + outcome);
      }
    }

    public Failed(CallOutcome outcome, String message) {
      this(outcome, message, false);
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
