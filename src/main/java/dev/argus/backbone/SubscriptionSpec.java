package dev.argus.backbone;

/**
 * What to consume: a topic, the consumer group (in direct mode: ignored), and the most records handed
 * out at once (Kafka's {@code max.poll.records}; the bound on work in flight for this subscription).
 */
public record SubscriptionSpec(String topic, String group, int maxInFlight) {}
