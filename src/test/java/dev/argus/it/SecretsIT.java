package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every configured secret (LLM keys, producer, viewer and admin tokens, the Redis password) is looked
 * for in the logs, {@code /metrics}, every API reply and the page, while the gateway takes frames, calls
 * the provider with the keys and refuses bad credentials. Only masked forms may appear.
 */
@ExtendWith(VertxExtension.class)
class SecretsIT {
  static final String KEY_1 = "sk-live-aaaa1111bbbb2222";
  static final String KEY_2 = "sk-live-cccc3333dddd4444";
  static final String INGEST = "ingest-secret-9f8e7d";
  static final String VIEWER = "viewer-secret-6c5b4a";
  static final String ADMIN = "admin-secret-3e2d1c";
  static final String REDIS = "redis-secret-0a9b8c";
  static final List<String> SECRETS = List.of(KEY_1, KEY_2, INGEST, VIEWER, ADMIN, REDIS);

  @TempDir
  Path dir;

  @Test
  void noConfiguredSecretAppearsAnywhereButMasked(Vertx side) throws Exception {
    TestLlmServer llm = new TestLlmServer();
    int llmPort = llm.start(side);
    llm.respond(c -> TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
    List<String> seen = new ArrayList<>();
    try (LogCapture logs = new LogCapture("dev.argus"); ThrowawayRedis redis = new ThrowawayRedis(dir, REDIS)) {
      redis.start();
      JsonObject conf = Gateway.onTestKafka()
          .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0))
          .put("http", new JsonObject().put("ingestTokens", INGEST + ":sec-").put("viewerToken", VIEWER).put("adminToken", ADMIN))
          .put("redis", new JsonObject().put("url", "redis://:" + REDIS + "@127.0.0.1:" + redis.port).put("password", REDIS))
          .put("llm", new JsonObject().put("baseUrl", "http://127.0.0.1:" + llmPort + "/v1")
              .put("apiKeys", "one=" + KEY_1 + ",two=" + KEY_2));
      try (Gateway gw = Gateway.start(conf)) {
        String viewer = "Bearer " + VIEWER;
        String frame = "{\"camera_id\":\"sec-1\",\"detections\":[{\"label\":\"person\",\"confidence\":0.9,\"bbox\":[0,0,9,9]}]}";
        assertEquals(202, Http.post(gw.port, "/api/v1/detections", frame, "Authorization", "Bearer " + INGEST).statusCode());
        eventually(Duration.ofSeconds(60), "sec-1 assessed by the provider with one of the keys",
            () -> llm.callsWith(KEY_1) + llm.callsWith(KEY_2) > 0 && ok(gw, "/api/v1/cameras/sec-1", viewer));
        List<HttpResponse<String>> replies = new ArrayList<>(List.of(
            Http.get(gw.port, "/api/v1/cameras", "Authorization", viewer),
            Http.get(gw.port, "/api/v1/cameras/sec-1", "Authorization", viewer),
            Http.get(gw.port, "/api/v1/cameras/sec-1/history", "Authorization", viewer),
            Http.get(gw.port, "/api/v1/alerts", "Authorization", viewer),
            Http.get(gw.port, "/api/v1/llm/keys", "Authorization", viewer),
            Http.get(gw.port, "/health"), Http.get(gw.port, "/health/ready"), Http.get(gw.port, "/metrics"),
            Http.get(gw.port, "/api/v1/cameras", "Authorization", "Bearer " + VIEWER + "x"),
            Http.post(gw.port, "/api/v1/detections", Http.frame("other-cam"), "Authorization", "Bearer " + INGEST),
            Http.post(gw.port, "/api/v1/detections", Http.frame("sec-2"), "Authorization", "Bearer " + INGEST + "x"),
            Http.post(gw.port, "/api/v1/llm/keys/one/disable", null, "Authorization", "Bearer " + VIEWER),
            Http.post(gw.port, "/api/v1/llm/keys/one/enable", null, "Authorization", "Bearer " + ADMIN),
            Http.get(gw.port, "/api/v1/nothing", "X-Request-Id", "secrets-probe-1")));
        for (String page : pageFiles()) replies.add(Http.get(gw.port, page));
        replies.forEach(r -> seen.add(r.uri() + " -> " + r.statusCode() + " " + r.headers().map() + "\n" + r.body()));
        assertTrue(replies.get(4).body().contains("\"one\""), "the key list names the keys by id: " + replies.get(4).body());
      }
      assertTrue(logs.all().contains("secrets-probe-1"), "the refused request's log line carries its id");
      seen.add(logs.all());
    }
    String everything = String.join("\n", seen);
    for (String secret : SECRETS) {
      assertFalse(everything.contains(secret), "secret ending " + secret.substring(secret.length() - 4) + " leaked:\n"
          + around(everything, secret));
    }
  }

  private static boolean ok(Gateway gw, String path, String auth) {
    try {
      return Http.get(gw.port, path, "Authorization", auth).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** The page and every module and stylesheet it loads. */
  private static List<String> pageFiles() throws Exception {
    List<String> files = new ArrayList<>(List.of("/", "/index.html", "/style.css"));
    try (Stream<Path> js = Files.list(Path.of("webroot/js"))) {
      js.map(p -> "/js/" + p.getFileName()).forEach(files::add);
    }
    return files;
  }

  private static String around(String text, String secret) {
    int i = text.indexOf(secret);
    return text.substring(Math.max(0, i - 300), Math.min(text.length(), i + 100));
  }
}
