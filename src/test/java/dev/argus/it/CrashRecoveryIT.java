package dev.argus.it;

import dev.argus.model.MetricNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9 point 7: after a SIGKILL and a restart, every camera's newest durable frame is assessed and
 * no task is stored twice. The fat jar runs as a process on the shared test broker (which survives the
 * kill) with a Redis of the test's own; the LLM is the test's and holds back the calls it is told to.
 *
 * <p>On the one detections partition: P1 (its LLM call hangs), P2 (held behind P1), Q1 (assessed and
 * stored), Q2 (its call hangs), Q3 (held behind Q2). Then SIGKILL. P2 and Q3 were never turned into
 * tasks, so their records must not have been committed (else they are lost), and after the restart
 * the replay re-emits Q1, whose result is a duplicate: its completion must still free camera Q.
 */
class CrashRecoveryIT {
  private static final TestLlmServer llm = new TestLlmServer();
  private final Vertx side = Vertx.vertx();
  private final long base = System.currentTimeMillis();

  @Test
  void afterASigkillEveryCamerasNewestFrameIsAssessedAndNoTaskIsStoredTwice(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("argus.jar", "target/argus-gateway.jar"));
    assertTrue(Files.exists(jar), "build the jar first (mvn verify does): " + jar);
    String id = UUID.randomUUID().toString().substring(0, 6);
    String p = "crash-p-" + id;
    String q = "crash-q-" + id;
    try (ThrowawayRedis store = new ThrowawayRedis(dir)) {
      store.start();
      RedisAPI redis = RedisAPI.api(Redis.createClient(side, store.url()));
      int llmPort = llm.start(side);
      // Until the crash, the calls for P1 and Q2 hang (their tasks stay pending); afterwards all answer.
      AtomicBoolean crashed = new AtomicBoolean();
      llm.respond(c -> !crashed.get() && (c.body().encode().contains("at " + ts(p, 1)) || c.body().encode().contains("at " + ts(q, 2)))
          ? TestLlmServer.Reply.hang() : TestLlmServer.Reply.ok(TestLlmServer.DEFAULT_CONTENT));
      JsonObject conf = Gateway.onTestKafka();
      conf.getJsonObject("kafka").getJsonObject("topics").getJsonObject("detections").put("partitions", 1);
      conf.put("redis", new JsonObject().put("url", store.url()))
          // A pending task never times out here: a camera is freed only by its task's completion.
          .put("detection", new JsonObject().put("pendingTimeoutMs", 600_000))
          .put("llm", new JsonObject().put("baseUrl", "http://127.0.0.1:" + llmPort + "/v1").put("model", "test-model")
              .put("apiKeys", "alpha=sk-alpha-000000000001")
              // A hung call stays hung until the crash (no timeout, retry or deadline fallback first).
              .put("timeoutMs", 300_000).put("deadlineMs", 600_000));
      Path confFile = dir.resolve("conf.json");
      Files.writeString(confFile, conf.encode());
      String detections = conf.getJsonObject("kafka").getJsonObject("topics").getJsonObject("detections").getString("name");
      String bridgeGroup = conf.getJsonObject("kafka").getString("groupPrefix") + "-bridge";
      int http = Ports.free();

      Process first = start(jar, confFile, http, dir.resolve("gateway-1.log"));
      try {
        // A first answered call proves the key (an unproven key takes one call at a time, and P1 hangs).
        String w = "crash-w-" + id;
        post(http, w, 1);
        waitFor("the warm-up frame stored", () -> seen(redis, w + ":1"), first, dir);
        post(http, p, 1);
        waitFor("the LLM call for P1", () -> llm.calls.stream().anyMatch(c -> c.body().encode().contains("at " + ts(p, 1))), first, dir);
        post(http, p, 2);
        post(http, q, 1);
        waitFor("Q1 stored", () -> seen(redis, q + ":1"), first, dir);
        post(http, q, 2);
        waitFor("the LLM call for Q2", () -> llm.calls.stream().anyMatch(c -> c.body().encode().contains("at " + ts(q, 2))), first, dir);
        post(http, q, 3);
        waitFor("P2 and Q3 held", () -> coalesced(http) >= 2, first, dir);
        waitFor("the bridge's first commit", () -> committed(detections, bridgeGroup) >= 1, first, dir);
        assertFalse(seen(redis, p + ":2") || seen(redis, q + ":3"), "nothing held was assessed before the crash");
      } finally {
        first.destroyForcibly(); // SIGKILL: no graceful stop, nothing in flight committed
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      }
      crashed.set(true);

      Process second = start(jar, confFile, http, dir.resolve("gateway-2.log"));
      try {
        waitFor("P2 (P's newest frame) assessed after the restart", () -> seen(redis, p + ":2"), second, dir);
        waitFor("Q3 (Q's newest frame) assessed after the restart", () -> seen(redis, q + ":3"), second, dir);
        for (String camera : List.of(p, q)) {
          Map<String, Integer> stored = storedTasks(redis, camera);
          stored.forEach((task, n) -> assertEquals(1, n, task + " stored " + n + " times"));
        }
      } finally {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
      }
    } finally {
      side.close();
    }
  }

  /** Each frame's own time, so the LLM can tell the calls apart (the prompt says "at <timestamp>"). */
  private long ts(String camera, int frame) {
    return base + (camera.startsWith("crash-p") ? 100 : camera.startsWith("crash-q") ? 200 : 300) + frame;
  }

  private void post(int http, String camera, int frame) throws Exception {
    String body = "{\"camera_id\":\"" + camera + "\",\"frame_id\":" + frame + ",\"timestamp\":" + ts(camera, frame)
        + ",\"detections\":[{\"label\":\"fire\",\"confidence\":0.93,\"bbox\":[10,20,110,220]}]}";
    HttpResponse<String> r = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/v1/detections"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
  }

  private static Process start(Path jar, Path conf, int http, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString(), "-conf", conf.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("ARGUS_HTTP_PORT", String.valueOf(http));
    pb.environment().remove("ARGUS_REDIS_URL");
    Process gateway = pb.start();
    waitFor("the gateway ready", () -> ready(http), gateway, log.getParent());
    return gateway;
  }

  private static boolean ready(int http) {
    try {
      return Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | InterruptedException notYet) {
      return false;
    }
  }

  /** Frames the bridge held behind a pending task, from /metrics. */
  private static double coalesced(int http) {
    try {
      String metrics = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : metrics.split("\n")) {
        if (line.startsWith(MetricNames.TASKS_COALESCED + "_total")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    } catch (IOException | InterruptedException notYet) {
      // not yet
    }
    return 0;
  }

  private static long committed(String topic, String group) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .get(new TopicPartition(topic, 0));
      return o == null ? -1 : o.offset();
    } catch (Exception notYet) {
      return -1;
    }
  }

  private static boolean seen(RedisAPI redis, String task) {
    try {
      return redis.exists(List.of("argus:seen:" + task)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toInteger() == 1;
    } catch (Exception e) {
      return false;
    }
  }

  /** How often each task id appears in the camera's stored history. */
  private static Map<String, Integer> storedTasks(RedisAPI redis, String camera) throws Exception {
    Response entries = redis.xrange(List.of("argus:camera:" + camera + ":history", "-", "+"))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    Map<String, Integer> out = new HashMap<>();
    for (Response entry : entries) {
      Response fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if ("task_id".equals(fields.get(i).toString())) out.merge(fields.get(i + 1).toString(), 1, Integer::sum);
      }
    }
    return out;
  }

  private static void waitFor(String what, BooleanSupplier condition, Process gateway, Path dir) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (!condition.getAsBoolean()) {
      if (!gateway.isAlive()) fail("the gateway exited while waiting for " + what + ":\n" + tail(dir));
      if (System.currentTimeMillis() > deadline) fail("timed out waiting for " + what + ":\n" + tail(dir));
      Thread.sleep(200);
    }
  }

  private static String tail(Path dir) {
    try (var files = Files.list(dir)) {
      StringBuilder b = new StringBuilder();
      for (Path f : files.filter(x -> x.getFileName().toString().startsWith("gateway-")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        b.append("== ").append(f.getFileName()).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
      }
      return b.toString();
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
