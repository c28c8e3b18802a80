package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code rediss://}: a Redis that speaks only TLS (its plain port is off), with a self-signed certificate.
 * Trusting that certificate through {@code redis.tls.caPath}, the store works; without it the server's
 * certificate is refused and the store is reported down, so the connection really is verified TLS.
 */
class RedisTlsIT {
  @TempDir
  Path dir;

  @Test
  void trustingTheServersCertificateResultsAreStoredAndReadOverTls() throws Exception {
    SelfSigned pair = SelfSigned.in(dir);
    try (ThrowawayRedis redis = new ThrowawayRedis(dir).tls(pair.cert(), pair.key())) {
      redis.start();
      JsonObject store = new JsonObject().put("url", redis.url()).put("tls", new JsonObject().put("caPath", pair.cert().toString()));
      try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", store))) {
        eventually(Duration.ofSeconds(20), "the TLS store reported UP", () -> "UP".equals(Http.readyCheck(gw.port, "store")));
        assertEquals(202, Http.post(gw.port, "/api/v1/detections", Http.frame("redis-tls-1")).statusCode());
        eventually(Duration.ofSeconds(60), "the camera's assessment read back from the TLS Redis",
            () -> Http.statusOf(gw.port, "/api/v1/cameras/redis-tls-1") == 200);
      }
    }
  }

  @Test
  void anUntrustedServerCertificateLeavesTheStoreDown() throws Exception {
    SelfSigned pair = SelfSigned.in(dir);
    try (ThrowawayRedis redis = new ThrowawayRedis(dir).tls(pair.cert(), pair.key())) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", redis.url())))) {
        assertEquals("DOWN", Http.readyCheck(gw.port, "store"));
      }
    }
  }
}
