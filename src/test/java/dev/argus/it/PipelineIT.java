package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;
import static dev.argus.it.Eventually.unchecked;
import static org.junit.jupiter.api.Assertions.*;

/** The whole pipeline on the embedded broker and the real Redis, watched through the SockJS bridge. */
@ExtendWith(VertxExtension.class)
class PipelineIT {
  static TestLlmServer llm = new TestLlmServer();
  static Gateway gw;
  static RedisAPI redis;

  @BeforeAll
  static void start(Vertx side) throws Exception {
    String redisUrl = TestRedis.url();
    int llmPort = llm.start(side);
    redis = RedisAPI.api(Redis.createClient(side, redisUrl));
    gw = Gateway.start(Gateway.onTestKafka()
        .put("redis", new JsonObject().put("url", redisUrl))
        .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0))
        .put("llm", new JsonObject().put("baseUrl", "http://127.0.0.1:" + llmPort + "/v1").put("model", "test-model")
            .put("apiKeys", "alpha=sk-alpha-000000000001,beta=sk-beta-0000000000002").put("timeoutMs", 3000)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  static String camera() {
    return "pipe-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String frame(String camera, int id, String label) {
    return "{\"camera_id\":\"" + camera + "\",\"frame_id\":" + id + ",\"model_type\":\"yolov8n\","
        + "\"detections\":[{\"label\":\"" + label + "\",\"confidence\":0.93,\"bbox\":[10,20,110,220]}]}";
  }

  /** The next assessment for {@code camera} on the bridge, skipping other cameras'. */
  static JsonObject assessmentFor(SockJsClient bus, String address, String camera) throws Exception {
    for (int i = 0; i < 200; i++) {
      JsonObject m = bus.next(address, 30);
      assertNotNull(m, "nothing arrived on " + address);
      if (m.getJsonObject("body") != null && camera.equals(m.getJsonObject("body").getString("camera_id"))) return m.getJsonObject("body");
    }
    throw new AssertionError("no message for " + camera);
  }

  @Test
  void aFrameBecomesAnLlmAssessmentAndAnAlertOnTheEventBus() throws Exception {
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      bus.register("argus.alerts");
      String cam = camera();
      assertEquals(202, gw.post("/api/v1/detections", "application/json", frame(cam, 7, "knife")).statusCode());
      JsonObject a = assessmentFor(bus, "argus.assessments", cam);
      assertEquals(cam + ":7", a.getString("task_id"));
      assertEquals("llm", a.getString("source"));
      assertEquals("high", a.getString("risk_level"));
      assertEquals(0.81, a.getDouble("risk_score"));
      assertEquals("test-model", a.getString("model"));
      assertTrue(List.of("alpha", "beta").contains(a.getString("api_key_id")));
      assertNotNull(a.getString("detected_at"));
      assertNotNull(a.getString("assessed_at"));
      JsonObject alert = assessmentFor(bus, "argus.alerts", cam);
      assertEquals("high", alert.getString("level"));
      assertEquals(1, alert.getInteger("count"));
      assertNotNull(alert.getString("alert_id"));
    }
  }

  @Test
  void theLlmCallCarriesTheKeyTheFrameAndTheVisionPart() throws Exception {
    String cam = camera();
    String f = "{\"camera_id\":\"" + cam + "\",\"frame_id\":1,\"image_url\":\"http://img/1.jpg\",\"detections\":[]}";
    gw.post("/api/v1/detections", "application/json", f);
    TestLlmServer.Call call = waitForCall(cam);
    assertTrue(call.authorization().equals("Bearer sk-alpha-000000000001") || call.authorization().equals("Bearer sk-beta-0000000000002"));
    JsonObject user = call.body().getJsonArray("messages").getJsonObject(1);
    assertEquals("image_url", user.getJsonArray("content").getJsonObject(1).getString("type"));
    assertEquals("test-model", call.body().getString("model"));
  }

  private static TestLlmServer.Call waitForCall(String camera) {
    return eventually(Duration.ofSeconds(30), "an LLM call for " + camera,
        () -> llm.calls.stream().filter(c -> c.body().encode().contains(camera)).findFirst(), o -> o.isPresent()).get();
  }

  @Test
  void redisHoldsTheLatestStateAndTheApiServesIt() throws Exception {
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      String cam = camera();
      gw.post("/api/v1/detections", "application/json", frame(cam, 1, "person"));
      assessmentFor(bus, "argus.assessments", cam);
      gw.post("/api/v1/detections", "application/json", frame(cam, 2, "person"));
      assessmentFor(bus, "argus.assessments", cam);
      Response latest = redis.hget("argus:camera:" + cam, "latest").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(cam + ":2", new JsonObject(latest.toString()).getString("task_id"));
      Response count = redis.hget("argus:camera:" + cam, "assessments").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(2, count.toInteger());
      JsonObject api = new JsonObject(gw.get("/api/v1/cameras/" + cam).body());
      assertEquals(cam + ":2", api.getJsonObject("latest").getString("task_id"));
      assertTrue(gw.get("/api/v1/cameras").body().contains(cam));
      assertEquals(404, gw.get("/api/v1/cameras/never-seen-" + cam).statusCode());
    }
  }

  @Test
  void theBridgeRefusesEveryPublishAndSendFromBrowsers() throws Exception {
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      for (String type : List.of("publish", "send")) {
        for (String address : List.of("argus.assessments", "argus.alerts", "argus.internal.llm.status")) {
          bus.send(new JsonObject().put("type", type).put("address", address).put("body", new JsonObject()));
          JsonObject reply = bus.next(null, 10);
          assertNotNull(reply, type + " " + address + " got no answer");
          assertEquals("err", reply.getString("type"));
          assertEquals("access_denied", reply.getString("body"));
        }
      }
      bus.send(new JsonObject().put("type", "register").put("address", "argus.internal.llm.status"));
      JsonObject reply = bus.next(null, 10);
      assertNotNull(reply, "register argus.internal.llm.status got no answer");
      assertEquals("access_denied", reply.getString("body"), "internal addresses are not registrable");
    }
  }

  @Test
  void whenEveryKeyFailsTheRulesAssessorAnswersAndSaysWhy() throws Exception {
    String cam = camera();
    llm.respond(c -> c.body().encode().contains(cam) ? new TestLlmServer.Reply(500, null) : TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      gw.post("/api/v1/detections", "application/json", frame(cam, 1, "gun"));
      JsonObject a = assessmentFor(bus, "argus.assessments", cam);
      assertEquals("rules", a.getString("source"));
      assertEquals("critical", a.getString("risk_level"));
      assertTrue(a.getString("fallback_reason").contains("server_error"), a.encode());
      assertEquals(2, llm.calls.stream().filter(c -> c.body().encode().contains(cam)).count(),
          "each key is tried once, then the rules answer");
    } finally {
      llm.respond(c -> TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    }
  }

  @Test
  void anUnusableReplyIsAFailedCallNotAnAssessment() throws Exception {
    String cam = camera();
    llm.respond(c -> c.body().encode().contains(cam) ? TestLlmServer.Reply.ok("I think it is fine.") : TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      gw.post("/api/v1/detections", "application/json", frame(cam, 1, "person"));
      JsonObject a = assessmentFor(bus, "argus.assessments", cam);
      assertEquals("rules", a.getString("source"));
      assertTrue(a.getString("fallback_reason").contains("invalid_reply"), a.encode());
    } finally {
      llm.respond(c -> TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    }
    assertTrue(gw.get("/metrics").body().contains("status=\"invalid_reply\""));
  }

  @Test
  void aReplayedResultIsStoredAndPublishedOnce() throws Exception {
    String cam = camera();
    String result = new JsonObject().put("task_id", cam + ":9").put("camera_id", cam).put("risk_level", "low")
        .put("risk_score", 0.1).put("summary", "quiet").put("source", "rules")
        .put("detected_at", "2026-01-01T00:00:00Z").put("assessed_at", "2026-01-01T00:00:01Z").encode();
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port);
         KafkaProducer<String, String> producer = rawProducer()) {
      bus.register("argus.assessments");
      producer.send(new ProducerRecord<>(gw.topic("results"), cam, result)).get();
      producer.send(new ProducerRecord<>(gw.topic("results"), cam, result)).get();
      // A marker after the replay, keyed by the same camera: the aggregator handles a camera's records in
      // order, so once the marker is out, the replay has been handled too.
      producer.send(new ProducerRecord<>(gw.topic("results"), cam, result.replace(cam + ":9", cam + ":10"))).get();
      assertEquals(cam + ":9", assessmentFor(bus, "argus.assessments", cam).getString("task_id"));
      assertEquals(cam + ":10", assessmentFor(bus, "argus.assessments", cam).getString("task_id"),
          "the replayed result was published again before the marker");
      Response count = redis.hget("argus:camera:" + cam, "assessments").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(2, count.toInteger(), "the replay was stored again");
    }
  }

  @Test
  void anUndecodableRecordGoesToTheDeadLetterTopicWithTheReason() throws Exception {
    String cam = camera();
    try (KafkaProducer<String, String> producer = rawProducer()) {
      producer.send(new ProducerRecord<>(gw.topic("detections"), cam, "this is not json")).get();
      producer.send(new ProducerRecord<>(gw.topic("detections"), cam, frame(cam, 1, "person"))).get();
      // A second bad record as a marker: the camera's records are handled in order, so once the marker is
      // dead-lettered, a duplicate of the first one would already be there.
      producer.send(new ProducerRecord<>(gw.topic("detections"), cam, "marker, not json either")).get();
    }
    List<ConsumerRecord<String, byte[]>> dlq = TestKafka.readUntil(TestKafka.bootstrap(), gw.topic("detections") + ".dlq",
        Duration.ofSeconds(30), read -> read.stream().anyMatch(r -> cam.equals(r.key()) && text(r).startsWith("marker"))).stream()
        .filter(r -> cam.equals(r.key())).toList();
    assertEquals(List.of("this is not json", "marker, not json either"), dlq.stream().map(PipelineIT::text).toList());
    assertEquals("undecodable", new String(dlq.get(0).headers().lastHeader("argus.dlq.reason").value(), StandardCharsets.UTF_8));
    // the partition was not blocked: the good frame behind it was assessed
    waitForCall(cam);
  }

  @Test
  void metricsCarryTheContractNames() throws Exception {
    String cam = camera();
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      gw.post("/api/v1/detections", "application/json", frame(cam, 1, "person"));
      assessmentFor(bus, "argus.assessments", cam);
    }
    List<String> names = List.of("detection_total{", "llm_requests_total{", "llm_latency_seconds_bucket",
        "api_key_success_rate{", "kafka_consumer_lag{", "argus_pipeline_latency_seconds_bucket", "jvm_memory_used_bytes");
    // The consumer lag gauge appears at its first refresh (every 5 s), so the scrape is repeated until it has it.
    eventually(Duration.ofSeconds(30), "every contract metric on /metrics (observed: the missing ones)",
        unchecked(() -> {
          String body = gw.get("/metrics").body();
          return names.stream().filter(n -> !body.contains(n)).toList();
        }), List::isEmpty);
    String metrics = gw.get("/metrics").body();
    assertFalse(metrics.contains("sk-alpha"), "a key leaked into metrics");
  }

  @Test
  void readinessReportsBackboneStoreAndPool() throws Exception {
    var r = gw.get("/health/ready");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject checks = new JsonObject(r.body()).getJsonObject("checks");
    assertEquals("external", checks.getJsonObject("backbone").getString("mode"));
    assertEquals("redis", checks.getJsonObject("store").getString("kind"));
    assertEquals(2, checks.getJsonObject("llm").getInteger("keys"));
    assertFalse(r.body().contains("sk-alpha") || r.body().contains("sk-beta"), "no secret in health output");
  }

  private static String text(ConsumerRecord<String, byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  static KafkaProducer<String, String> rawProducer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }
}
