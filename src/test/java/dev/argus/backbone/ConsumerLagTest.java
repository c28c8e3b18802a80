package dev.argus.backbone;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConsumerLagTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConsumerLag lag = new ConsumerLag(registry);

  private double gauge(String name) {
    return registry.find(name).tag(MetricNames.TAG_GROUP, "g").tag(MetricNames.TAG_TOPIC, "t").gauge().value();
  }

  @Test
  void recordsAddUpOverInstancesAndTheAgeIsTheOldestInstances() {
    lag.report("g", "t", "a", 10, 2.5);
    lag.report("g", "t", "b", 5, 7.0);
    assertEquals(15, gauge(MetricNames.KAFKA_CONSUMER_LAG));
    assertEquals(7.0, gauge(MetricNames.KAFKA_CONSUMER_LAG_SECONDS));
    assertEquals(15, lag.total("g", "t"));
  }

  @Test
  void aStoppedInstanceNoLongerCounts() {
    lag.report("g", "t", "a", 10, 2.5);
    lag.report("g", "t", "b", 5, 7.0);
    lag.remove("g", "t", "b");
    assertEquals(10, gauge(MetricNames.KAFKA_CONSUMER_LAG));
    assertEquals(2.5, gauge(MetricNames.KAFKA_CONSUMER_LAG_SECONDS));
  }

  @Test
  void twoGatewaysInOneProcessKeepTheirOwnLag() {
    ConsumerLag other = new ConsumerLag(new SimpleMeterRegistry());
    other.report("g", "t", "a", 99, 9);
    lag.report("g", "t", "a", 1, 0);
    assertEquals(1, lag.total("g", "t"));
  }
}
