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

  private static String storeStatus(Gateway gw) throws Exception {
    return new JsonObject(Http.get(gw.port, "/health/ready").body()).getJsonObject("checks").getJsonObject("store")
        .getString("status");
  }

  private static int status(Gateway gw, String path) {
    try {
      return Http.get(gw.port, path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void withThePasswordResultsAreStoredAndRead() throws Exception {
    try (ThrowawayRedis redis = new ThrowawayRedis(dir, PASSWORD)) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka()
          .put("redis", new JsonObject().put("url", redis.url()).put("password", PASSWORD)))) {
        assertEquals("UP", storeStatus(gw));
        assertEquals(202, Http.post(gw.port, "/api/v1/detections", Http.frame("redis-pw-1")).statusCode());
        eventually(Duration.ofSeconds(60), "the camera's assessment read back from the password-protected Redis",
            () -> status(gw, "/api/v1/cameras/redis-pw-1") == 200);
      }
    }
  }

  @Test
  void withoutThePasswordTheStoreIsReportedDown() throws Exception {
    try (ThrowawayRedis redis = new ThrowawayRedis(dir, PASSWORD)) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", redis.url())))) {
        assertEquals("DOWN", storeStatus(gw));
      }
    }
  }
}
