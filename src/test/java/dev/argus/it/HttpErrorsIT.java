package dev.argus.it;

import dev.argus.aggregate.ResultStore;
import dev.argus.model.Assessment;
import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The HTTP API's error answers: the client's mistakes are 400s whatever the store, and outages name their cause. */
class HttpErrorsIT {
  static Gateway memory;

  @BeforeAll
  static void start() throws Exception {
    memory = Gateway.start(Gateway.onTestKafka());
  }

  @AfterAll
  static void stop() throws Exception {
    if (memory != null) memory.close();
  }

  private static JsonObject assertError(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals(code, body.getString("error"), r.body());
    assertNotNull(body.getString("message"));
    assertNotNull(body.getJsonArray("details"));
    return body;
  }

  private static Gateway onRedis(String url) throws Exception {
    return Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", url))
        .put("http", new JsonObject().put("retryAfterSeconds", 7)));
  }

  /** {@code detection_latency_seconds_count} as {@code /metrics} shows it (0 before the first frame). */
  private static double latencyCount() throws Exception {
    for (String line : memory.get("/metrics").body().split("\n")) {
      if (line.startsWith("detection_latency_seconds_count")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return 0;
  }

  @Test
  void eachAcceptedFrameIsTimedFromDetectionToDurableAcceptance() throws Exception {
    double before = latencyCount();
    String frames = "[{\"camera_id\":\"lat-1\",\"detections\":[]},{\"camera_id\":\"lat-2\",\"detections\":[]}]";
    assertEquals(202, memory.post("/api/v1/detections", "application/json", frames).statusCode());
    assertTrue(latencyCount() >= before + 2, "two frames accepted, two latencies recorded");
    assertTrue(memory.get("/metrics").body().contains("detection_latency_seconds_bucket{"), "a percentile histogram");
  }

  @Test
  void anEmptyJsonBodyIsAValidationError() throws Exception {
    assertError(memory.post("/api/v1/detections", "application/json", ""), 400, "validation_failed");
  }

  @Test
  void aMalformedAlertCursorIsAValidationError() throws Exception {
    for (String bad : new String[] {"abc", "12", "x:y"}) {
      assertError(memory.get("/api/v1/alerts?cursor=" + bad), 400, "validation_failed");
    }
  }

  @Test
  void aMalformedHistoryCursorIsAValidationErrorWithTheMemoryStore() throws Exception {
    assertError(memory.get("/api/v1/cameras/any/history?before=abc"), 400, "validation_failed");
  }

  @Test
  void aMalformedHistoryCursorIsAValidationErrorWithRedis() throws Exception {
    try (Gateway gw = onRedis(TestRedis.url())) {
      assertError(gw.get("/api/v1/cameras/any/history?before=abc"), 400, "validation_failed");
      assertError(gw.get("/api/v1/alerts?cursor=abc"), 400, "validation_failed");
    }
  }

  @Test
  void aCursorBeforeTheFirstPossibleStreamEntryIsAnEmptyPageWithRedis() throws Exception {
    String camera = "first-" + UUID.randomUUID().toString().substring(0, 8);
    try (Gateway gw = onRedis(TestRedis.url())) {
      ResultStore store = ResultStore.create(gw.vertx, gw.config.redis());
      Assessment a = new Assessment(camera + ":1", camera, "1", RiskLevel.LOW, 0.1, "calm", List.of(),
          Assessment.SOURCE_RULES, null, null, 0, 1000, 2000, null, new JsonObject());
      assertTrue(store.record(a, null, List.of()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      store.close();
      HttpResponse<String> r = gw.get("/api/v1/cameras/" + camera + "/history?before=0-0");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(0, new JsonObject(r.body()).getInteger("count"));
    }
  }

  @Test
  void aStoreOutageAnswersStoreUnavailableWhileWritesAreStillTaken(@TempDir Path dir) throws Exception {
    try (ThrowawayRedis redis = new ThrowawayRedis(dir)) {
      redis.start();
      try (Gateway gw = onRedis(redis.url())) {
        redis.stop();
        for (String path : new String[] {"/api/v1/cameras", "/api/v1/cameras/cam-1", "/api/v1/alerts",
            "/api/v1/cameras/cam-1/history"}) {
          HttpResponse<String> r = gw.get(path);
          assertError(r, 503, "store_unavailable");
          assertEquals("7", r.headers().firstValue("Retry-After").orElse(null), path);
        }
        String frame = "{\"camera_id\":\"outage-1\",\"frame_id\":1,\"detections\":[]}";
        assertEquals(202, gw.post("/api/v1/detections", "application/json", frame).statusCode());
      }
    }
  }
}
