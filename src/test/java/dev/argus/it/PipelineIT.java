package dev.argus.it;

import io.vertx.core.json.JsonObject;
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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The whole pipeline on the embedded broker and the real Redis, watched through the SockJS bridge. */
class PipelineIT {
  static TestLlmServer llm = new TestLlmServer();
  static Gateway gw;
  static RedisAPI redis;

  @BeforeAll
  static void start() throws Exception {
    String redisUrl = TestRedis.url();
    io.vertx.core.Vertx side = io.vertx.core.Vertx.vertx();
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
      Thread.sleep(300);
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

  private static TestLlmServer.Call waitForCall(String camera) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      for (TestLlmServer.Call c : llm.calls) if (c.body().encode().contains(camera)) return c;
      Thread.sleep(100);
    }
    throw new AssertionError("the LLM was never called for " + camera);
  }

  @Test
  void redisHoldsTheLatestStateAndTheApiServesIt() throws Exception {
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      Thread.sleep(300);
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
      bus.register("argus.internal.llm.status");
      JsonObject reply = bus.next(null, 10);
      assertEquals("access_denied", reply.getString("body"), "internal addresses are not registrable");
    }
  }

  @Test
  void whenEveryKeyFailsTheRulesAssessorAnswersAndSaysWhy() throws Exception {
    String cam = camera();
    llm.respond(c -> c.body().encode().contains(cam) ? new TestLlmServer.Reply(500, null) : TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      Thread.sleep(300);
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
      Thread.sleep(300);
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
      Thread.sleep(300);
      producer.send(new ProducerRecord<>(gw.topic("results"), cam, result)).get();
      producer.send(new ProducerRecord<>(gw.topic("results"), cam, result)).get();
      assessmentFor(bus, "argus.assessments", cam);
      Thread.sleep(2000);
      assertTrue(bus.received.stream().noneMatch(m -> m.encode().contains(cam)), "the duplicate was published again");
      Response count = redis.hget("argus:camera:" + cam, "assessments").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(1, count.toInteger());
    }
  }

  @Test
  void anUndecodableRecordGoesToTheDeadLetterTopicWithTheReason() throws Exception {
    String cam = camera();
    try (KafkaProducer<String, String> producer = rawProducer()) {
      producer.send(new ProducerRecord<>(gw.topic("detections"), cam, "this is not json")).get();
      producer.send(new ProducerRecord<>(gw.topic("detections"), cam, frame(cam, 1, "person"))).get();
    }
    List<ConsumerRecord<String, byte[]>> dlq = List.of();
    for (int i = 0; i < 20 && dlq.isEmpty(); i++) {
      dlq = TestKafka.readAll(TestKafka.bootstrap(), gw.topic("detections") + ".dlq", 1000).stream()
          .filter(r -> cam.equals(r.key())).toList();
    }
    assertEquals(1, dlq.size());
    assertEquals("this is not json", new String(dlq.get(0).value(), StandardCharsets.UTF_8));
    assertEquals("undecodable", new String(dlq.get(0).headers().lastHeader("argus.dlq.reason").value(), StandardCharsets.UTF_8));
    // the partition was not blocked: the good frame behind it was assessed
    waitForCall(cam);
  }

  @Test
  void metricsCarryTheContractNames() throws Exception {
    String cam = camera();
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      Thread.sleep(300);
      gw.post("/api/v1/detections", "application/json", frame(cam, 1, "person"));
      assessmentFor(bus, "argus.assessments", cam);
    }
    Thread.sleep(5500); // consumer lag is refreshed every 5 s
    String metrics = gw.get("/metrics").body();
    for (String name : List.of("detection_total{", "llm_requests_total{", "llm_latency_seconds_bucket",
        "api_key_success_rate{", "kafka_consumer_lag{", "argus_pipeline_latency_seconds_bucket", "jvm_memory_used_bytes")) {
      assertTrue(metrics.contains(name), "missing metric " + name);
    }
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

  static KafkaProducer<String, String> rawProducer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }
}
