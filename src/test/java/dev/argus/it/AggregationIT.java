package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Aggregation against the real broker and real Redis: storm control, outages, queries. */
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

  static long await(java.util.function.LongSupplier value, long target, long seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000;
    long v = value.getAsLong();
    while (v < target && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      v = value.getAsLong();
    }
    return v;
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
      Thread.sleep(300);
      long t0 = System.currentTimeMillis() - 1_000_000;
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        boolean high = i % 2 == 0;
        values.add(result(cam, i, high ? "high" : "low", high ? 0.8 : 0.1, t0 + i * 500L));
      }
      produce(gw, cam, values);
      long stored = await(() -> storedCount(gw, cam), 1000, 60);
      assertEquals(1000, stored);
      Thread.sleep(6000); // the held-back update goes out within one re-publish window
      List<JsonObject> events = new ArrayList<>();
      bus.received.forEach(m -> {
        JsonObject b = m.getJsonObject("body");
        if (b != null && cam.equals(b.getString("camera_id"))) events.add(b);
      });
      Set<String> ids = new HashSet<>();
      events.forEach(e -> ids.add(e.getString("alert_id")));
      assertEquals(1, ids.size(), "one alert, not hundreds: " + ids);
      assertTrue(events.size() < 150, "storm control should re-publish rarely, got " + events.size());
      assertEquals(500, events.stream().mapToInt(e -> e.getInteger("count")).max().orElse(0));
      JsonObject listed = new JsonObject(gw.get("/api/v1/alerts?limit=1000").body());
      long forCamera = listed.getJsonArray("items").stream().filter(o -> cam.equals(((JsonObject) o).getString("camera_id"))).count();
      assertEquals(1, forCamera, "the alert API lists the alert once, in its latest state");
    }
  }

  @Test
  void redisStoppedMidRunAndRestartedStoresEveryResultExactlyOnce(@TempDir Path dir) throws Exception {
    String cam = "outage-" + UUID.randomUUID().toString().substring(0, 6);
    try (ThrowawayRedis redis = new ThrowawayRedis(dir)) {
      redis.start();
      try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", redis.url())));
           SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
        bus.register("argus.assessments");
        Thread.sleep(300);
        long t0 = System.currentTimeMillis() - 100_000;
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) (i < 150 ? first : second).add(result(cam, i, "low", 0.1, t0 + i * 10L));
        produce(gw, cam, first);
        Thread.sleep(1500);
        redis.stop();
        produce(gw, cam, second);
        Thread.sleep(3000);
        JsonObject ready = new JsonObject(gw.get("/health/ready").body());
        assertEquals("DEGRADED", ready.getString("status"), ready.encode());
        long live = bus.received.stream().filter(m -> m.encode().contains(cam)).count();
        assertTrue(live >= 250, "results keep going out live while Redis is down: " + live);
        redis.start();
        long stored = await(() -> storedCount(gw, cam), 300, 60);
        assertEquals(300, stored, "every result stored");
        Thread.sleep(2000);
        assertEquals(300, new JsonObject(gw.get("/api/v1/cameras/" + cam).body()).getLong("assessments"), "and only once");
        Vertx v = Vertx.vertx();
        try {
          RedisAPI api = RedisAPI.api(Redis.createClient(v, redis.url()));
          long history = api.xlen("argus:camera:" + cam + ":history").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toLong();
          assertEquals(300, history);
        } finally {
          v.close();
        }
        assertEquals("UP", new JsonObject(gw.get("/health/ready").body()).getString("status"));
        assertEquals(300, bus.received.stream().filter(m -> m.encode().contains(cam)).map(m -> m.getJsonObject("body").getString("task_id")).distinct().count());
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
      await(() -> storedCount(gw, cam), 10, 30);
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
