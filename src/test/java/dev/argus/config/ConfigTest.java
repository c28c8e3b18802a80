package dev.argus.config;

import dev.argus.model.Hazards;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ConfigTest {

  @Test
  void defaultsAreTheEmbeddedBackboneOnPort8080() {
    ArgusConfig c = ConfigLoader.load(null, Map.of());
    assertEquals(ArgusConfig.BackboneMode.EMBEDDED, c.kafka().mode());
    assertEquals(8080, c.http().port());
    assertEquals("detection-results", c.kafka().topics().detections().name());
    assertEquals(16, c.kafka().topics().detections().partitions());
    assertFalse(c.redis().enabled());
    assertTrue(c.detection().rules().rules("any-camera").highRiskLabels().contains("knife"));
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"http\":{\"port\":9000},\"llm\":{\"model\":\"from-file\"}}");
    ArgusConfig c = ConfigLoader.load(file, Map.of("ARGUS_HTTP_PORT", "9100"));
    assertEquals(9100, c.http().port());
    assertEquals("from-file", c.llm().model());
  }

  @Test
  void algoAliasesSelectExternalKafkaOrDirectMode() {
    ArgusConfig ext = ConfigLoader.load(null, Map.of("ALGO_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"));
    assertEquals(ArgusConfig.BackboneMode.EXTERNAL, ext.kafka().mode());
    assertEquals("k1:9092,k2:9092", ext.kafka().effectiveBootstrap());
    assertEquals(ArgusConfig.BackboneMode.DIRECT,
        ConfigLoader.load(null, Map.of("ALGO_ENABLE_KAFKA_STREAMING", "false")).kafka().mode());
    // ARGUS_* wins over the alias
    assertEquals(ArgusConfig.BackboneMode.EMBEDDED, ConfigLoader.load(null,
        Map.of("ALGO_ENABLE_KAFKA_STREAMING", "false", "ARGUS_KAFKA_MODE", "embedded")).kafka().mode());
  }

  @Test
  void aPortThatIsNotANumberNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("ARGUS_HTTP_PORT", "eighty")));
    assertTrue(e.getMessage().startsWith("http.port:"), e.getMessage());
  }

  @Test
  void anUnknownModeNamesTheKeyAndTheChoices() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("ARGUS_KAFKA_MODE", "zookeeper")));
    assertTrue(e.getMessage().contains("kafka.mode") && e.getMessage().contains("direct"), e.getMessage());
  }

  @Test
  void apiKeysAreReadAsIdEqualsKeyOrBareKeys() {
    ArgusConfig c = ConfigLoader.load(null, Map.of("ARGUS_LLM_API_KEYS", "main=sk-aaaabbbbccccdddd, sk-zzzzyyyyxxxx1234"));
    assertEquals("main", c.llm().keys().get(0).id());
    assertEquals("sk-aaaabbbbccccdddd", c.llm().keys().get(0).secret());
    assertEquals("key-002", c.llm().keys().get(1).id());
    assertEquals("sk-…1234", c.llm().keys().get(1).masked());
    assertFalse(c.llm().keys().get(1).toString().contains("zzzz"), "a key must never print in full");
  }

  @Test
  void yamlKeyFileIsReadWithLimits(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, """
        keys:
          - id: key-001
            api_key: "sk-one-0000000001"
            priority: 2
            qps_limit: 10
            rpm_limit: 600
            model: qwen-vl-plus
        cooling: { min_cooldown: 2, max_cooldown: 30 }
        selection_strategy: round_robin
        """);
    ArgusConfig c = ConfigLoader.load(null, Map.of("ARGUS_LLM_KEYS_FILE", file.toString()));
    LlmKeySpec k = c.llm().keys().get(0);
    assertEquals(10, k.qpsLimit());
    assertEquals(600, k.rpmLimit());
    assertEquals("qwen-vl-plus", k.model());
    assertEquals(SelectionStrategy.ROUND_ROBIN, c.llm().selectionStrategy());
    assertEquals(2000, c.llm().minCooldownMs());
    assertEquals(30000, c.llm().maxCooldownMs());
  }

  @Test
  void decimalsAreCheckedAndNameTheirKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.json");
    Files.writeString(file, "{\"demo\": {\"fps\": \"2.5\", \"llmErrorRate\": 0.1}}");
    assertEquals(2.5, ConfigLoader.load(file, Map.of()).demo().fps());
    Files.writeString(file, "{\"aggregate\": {\"riseDelta\": 1.5}}");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().startsWith("aggregate.riseDelta:"), e.getMessage());
  }

  @Test
  void aMalformedConfFileIsAConfigError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{nope");
    assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
  }

  @Test
  void aConsumerPropertyThatArgusSetsPerStageIsRefusedByName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"kafka\": {\"consumer\": {\"max.poll.records\": \"50\"}}}");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().startsWith("kafka.consumer.max.poll.records"), e.getMessage());
  }

  @Test
  void ruleDefaultsComeFromConfJsonAlone() {
    ConfigException e = assertThrows(ConfigException.class, () -> RuleBook.from(new JsonObject()));
    assertTrue(e.getMessage().startsWith("detection."), e.getMessage());
    CameraRules r = ConfigLoader.load(null, Map.of()).detection().rules().rules("any");
    assertEquals(2000, r.minIntervalMs());
    assertEquals(Set.copyOf(Hazards.LABELS), r.highRiskLabels(), "the hazard list is the default high-risk set");
  }

  @Test
  void aKeyFileNumberIsReadByTheSameParserAndNamesItsEntry(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, "keys:\n  - id: a\n    api_key: sk-aaaabbbbcccc\n    qps_limit: -1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("ARGUS_LLM_KEYS_FILE", file.toString())));
    assertTrue(e.getMessage().startsWith("llm.keysFile keys[0].qps_limit"), e.getMessage());
  }
}
