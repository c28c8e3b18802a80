package dev.argus.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RedisTlsConfigTest {

  @Test
  void aRedissUrlWithACaFileTrustsThatFile(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    ArgusConfig c = ConfigLoader.load(null, Map.of("ARGUS_REDIS_URL", "rediss://redis.internal:6380", "ARGUS_REDIS_CA", ca.toString()));
    assertTrue(c.redis().tls());
    assertEquals(ca.toString(), c.redis().caPath());
  }

  @Test
  void aCaFileWithAPlainRedisUrlIsAConfigurationError(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    ConfigException e = assertThrows(ConfigException.class, () ->
        ConfigLoader.load(null, Map.of("ARGUS_REDIS_URL", "redis://127.0.0.1:6379", "ARGUS_REDIS_CA", ca.toString())));
    assertTrue(e.getMessage().contains("redis.tls.caPath"), e.getMessage());
  }

  @Test
  void anUnreadableCaFileIsAConfigurationError(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () ->
        ConfigLoader.load(null, Map.of("ARGUS_REDIS_URL", "rediss://127.0.0.1:6380", "ARGUS_REDIS_CA", dir.resolve("missing.pem").toString())));
    assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
  }
}
