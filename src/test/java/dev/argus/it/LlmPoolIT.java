package dev.argus.it;

import dev.argus.config.LlmKeySpec;
import dev.argus.demo.SimulatedLlmVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The key pool against real HTTP providers: the simulated one (limits, revoked keys) and a scripted one (faults). */
@ExtendWith(VertxExtension.class)
class LlmPoolIT {
  static Vertx side;

  @BeforeAll
  static void start(Vertx vertx) {
    side = vertx; // closed by the extension after the class
  }

  static JsonObject gatewayConf(String baseUrl, String keys, JsonObject llmExtra) {
    return Gateway.onTestKafka()
        .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0))
        .put("llm", new JsonObject().put("baseUrl", baseUrl).put("apiKeys", keys).put("timeoutMs", 2000)
            .put("breaker", new JsonObject().put("maxFailures", 3).put("firstResetMs", 60000).put("resetTimeoutMs", 60000)).mergeIn(llmExtra));
  }

  static SimulatedLlmVerticle simulated(List<LlmKeySpec> keys, List<String> revoked) throws Exception {
    SimulatedLlmVerticle sim = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0, keys, revoked, 50, 0.3, 0, 0));
    side.deployVerticle(sim).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return sim;
  }

  static LlmKeySpec key(String id, String secret, double qps) {
    return new LlmKeySpec(id, secret, 1, qps, 0, 1, null, null);
  }

  /** Posts one frame for each of n new cameras and collects their assessments from the bridge. */
  static List<JsonObject> assess(Gateway gw, int n, String label, long seconds) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<JsonObject> out = new ArrayList<>();
    try (SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      StringBuilder nd = new StringBuilder();
      for (int i = 0; i < n; i++) {
        nd.append("{\"camera_id\":\"pool-").append(run).append('-').append(i)
            .append("\",\"frame_id\":1,\"detections\":[{\"label\":\"").append(label).append("\",\"confidence\":0.9,\"bbox\":[0,0,9,9]}]}\n");
      }
      assertEquals(202, gw.post("/api/v1/detections", "application/x-ndjson", nd.toString()).statusCode());
      long deadline = System.currentTimeMillis() + seconds * 1000;
      while (out.size() < n && System.currentTimeMillis() < deadline) {
        JsonObject m = bus.next("argus.assessments", 1);
        if (m != null && m.getJsonObject("body").getString("camera_id").startsWith("pool-" + run)) out.add(m.getJsonObject("body"));
      }
    }
    assertEquals(n, out.size(), "assessments received");
    return out;
  }

  static JsonObject keys(Gateway gw) throws Exception {
    return new JsonObject(gw.get("/api/v1/llm/keys").body());
  }

  static JsonObject keyView(Gateway gw, String id) throws Exception {
    for (Object k : keys(gw).getJsonArray("keys")) if (((JsonObject) k).getString("id").equals(id)) return (JsonObject) k;
    throw new AssertionError("no key " + id);
  }

  static JsonObject providerStats(SimulatedLlmVerticle sim) throws Exception {
    HttpResponse<String> r = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.actualPort() + "/v1/stats")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  @Test
  void aRevokedKeyGetsExactlyOneCallAndIsShownDisabledAndMasked() throws Exception {
    SimulatedLlmVerticle sim = simulated(List.of(key("good", "sk-good-1111111111", 100), key("revoked", "sk-revoked-22222222", 100)),
        List.of("sk-revoked-22222222"));
    String url = "http://127.0.0.1:" + sim.actualPort() + "/v1";
    try (Gateway gw = Gateway.start(gatewayConf(url, "good=sk-good-1111111111,revoked=sk-revoked-22222222", new JsonObject()))) {
      List<JsonObject> results = assess(gw, 40, "person", 60);
      assertTrue(results.stream().allMatch(a -> "llm".equals(a.getString("source"))), results.toString());
      assertEquals(1, providerStats(sim).getJsonObject("revoked").getLong("unauthorized"), "calls to the revoked key");
      JsonObject revoked = keyView(gw, "revoked");
      assertEquals("disabled", revoked.getString("state"));
      assertNotNull(revoked.getString("reason"));
      assertEquals("sk-…2222", revoked.getString("key"));
      assertFalse(gw.get("/api/v1/llm/keys").body().contains("sk-revoked-2"), "a secret leaked");
      assertTrue(gw.get("/metrics").body().contains("llm_key_state{api_key_id=\"revoked\",state=\"disabled\"} 1.0"));
    }
  }

  @Test
  void aRateLimitStormCoolsKeysWithoutFailingTasks() throws Exception {
    // The pool is not told the limits (2 QPS per key): it must find them from the 429s.
    SimulatedLlmVerticle sim = simulated(List.of(key("a", "sk-storm-a-00000001", 2), key("b", "sk-storm-b-00000002", 2)), List.of());
    String url = "http://127.0.0.1:" + sim.actualPort() + "/v1";
    try (Gateway gw = Gateway.start(gatewayConf(url, "a=sk-storm-a-00000001,b=sk-storm-b-00000002",
        new JsonObject().put("cooling", new JsonObject().put("minCooldownMs", 200).put("maxCooldownMs", 2000))))) {
      List<JsonObject> results = assess(gw, 30, "person", 60);
      long llm = results.stream().filter(a -> "llm".equals(a.getString("source"))).count();
      assertEquals(30, llm, "every task should finish on the LLM within its deadline");
      JsonObject stats = providerStats(sim);
      long limited = stats.getJsonObject("a").getLong("rate_limited") + stats.getJsonObject("b").getLong("rate_limited");
      long admitted = stats.getJsonObject("a").getLong("admitted") + stats.getJsonObject("b").getLong("admitted");
      assertTrue(limited > 0, "the storm should have produced 429s");
      assertTrue(limited < admitted, "cooling should keep refusals below admissions: " + stats);
      assertTrue(gw.get("/metrics").body().contains("status=\"rate_limited\""));
    }
  }

  @Test
  void aServerErrorBurstOpensThatKeysBreakerAndTasksFinishOnTheOther() throws Exception {
    TestLlmServer llm = new TestLlmServer();
    int port = llm.start(side);
    llm.respond(c -> c.authorization().contains("sk-broken") ? new TestLlmServer.Reply(500, null)
        : TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    try (Gateway gw = Gateway.start(gatewayConf("http://127.0.0.1:" + port + "/v1",
        "broken=sk-broken-000000001,fine=sk-fine-0000000002", new JsonObject()))) {
      List<JsonObject> results = assess(gw, 30, "person", 60);
      assertTrue(results.stream().allMatch(a -> "fine".equals(a.getString("api_key_id"))), results.toString());
      assertEquals("circuit_open", keyView(gw, "broken").getString("state"));
      assertTrue(llm.callsWith("sk-broken-000000001") <= 4, "the open breaker must stop calls: " + llm.callsWith("sk-broken-000000001"));
    }
  }

  @Test
  void hungCallsTimeOutAndTheTaskMovesToAnotherKey() throws Exception {
    TestLlmServer llm = new TestLlmServer();
    int port = llm.start(side);
    llm.respond(c -> c.authorization().contains("sk-hangs") ? TestLlmServer.Reply.hang()
        : TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    try (Gateway gw = Gateway.start(gatewayConf("http://127.0.0.1:" + port + "/v1",
        "hangs=sk-hangs-0000000001,fine=sk-fine-0000000002", new JsonObject().put("timeoutMs", 800)))) {
      List<JsonObject> results = assess(gw, 6, "person", 60);
      assertTrue(results.stream().allMatch(a -> "fine".equals(a.getString("api_key_id"))), results.toString());
      assertTrue(llm.callsWith("sk-hangs-0000000001") >= 1);
      // Every key's counters exist from the start: the timeout must have been counted, not merely exist.
      assertTrue(gw.get("/metrics").body().matches(
          "(?s).*llm_requests_total\\{api_key_id=\"hangs\",model=\"gpt-4o-mini\",status=\"timeout\"} [1-9].*"));
    }
  }

  @Test
  void whenEveryKeyIsCoolingTasksWaitThenTheRulesAnswerAtTheDeadline() throws Exception {
    TestLlmServer llm = new TestLlmServer();
    int port = llm.start(side);
    llm.respond(c -> new TestLlmServer.Reply(429, null, Map.of("Retry-After", "60")));
    try (Gateway gw = Gateway.start(gatewayConf("http://127.0.0.1:" + port + "/v1",
        "k1=sk-cool-1-00000001,k2=sk-cool-2-00000002", new JsonObject().put("deadlineMs", 3000)))) {
      long t0 = System.currentTimeMillis();
      List<JsonObject> results = assess(gw, 3, "knife", 30);
      long waited = System.currentTimeMillis() - t0;
      for (JsonObject a : results) {
        assertEquals("rules", a.getString("source"));
        assertTrue(a.getString("fallback_reason").contains("deadline"), a.encode());
      }
      assertTrue(waited >= 2500, "tasks should have waited for a key until their deadline, waited " + waited + " ms");
      assertEquals(1, llm.callsWith("sk-cool-1-00000001"), "a cooling key must not be called again");
      assertEquals(1, llm.callsWith("sk-cool-2-00000002"));
      assertEquals("cooling", keyView(gw, "k1").getString("state"));
      assertNotNull(keyView(gw, "k1").getString("cooldown_until"));
      assertTrue(gw.get("/metrics").body().matches("(?s).*llm_tasks_expired_total [1-9].*"));
    }
  }

  @Test
  void operatorsDisableAndEnableKeysWithTheAdminToken() throws Exception {
    TestLlmServer llm = new TestLlmServer();
    int port = llm.start(side);
    JsonObject conf = gatewayConf("http://127.0.0.1:" + port + "/v1", "k1=sk-admin-1-0000001", new JsonObject())
        .put("http", new JsonObject().put("adminToken", "s3cret"));
    try (Gateway gw = Gateway.start(conf)) {
      assertEquals(401, gw.post("/api/v1/llm/keys/k1/disable", "application/json", "").statusCode());
      HttpResponse<String> r = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port + "/api/v1/llm/keys/k1/disable"))
          .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("disabled", keyView(gw, "k1").getString("state"));
      List<JsonObject> results = assess(gw, 1, "person", 30);
      assertEquals("rules", results.get(0).getString("source"), "a disabled pool leaves the rules");
      r = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port + "/api/v1/llm/keys/k1/enable"))
          .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertNotEquals("disabled", keyView(gw, "k1").getString("state"));
      assertEquals("llm", assess(gw, 1, "person", 30).get(0).getString("source"));
      assertEquals(404, Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port + "/api/v1/llm/keys/nope/enable"))
          .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }
}
