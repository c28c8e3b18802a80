package dev.argus.backbone;

import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The consumer settings a stage's subscription gets: fetch gathering for side views, operators' settings over it. */
class ConsumerConfigTest {
  private static ArgusConfig.Kafka kafka(String consumerJson) throws Exception {
    Path file = Files.createTempFile("argus-conf", ".json");
    try {
      Files.writeString(file, "{\"kafka\":{\"consumer\":" + consumerJson + "}}");
      return ConfigLoader.load(file, Map.of()).kafka();
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void aStageOnTheDetectionsWayTakesEachRecordAsSoonAsTheBrokerHasIt() throws Exception {
    Map<String, String> c = KafkaBackbone.consumerConfig(kafka("{}"), new SubscriptionSpec("t", "argus-bridge", 256, true));
    assertFalse(c.containsKey("fetch.max.wait.ms"), "Kafka's default with fetch.min.bytes 1: no wait for a record that exists");
    assertFalse(c.containsKey("fetch.min.bytes"));
    assertEquals("argus-bridge", c.get("group.id"));
    assertEquals("false", c.get("enable.auto.commit"));
  }

  @Test
  void aSideViewLetsTheBrokerGatherRecordsForAShortWhile() throws Exception {
    Map<String, String> c = KafkaBackbone.consumerConfig(kafka("{}"), new SubscriptionSpec("t", "argus-quality", 500).gathering());
    assertEquals(String.valueOf(SubscriptionSpec.GATHER_MS), c.get("fetch.max.wait.ms"));
    assertEquals(String.valueOf(SubscriptionSpec.GATHER_BYTES), c.get("fetch.min.bytes"));
    assertEquals("500", c.get("max.poll.records"));
  }

  @Test
  void anOperatorsFetchSettingsWinOverTheGathering() throws Exception {
    Map<String, String> c = KafkaBackbone.consumerConfig(kafka("{\"fetch.max.wait.ms\":\"20\"}"),
        new SubscriptionSpec("t", "argus-tracks", 500).gathering());
    assertEquals("20", c.get("fetch.max.wait.ms"));
    assertEquals(String.valueOf(SubscriptionSpec.GATHER_BYTES), c.get("fetch.min.bytes"));
  }
}
