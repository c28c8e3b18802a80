package dev.argus.demo.provider;

/**
 * Why a provider refuses a call, as real providers tell the kinds apart: a rate recovers by itself, a
 * concurrency cap as soon as a call finishes, an exhausted quota never (an operator must act), and
 * "slow down" asks the sender to ramp up more gently.
 */
public enum Refusal {
  RATE("rate_limit_exceeded"), CONCURRENCY("concurrency_limit_exceeded"), QUOTA("insufficient_quota"),
  SLOW_DOWN("slow_down");

  public final String code;

  Refusal(String code) {
    this.code = code;
  }
}
