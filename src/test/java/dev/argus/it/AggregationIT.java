package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.RedisAPI;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;
import static dev.argus.it.Eventually.unchecked;
import static org.junit.jupiter.api.Assertions.*;

/** Aggregation against the real broker and real Redis: storm control, outages, queries. */
@ExtendWith(VertxExtension.class)
class AggregationIT {

  static String result(String camera, int n, String level, double score, long atMs) {
    String t = Instant.ofEpochMilli(atMs).toString();
    return new JsonObject().put("task_id", camera + ":" + n).put("camera_id", camera).put("frame_id", String.valueOf(n))
        .put("risk_level", level).put("risk_score", score).put("summary", level + " scene").put("source", "llm")
        .put("detected_at", t).put("assessed_at", t).encode();
  }

  static void produce(Gateway gw, String camera, List<String> values) throws Exception {
    try (KafkaProducer<String, String> p = PipelineIT.rawProducer()) {
      for (String v : values) p.send(new ProducerRecord<>(gw.topic("results"), camera, v));
      p.flush();
    }
  }

  /** Waits until the API says {@code camera} has at least {@code target} assessments stored; returns that count. */
  static long awaitStored(Gateway gw, String camera, long target) {
    return eventually(Duration.ofSeconds(60), target + " assessments stored for " + camera,
        () -> storedCount(gw, camera), n -> n >= target);
  }

  /** The alert events for {@code camera} received so far. */
  static List<JsonObject> alertsFor(SockJsClient bus, String camera) {
    List<JsonObject> events = new ArrayList<>();
    bus.received.forEach(m -> {
      JsonObject b = m.getJsonObject("body");
      if (b != null && camera.equals(b.getString("camera_id"))) events.add(b);
    });
    return events;
  }

  /** How many distinct results for {@code camera} came out live on the bus. */
  static long liveFor(SockJsClient bus, String camera) {
    return bus.received.stream().filter(m -> m.encode().contains(camera))
        .map(m -> m.getJsonObject("body").getString("task_id")).distinct().count();
  }

  /** How many assessments the API says the camera has stored (0 while it has none, or on an error). */
  static long storedCount(Gateway gw, String camera) {
    try {
      return new JsonObject(gw.get("/api/v1/cameras/" + camera).body()).getLong("assessments", 0L);
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void aCameraFlickeringBetweenHighAndLowFor1000AssessmentsYieldsOneAlertWhoseCountGrows() throws Exception {
    String cam = "flicker-" + UUID.randomUUID().toString().substring(0, 6);
    try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", TestRedis.url())));
         SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.alerts");
      long t0 = System.currentTimeMillis() - 1_000_000;
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        boolean high = i % 2 == 0;
        values.add(result(cam, i, high ? "high" : "low", high ? 0.8 : 0.1, t0 + i * 500L));
      }
      produce(gw, cam, values);
      assertEquals(1000, awaitStored(gw, cam, 1000));
      // The last held-back update (count 500) goes out within one re-publish window; nothing follows it.
      eventually(Duration.ofSeconds(30), "the alert event with count 500 for " + cam + " (observed: the counts published)",
          () -> alertsFor(bus, cam).stream().map(e -> e.getInteger("count")).toList(), counts -> counts.contains(500));
      List<JsonObject> events = alertsFor(bus, cam);
      Set<String> ids = new HashSet<>();
      events.forEach(e -> ids.add(e.getString("alert_id")));
      assertEquals(1, ids.size(), "one alert, not hundreds: " + ids);
      assertTrue(events.size() < 150, "storm control should re-publish rarely, got " + events.size());
      assertEquals(500, events.stream().mapToInt(e -> e.getInteger("count")).max().orElse(0), "counts past the results");
      JsonObject listed = new JsonObject(gw.get("/api/v1/alerts?limit=1000").body());
      long forCamera = listed.getJsonArray("items").stream().filter(o -> cam.equals(((JsonObject) o).getString("camera_id"))).count();
      assertEquals(1, forCamera, "the alert API lists the alert once, in its latest state");
    }
  }

  @Test
  void redisStoppedMidRunAndRestartedStoresEveryResultExactlyOnce(@TempDir Path dir, Vertx vertx) throws Exception {
    String cam = "outage-" + UUID.randomUUID().toString().substring(0, 6);
    try (ThrowawayRedis redis = new ThrowawayRedis(dir)) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", redis.url())));
           SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
        bus.register("argus.assessments");
        long t0 = System.currentTimeMillis() - 100_000;
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) (i < 150 ? first : second).add(result(cam, i, "low", 0.1, t0 + i * 10L));
        produce(gw, cam, first);
        awaitStored(gw, cam, 150);
        redis.stop();
        produce(gw, cam, second);
        eventually(Duration.ofSeconds(30), "readiness to say DEGRADED while Redis is down",
            unchecked(() -> new JsonObject(gw.get("/health/ready").body()).getString("status")), "DEGRADED"::equals);
        long live = eventually(Duration.ofSeconds(30), "results to keep going out live while Redis is down",
            () -> liveFor(bus, cam), n -> n >= 250);
        redis.start();
        assertEquals(300, awaitStored(gw, cam, 300), "every result stored");
        // A marker after the outage, keyed by the same camera: the aggregator handles a camera's records in
        // order, so once the marker is stored, a record stored twice would show in the count.
        produce(gw, cam, List.of(result(cam, 300, "low", 0.1, t0 + 300 * 10L)));
        assertEquals(301, awaitStored(gw, cam, 301), "and only once");
        RedisAPI api = RedisAPI.api(Redis.createClient(vertx, redis.url()));
        long history = api.xlen("argus:camera:" + cam + ":history").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toLong();
        assertEquals(301, history);
        eventually(Duration.ofSeconds(30), "readiness to say UP again", unchecked(() -> new JsonObject(gw.get("/health/ready").body()).getString("status")), "UP"::equals);
        assertEquals(301, eventually(Duration.ofSeconds(10), "the marker out live", () -> liveFor(bus, cam), n -> n >= 301),
            "every result out live, the marker too (live during the outage: " + live + ")");
      }
    }
  }

  @Test
  void historyAndAlertsPageWithCursors() throws Exception {
    String cam = "pages-" + UUID.randomUUID().toString().substring(0, 6);
    try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", TestRedis.url())))) {
      long t0 = System.currentTimeMillis() - 1_000_000;
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 10; i++) values.add(result(cam, i, "low", 0.1, t0 + i * 1000L));
      produce(gw, cam, values);
      awaitStored(gw, cam, 10);
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonObject page = new JsonObject(gw.get("/api/v1/cameras/" + cam + "/history?limit=3" + (cursor == null ? "" : "&before=" + cursor)).body());
        page.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("task_id")));
        cursor = page.getString("next");
        pages++;
      } while (cursor != null && pages < 10);
      assertEquals(4, pages);
      List<String> expected = new ArrayList<>();
      for (int i = 9; i >= 0; i--) expected.add(cam + ":" + i);
      assertEquals(expected, seen, "newest first, nothing twice, nothing missing");
      assertEquals(404, gw.get("/api/v1/cameras/nope-" + cam + "/history").statusCode());
      assertEquals(400, gw.get("/api/v1/cameras/" + cam + "/history?limit=0").statusCode());
      assertEquals(400, gw.get("/api/v1/alerts?status=sleeping").statusCode());
      JsonObject alerts = new JsonObject(gw.get("/api/v1/alerts?limit=2&status=open").body());
      assertTrue(alerts.getJsonArray("items").size() <= 2);
      alerts.getJsonArray("items").forEach(o -> assertEquals("open", ((JsonObject) o).getString("status")));
    }
  }
}
