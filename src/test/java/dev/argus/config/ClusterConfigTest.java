package dev.argus.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ClusterConfigTest {
  /** What cluster mode needs besides the switch: an external broker and Redis. */
  private static Map<String, String> clustered(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of("ARGUS_CLUSTER", "true",
        "ARGUS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "ARGUS_REDIS_URL", "redis://127.0.0.1:6379"));
    env.putAll(more);
    return env;
  }

  @Test
  void offByDefaultWithTheDocumentedDefaults() {
    ArgusConfig.Cluster c = ConfigLoader.load(null, Map.of()).cluster();
    assertFalse(c.enabled());
    assertEquals("argus", c.name());
    assertEquals("127.0.0.1", c.host());
    assertEquals(5701, c.port());
    assertEquals(List.of(), c.members());
  }

  @Test
  void theEnvironmentSetsEveryClusterKey() {
    ArgusConfig c = ConfigLoader.load(null, clustered(Map.of("ARGUS_CLUSTER_HOST", "10.0.0.5",
        "ARGUS_CLUSTER_PORT", "5801", "ARGUS_CLUSTER_MEMBERS", "10.0.0.5:5801, 10.0.0.6:5801", "ARGUS_CLUSTER_NAME", "plant-7")));
    assertTrue(c.cluster().enabled());
    assertEquals("10.0.0.5", c.cluster().host());
    assertEquals(5801, c.cluster().port());
    assertEquals(List.of("10.0.0.5:5801", "10.0.0.6:5801"), c.cluster().members());
    assertEquals("plant-7", c.cluster().name());
  }

  @Test
  void clusterModeShortensTheConsumerSessionSoAKilledNodesPartitionsMoveQuickly() {
    ArgusConfig c = ConfigLoader.load(null, clustered(Map.of()));
    assertEquals("6000", c.kafka().consumer().get("session.timeout.ms"));
    assertEquals("1000", c.kafka().consumer().get("heartbeat.interval.ms"));
    // the other passthrough properties stay
    assertEquals("10000", c.kafka().consumer().get("request.timeout.ms"));
    // standalone keeps kafka.consumer's own value
    assertEquals("10000", ConfigLoader.load(null, Map.of()).kafka().consumer().get("session.timeout.ms"));
  }

  @Test
  void anExplicitClusterSessionTimeoutWins() {
    var conf = ConfigLoader.merged(null, clustered(Map.of()));
    conf.getJsonObject("cluster").put("sessionTimeoutMs", 9000).put("heartbeatIntervalMs", 3000);
    ArgusConfig c = ArgusConfig.from(conf);
    assertEquals("9000", c.kafka().consumer().get("session.timeout.ms"));
    assertEquals("3000", c.kafka().consumer().get("heartbeat.interval.ms"));
  }

  @Test
  void aHeartbeatNotBelowTheSessionTimeoutNamesTheKey() {
    var conf = ConfigLoader.merged(null, clustered(Map.of()));
    conf.getJsonObject("cluster").put("heartbeatIntervalMs", 6000);
    ConfigException e = assertThrows(ConfigException.class, () -> ArgusConfig.from(conf));
    assertTrue(e.getMessage().startsWith("cluster.heartbeatIntervalMs:"), e.getMessage());
  }

  @Test
  void clusterModeOnTheEmbeddedBrokerIsAnErrorNamingKafkaMode() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        Map.of("ARGUS_CLUSTER", "true", "ARGUS_REDIS_URL", "redis://127.0.0.1:6379")));
    assertTrue(e.getMessage().startsWith("kafka.mode:") && e.getMessage().contains("embedded"), e.getMessage());
  }

  @Test
  void clusterModeInDirectModeIsAnErrorNamingKafkaMode() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        clustered(Map.of("ARGUS_KAFKA_MODE", "direct"))));
    assertTrue(e.getMessage().startsWith("kafka.mode:") && e.getMessage().contains("direct"), e.getMessage());
  }

  @Test
  void clusterModeWithTheMemoryStoreIsAnErrorNamingRedisUrl() {
    Map<String, String> env = clustered(Map.of());
    env.remove("ARGUS_REDIS_URL");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, env));
    assertTrue(e.getMessage().startsWith("redis.url:"), e.getMessage());
  }

  @Test
  void aMemberWithoutAPortNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        clustered(Map.of("ARGUS_CLUSTER_MEMBERS", "10.0.0.5:5701,10.0.0.6"))));
    assertTrue(e.getMessage().startsWith("cluster.members:") && e.getMessage().contains("10.0.0.6"), e.getMessage());
  }

  @Test
  void aPortOutOfRangeOrANameWithSpacesNamesTheKey() {
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, clustered(Map.of("ARGUS_CLUSTER_PORT", "70000"))))
        .getMessage().startsWith("cluster.port:"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, clustered(Map.of("ARGUS_CLUSTER_NAME", "my cluster"))))
        .getMessage().startsWith("cluster.name:"));
  }

  @Test
  void aSwitchThatIsNotABooleanNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("ARGUS_CLUSTER", "yes")));
    assertTrue(e.getMessage().startsWith("cluster.enabled:"), e.getMessage());
  }
}
