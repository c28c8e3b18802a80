package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/** A Redis that wants a password: the store works with {@code redis.password}, and is down without it. */
class RedisPasswordIT {
  static final String PASSWORD = "redis-pass-7f3a9c";

  @TempDir
  Path dir;

  @Test
  void withThePasswordResultsAreStoredAndRead() throws Exception {
    try (ThrowawayRedis redis = new ThrowawayRedis(dir, PASSWORD)) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka()
          .put("redis", new JsonObject().put("url", redis.url()).put("password", PASSWORD)))) {
        assertEquals("UP", Http.readyCheck(gw.port, "store"));
        assertEquals(202, Http.post(gw.port, "/api/v1/detections", Http.frame("redis-pw-1")).statusCode());
        eventually(Duration.ofSeconds(60), "the camera's assessment read back from the password-protected Redis",
            () -> Http.statusOf(gw.port, "/api/v1/cameras/redis-pw-1") == 200);
      }
    }
  }

  @Test
  void withoutThePasswordTheStoreIsReportedDown() throws Exception {
    try (ThrowawayRedis redis = new ThrowawayRedis(dir, PASSWORD)) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", redis.url())))) {
        assertEquals("DOWN", Http.readyCheck(gw.port, "store"));
      }
    }
  }
}
