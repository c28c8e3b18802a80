package dev.argus.backbone;

import dev.argus.config.ConfigLoader;
import dev.argus.model.EventTypes;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BackboneMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BackboneMeters meters = new BackboneMeters(registry, ConfigLoader.load(null, Map.of()).kafka().topics());

  private double published(String topic, String type) {
    var c = registry.find(MetricNames.KAFKA_EVENTS_PUBLISHED).tag(MetricNames.TAG_TOPIC, topic)
        .tag(MetricNames.TAG_EVENT_TYPE, type).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aPublishedRecordIsCountedUnderItsTopicAndTheTypeItCarried() {
    meters.published("assessment-tasks", EventTypes.TASK);
    meters.published("assessment-tasks", EventTypes.TASK);
    meters.published("detection-results.dlq", EventTypes.DEAD_LETTER);
    assertEquals(2, published("assessment-tasks", EventTypes.TASK));
    assertEquals(1, published("detection-results.dlq", EventTypes.DEAD_LETTER));
  }

  @Test
  void aRecordWhoseTypeDiffersFromItsTopicsIsCountedByItsOwnType() {
    meters.published("alert-events", EventTypes.DATA_QUALITY);
    assertEquals(1, published("alert-events", EventTypes.DATA_QUALITY));
    assertEquals(0, published("alert-events", EventTypes.ALERT));
  }

  @Test
  void anUnconfiguredTopicIsCountedUnderOnePlaceholderSoLabelsStayBounded() {
    meters.published("stray-1", EventTypes.UNKNOWN);
    meters.published("stray-2", EventTypes.UNKNOWN);
    assertEquals(2, published(EventTypes.UNKNOWN, EventTypes.UNKNOWN));
    assertNull(registry.find(MetricNames.KAFKA_EVENTS_PUBLISHED).tag(MetricNames.TAG_TOPIC, "stray-1").counter());
  }
}
