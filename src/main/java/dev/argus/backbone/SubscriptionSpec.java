package dev.argus.backbone;

/**
 * What to consume: a topic, the consumer group (in direct mode: ignored), and the most records handed
 * out at once. {@code continuous = false}: batch by batch, each committed when all of it finished.
 * {@code continuous = true}: records finish in any order, polling goes on while they are in flight,
 * contiguous finished offsets are committed every second, and the partitions are paused while
 * {@code maxInFlight} records are out (resumed at half), so the backlog stays in Kafka.
 *
 * <p>{@code fetchWaitMs}: 0 (the default) hands a record on as soon as the broker has it, which the stages
 * on a detection's way to its assessment need. A side view that judges frames over seconds (camera health,
 * tracks) lets the broker gather records for up to this long instead ({@link #gathering}).
 */
public record SubscriptionSpec(String topic, String group, int maxInFlight, boolean continuous, long fetchWaitMs) {
  /**
   * How long a side view lets the broker gather records. At 1,000 frames/s a consumer that takes each record
   * as it comes fetches hundreds of times a second (each fetch a request the broker serves on the same two
   * cores as everything else); gathering for 100 ms makes it about ten, for a delay no health window or
   * track fit notices.
   */
  public static final long GATHER_MS = 100;
  /** Bytes that end the gathering early: a busy topic is handed on before the wait is up. */
  public static final int GATHER_BYTES = 256 * 1024;

  public SubscriptionSpec(String topic, String group, int maxInFlight, boolean continuous) {
    this(topic, group, maxInFlight, continuous, 0);
  }

  public SubscriptionSpec(String topic, String group, int maxInFlight) {
    this(topic, group, maxInFlight, false);
  }

  /** The same subscription, letting the broker gather records for {@link #GATHER_MS}. */
  public SubscriptionSpec gathering() {
    return new SubscriptionSpec(topic, group, maxInFlight, continuous, GATHER_MS);
  }
}
