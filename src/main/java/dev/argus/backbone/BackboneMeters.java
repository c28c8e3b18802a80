package dev.argus.backbone;

import dev.argus.config.ArgusConfig;
import dev.argus.model.EventTypes;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backbone's meters, each created once: records published and dead-lettered per topic, and the
 * time a stage takes per record. Topic labels are configured topic names, so they stay bounded.
 * Thread-safe: producer callbacks count from the client's I/O thread.
 */
public final class BackboneMeters {
  private final MeterRegistry registry;
  private final Map<String, String> eventTypes = new HashMap<>();
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
  private final Map<String, Timer> processing = new ConcurrentHashMap<>();

  public BackboneMeters(MeterRegistry registry, ArgusConfig.Topics topics) {
    this.registry = registry;
    eventTypes.put(topics.detections().name(), EventTypes.DETECTION);
    eventTypes.put(topics.tasks().name(), EventTypes.TASK);
    eventTypes.put(topics.results().name(), EventTypes.ASSESSMENT);
    eventTypes.put(topics.alerts().name(), EventTypes.ALERT);
    eventTypes.put(topics.modelMetrics().name(), EventTypes.MODEL_METRICS);
    eventTypes.put(topics.dataQualityAlerts().name(), EventTypes.DATA_QUALITY);
    for (ArgusConfig.Topic t : topics.all()) eventTypes.put(t.dlq(), EventTypes.DEAD_LETTER);
    // Every dead-letter series exists from the start at 0, so increase() sees a topic's first dead letter
    // and a dashboard or rule that names the metric finds it on a healthy gateway.
    for (String topic : List.of(topics.detections().name(), topics.tasks().name(), topics.results().name())) {
      for (String reason : PoisonRecordException.REASONS) deadLetterCounter(topic, reason);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The CloudEvents type of what is written to {@code topic}. */
  String eventType(String topic) {
    return eventTypes.getOrDefault(topic, EventTypes.UNKNOWN);
  }

  /** One record acknowledged by the backbone, counted by the {@code ce_type} it carried. */
  void published(String topic, String type) {
    publishedCounter(topic, type).increment();
  }

  /**
   * The counter of {@link #published}, for a writer that looks it up once for a batch of records of one
   * topic and type rather than once per acknowledged record.
   */
  Counter publishedCounter(String topic, String type) {
    // An unconfigured topic would be an unbounded label: count it under one placeholder instead. Types
    // are EventTypes constants (a record may override its topic's), so they stay bounded too.
    String label = eventType(topic).equals(EventTypes.UNKNOWN) ? EventTypes.UNKNOWN : topic;
    return published.computeIfAbsent(label + '\u0000' + type, k -> Counter.builder(MetricNames.KAFKA_EVENTS_PUBLISHED)
        .description("Records the backbone acknowledged, by topic and CloudEvents type (ce_type)")
        .tag(MetricNames.TAG_TOPIC, label).tag(MetricNames.TAG_EVENT_TYPE, type).register(registry));
  }

  /** One record refused for good; {@code reason} is a {@link PoisonRecordException#reason()} code. */
  void deadLettered(String topic, String reason) {
    deadLetterCounter(topic, reason).increment();
  }

  private Counter deadLetterCounter(String topic, String reason) {
    return deadLettered.computeIfAbsent(topic + '\u0000' + reason, k -> Counter.builder(MetricNames.DLQ)
        .description("Records sent to a dead-letter topic, by source topic and reason")
        .tag(MetricNames.TAG_TOPIC, topic).tag(MetricNames.TAG_REASON, reason).register(registry));
  }

  /** The per-record processing time of one stage ({@code MetricNames.STAGE_*}). */
  public Timer processing(String stage) {
    return processing.computeIfAbsent(stage, s -> Timer.builder(MetricNames.KAFKA_EVENT_PROCESSING_DURATION)
        .description("From a stage taking a record to everything it produced being acknowledged")
        .tag(MetricNames.TAG_STAGE, s).publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1))
        .register(registry));
  }
}
