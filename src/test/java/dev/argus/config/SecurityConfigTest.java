package dev.argus.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SecurityConfigTest {
  @TempDir
  Path dir;

  private static ArgusConfig load(Map<String, String> env) {
    return ConfigLoader.load(null, env);
  }

  @Test
  void byDefaultNothingIsProtectedAndMetricsArePublic() {
    ArgusConfig.Http http = load(Map.of()).http();
    assertTrue(http.ingestTokens().isEmpty());
    assertEquals("", http.viewerToken());
    assertTrue(http.metricsPublic());
    assertNull(http.tls());
  }

  @Test
  void producerTokensComeFromTheEnvironment() {
    ArgusConfig.Http http = load(Map.of("ARGUS_INGEST_TOKENS", "aaaaaaaa1:dock-:5,bbbbbbbb2")).http();
    assertEquals(2, http.ingestTokens().size());
    assertEquals(List.of("dock-"), http.ingestTokens().get(0).prefixes());
  }

  @Test
  void producerTokensComeFromAYamlFile() throws Exception {
    Path f = dir.resolve("tokens.yaml");
    Files.writeString(f, "tokens:\n  - token: aaaaaaaa1\n    prefixes: [dock-, yard-]\n    framesPerSecond: 20\n");
    ArgusConfig.Http http = load(Map.of("ARGUS_INGEST_TOKENS_FILE", f.toString())).http();
    assertEquals(20, http.ingestTokens().get(0).framesPerSecond());
    assertEquals(List.of("dock-", "yard-"), http.ingestTokens().get(0).prefixes());
  }

  @Test
  void producerTokensComeFromAJsonFileWithABareList() throws Exception {
    Path f = dir.resolve("tokens.json");
    Files.writeString(f, "[{\"token\": \"aaaaaaaa1\"}, {\"token\": \"bbbbbbbb2\", \"prefixes\": [\"gate\"]}]");
    assertEquals(2, load(Map.of("ARGUS_INGEST_TOKENS_FILE", f.toString())).http().ingestTokens().size());
  }

  @Test
  void aBadTokenIsAConfigErrorThatDoesNotQuoteIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("ARGUS_INGEST_TOKENS", "abc")));
    assertTrue(e.getMessage().contains("http.ingestTokens"), e.getMessage());
    assertFalse(e.getMessage().contains("abc"), e.getMessage());
  }

  @Test
  void tlsNeedsBothFiles() throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    assertThrows(ConfigException.class, () -> load(Map.of("ARGUS_TLS_CERT", cert.toString())));
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    assertNotNull(load(Map.of("ARGUS_TLS_CERT", cert.toString(), "ARGUS_TLS_KEY", key.toString())).http().tls());
  }

  @Test
  void theTextFormsOfTheSettingsHoldNoSecret() {
    ArgusConfig c = load(Map.of("ARGUS_INGEST_TOKENS", "ingest-secret-1", "ARGUS_VIEWER_TOKEN", "viewer-secret-1",
        "ARGUS_ADMIN_TOKEN", "admin-secret-1", "ARGUS_REDIS_URL", "redis://:url-secret-1@127.0.0.1:6379",
        "ARGUS_REDIS_PASSWORD", "redis-secret-1"));
    String text = c.http() + " " + c.redis();
    for (String secret : List.of("ingest-secret-1", "viewer-secret-1", "admin-secret-1", "url-secret-1", "redis-secret-1")) {
      assertFalse(text.contains(secret), text);
    }
  }

  @Test
  void kafkaCommonPropertiesArePassedThrough() {
    ArgusConfig c = ArgusConfig.from(ConfigLoader.defaults().put("kafka", ConfigLoader.defaults().getJsonObject("kafka")
        .put("common", new JsonObject().put("security.protocol", "SASL_SSL"))));
    assertEquals("SASL_SSL", c.kafka().common().get("security.protocol"));
  }
}
