package dev.argus.http;

import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StartupWarningsTest {
  private static List<String> warnings(Map<String, String> env, String host) {
    return StartupWarnings.of(ArgusConfig.from(ConfigLoader.merged(null, env).put("http",
        ConfigLoader.merged(null, env).getJsonObject("http").put("host", host))).http());
  }

  @Test
  void listeningBeyondLoopbackWithoutProducerTokensWarnsHowToSetThem() {
    assertTrue(warnings(Map.of(), "0.0.0.0").stream().anyMatch(w -> w.contains("ARGUS_INGEST_TOKENS")));
  }

  @Test
  void listeningOnLoopbackWarnsNothing() {
    assertEquals(List.of(), warnings(Map.of(), "127.0.0.1"));
  }

  @Test
  void withEveryTokenSetAndTlsInFrontOnlyTheMissingTlsIsMentioned() {
    List<String> w = warnings(Map.of("ARGUS_INGEST_TOKENS", "aaaaaaaa1", "ARGUS_VIEWER_TOKEN", "v", "ARGUS_ADMIN_TOKEN", "a"),
        "0.0.0.0");
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).contains("without TLS"));
  }
}
