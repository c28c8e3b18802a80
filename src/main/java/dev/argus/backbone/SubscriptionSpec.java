package dev.argus.backbone;

/**
 * What to consume: a topic, the consumer group (in direct mode: ignored), and the most records handed
 * out at once. {@code continuous = false}: batch by batch, each committed when all of it finished.
 * {@code continuous = true}: records finish in any order, polling goes on while they are in flight,
 * contiguous finished offsets are committed every second, and the partitions are paused while
 * {@code maxInFlight} records are out (resumed at half), so the backlog stays in Kafka.
 */
public record SubscriptionSpec(String topic, String group, int maxInFlight, boolean continuous) {
  public SubscriptionSpec(String topic, String group, int maxInFlight) {
    this(topic, group, maxInFlight, false);
  }
}
