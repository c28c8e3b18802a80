package dev.argus.demo;

import dev.argus.config.LlmKeySpec;
import dev.argus.demo.provider.ProviderModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The verticle's HTTP wiring: replies, headers and counters as the limit model decides them. */
class SimulatedLlmVerticleTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int start(ProviderModel model) throws Exception {
    SimulatedLlmVerticle sim = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0,
        List.of(new LlmKeySpec("a", "sk-test-a-0000000", 1, 10, 0, 1, null, null)), List.of(), 5, 0.1, 0, 0, model));
    vertx.deployVerticle(sim).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return sim.actualPort();
  }

  private static HttpResponse<String> call(int port, String secret) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"argus-sim-1\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersWithUsageAndOpenAiRateHeaders() throws Exception {
    int port = start(ProviderModel.parse("m", new JsonObject("""
        {"headers": "openai", "key": [{"type": "token_bucket", "capacity": 5, "perSecond": 1}]}""")));
    HttpResponse<String> r = call(port, "sk-test-a-0000000");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("4", r.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
    assertNotNull(new JsonObject(r.body()).getJsonObject("usage").getLong("prompt_tokens"));
  }

  @Test
  void countsEvery429InItsStats() throws Exception {
    int port = start(ProviderModel.parse("m", new JsonObject("""
        {"key": [{"type": "token_bucket", "capacity": 1, "perSecond": 0.001}]}""")));
    assertEquals(200, call(port, "sk-test-a-0000000").statusCode());
    HttpResponse<String> refused = call(port, "sk-test-a-0000000");
    assertEquals(429, refused.statusCode());
    JsonObject stats = new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertEquals(1, stats.getJsonObject("a").getLong("admitted"));
    assertEquals(1, stats.getJsonObject("a").getLong("rate_limited"));
  }
}
