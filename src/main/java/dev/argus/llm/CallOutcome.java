package dev.argus.llm;

/**
 * How one provider call ended, as the {@code status} label of {@code llm_requests_total}. Only
 * {@link #SERVER_ERROR} and {@link #TIMEOUT} are the key's fault in the breaker's sense.
 */
public enum CallOutcome {
  SUCCESS("success"), RATE_LIMITED("rate_limited"), AUTH_FAILED("auth_failed"), SERVER_ERROR("server_error"),
  TIMEOUT("timeout"), INVALID_REPLY("invalid_reply"), CIRCUIT_OPEN("circuit_open"),
  /** Quota, credit or spend limit exhausted: the account is disabled until an operator acts. */
  QUOTA_EXHAUSTED("quota_exhausted");

  public final String label;

  CallOutcome(String label) {
    this.label = label;
  }

  public boolean opensBreaker() {
    return this == SERVER_ERROR || this == TIMEOUT;
  }

  /** The outcome of an HTTP status other than 2xx. */
  public static CallOutcome ofStatus(int status) {
    if (status == 429) return RATE_LIMITED;
    if (status == 401 || status == 403) return AUTH_FAILED;
    if (status == 408) return TIMEOUT;
    if (status >= 500) return SERVER_ERROR;
    return INVALID_REPLY; // another 4xx: the request or the model, not the key's capacity
  }
}
