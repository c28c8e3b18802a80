package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.argus.it.Eventually.eventually;
import static dev.argus.it.Eventually.unchecked;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9 point 3: the store is SIGKILLed (not stopped) for 60 s while frames stream in, then started
 * again on its append-only file. During the outage ingest goes on (frames are durable in Kafka, 202),
 * reads answer 503 {@code store_unavailable} with {@code Retry-After}, readiness says DEGRADED. Once the
 * store is back: every task the bridge made (all of {@code assessment-tasks}) has its result stored, each
 * exactly once, and every camera's newest frame was assessed.
 *
 * <p>The store is a redis-server of the test's own with {@code appendfsync always}: a Redis that keeps
 * nothing across a kill loses what it held by its own configuration, which no gateway can prevent.
 */
class StoreLossIT {
  private static final int CAMERAS = 12;
  private static final Duration OUTAGE = Duration.ofSeconds(60);

  private final Vertx side = Vertx.vertx();
  private final AtomicBoolean loading = new AtomicBoolean(true);
  /** Set at the kill: the first half of the cameras falls quiet, so their alerts resolve while the store is down. */
  private final AtomicBoolean quiet = new AtomicBoolean();
  /** camera → newest frame number answered 202. */
  private final Map<String, Integer> newestAccepted = new ConcurrentHashMap<>();
  private final AtomicLong accepted = new AtomicLong();
  /** Writes answered other than 202 while the store is down (must be none: the store is not on the write path). */
  private final AtomicInteger refused = new AtomicInteger();

  @AfterEach
  void closeSide() {
    side.close();
  }

  @Test
  void aStoreKilledFor60sMidStreamLosesNothingAndStoresNothingTwice(@TempDir Path dir) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> cameras = new ArrayList<>();
    for (int i = 0; i < CAMERAS; i++) cameras.add("sl-" + run + "-" + i);
    try (ThrowawayRedis store = new ThrowawayRedis(dir)) {
      store.start();
      RedisAPI redis = RedisAPI.api(Redis.createClient(side, store.url()));
      JsonObject conf = Gateway.onTestKafka().put("redis", new JsonObject().put("url", store.url()))
          // An alert resolves well inside the outage once its camera falls quiet.
          .put("aggregate", new JsonObject().put("resolveAfterMs", 15_000));
      String tasks = conf.getJsonObject("kafka").getJsonObject("topics").getJsonObject("tasks").getString("name");
      try (Gateway gw = Gateway.start(conf)) {
        Thread loader = new Thread(() -> load(gw.port, cameras), "loader");
        loader.start();
        try {
          eventually(Duration.ofSeconds(90), "results of every camera stored before the fault",
              () -> cameras.stream().allMatch(c -> storedTaskIds(redis, c).size() >= 2));
          long acceptedBefore = accepted.get();
          quiet.set(true);
          store.kill();
          long killedAt = System.currentTimeMillis();
          int refusedBefore = refused.get();

          // During the outage: reads are refused in the contract's shape, readiness degrades, ingest goes on.
          HttpResponse<String> read = eventually(Duration.ofSeconds(30), "a read refused while the store is down",
              unchecked(() -> gw.get("/api/v1/cameras/" + cameras.get(0))), r -> r.statusCode() != 200);
          assertEquals(503, read.statusCode(), read.body());
          assertEquals("store_unavailable", new JsonObject(read.body()).getString("error"), read.body());
          assertTrue(read.headers().firstValue("Retry-After").isPresent(), "a 503 carries Retry-After");
          HttpResponse<String> list = gw.get("/api/v1/cameras");
          assertEquals(503, list.statusCode(), list.body());
          assertEquals("store_unavailable", new JsonObject(list.body()).getString("error"), list.body());
          eventually(Duration.ofSeconds(30), "readiness DEGRADED while the store is down",
              unchecked(() -> new JsonObject(gw.get("/health/ready").body()).getString("status")), "DEGRADED"::equals);
          eventually(OUTAGE.plusSeconds(30), "the outage to last " + OUTAGE.toSeconds() + " s",
              () -> System.currentTimeMillis() - killedAt >= OUTAGE.toMillis());
          long duringOutage = accepted.get() - acceptedBefore;
          assertEquals(refusedBefore, refused.get(), "ingest refused frames while only the store was down");
          assertTrue(duringOutage > 0, "frames accepted during the outage");

          store.start();
          long restartedAt = System.currentTimeMillis();
          eventually(Duration.ofSeconds(60), "readiness UP with the store back",
              unchecked(() -> new JsonObject(gw.get("/health/ready").body()).getString("status")), "UP"::equals);
          long afterRestart = accepted.get();
          eventually(Duration.ofSeconds(30), "frames accepted after the restart", () -> accepted.get() > afterRestart + CAMERAS);
          System.out.printf("STORE-LOSS Redis SIGKILLed for %d s: %d frames accepted during the outage, 0 refused; store ready after %.1f s%n",
              (restartedAt - killedAt) / 1000, duringOutage, (System.currentTimeMillis() - restartedAt) / 1000.0);
        } finally {
          loading.set(false);
          loader.join(60_000);
        }

        // Liveness: every camera's newest accepted frame gets assessed and stored.
        for (String c : cameras) {
          String newest = c + ":" + newestAccepted.get(c);
          eventually(Duration.ofSeconds(120), "the newest frame of " + c + " stored (" + newest + ")",
              () -> storedTaskIds(redis, c).contains(newest));
        }
        // Nothing lost: every task the bridge produced has its result stored. Nothing twice: once each.
        Set<String> produced = new HashSet<>();
        for (var r : TestKafka.readUntil(TestKafka.bootstrap(), tasks, Duration.ofSeconds(20), x -> false)) {
          produced.add(new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("task_id"));
        }
        assertFalse(produced.isEmpty(), "tasks in " + tasks);
        Map<String, Integer> stored = new HashMap<>();
        eventually(Duration.ofSeconds(120), "every task of " + tasks + " stored", () -> {
          stored.clear();
          for (String c : cameras) storedTaskIds(redis, c).forEach(t -> stored.merge(t, 1, Integer::sum));
          return stored.keySet().containsAll(produced);
        });
        // The alerts of the cameras that fell quiet resolved during the outage: the store says so too.
        List<String> quietCameras = cameras.subList(0, CAMERAS / 2);
        eventually(Duration.ofSeconds(60), "the risk alerts of the quiet cameras stored as resolved (observed: their statuses)",
            unchecked(() -> riskAlertStatuses(gw, quietCameras)), st -> !st.isEmpty() && st.values().stream().allMatch("resolved"::equals));
        Map<String, Integer> twice = new HashMap<>(stored);
        twice.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), twice, "tasks stored more than once");
        long seenMarkers = cameras.stream().mapToLong(c -> count(redis, "argus:seen:" + c + ":*")).sum();
        assertEquals(stored.size(), seenMarkers, "one idempotency marker per stored task");
        System.out.printf("STORE-LOSS %d frames accepted, %d tasks made, %d stored, 0 twice, newest frame of all %d cameras assessed%n",
            accepted.get(), produced.size(), stored.size(), CAMERAS);
      }
    }
  }

  /** Each camera a frame every ~100 ms (NDJSON, one line per camera), a fire in every frame so each one is worth a task. */
  private void load(int port, List<String> cameras) {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/detections");
    int frame = 0;
    while (loading.get()) {
      frame++;
      StringBuilder body = new StringBuilder();
      long now = System.currentTimeMillis();
      List<String> sending = quiet.get() ? cameras.subList(cameras.size() / 2, cameras.size()) : cameras;
      for (String c : sending) {
        body.append("{\"camera_id\":\"").append(c).append("\",\"frame_id\":").append(frame).append(",\"timestamp\":").append(now)
            .append(",\"detections\":[{\"label\":\"fire\",\"confidence\":0.9,\"bbox\":[10,20,110,220]},")
            .append("{\"label\":\"person\",\"confidence\":0.8,\"bbox\":[300,40,360,200]}]}\n");
      }
      try {
        HttpResponse<String> r = Gateway.HTTP.send(HttpRequest.newBuilder(uri).timeout(Gateway.REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202) {
          accepted.addAndGet(sending.size());
          for (String c : sending) newestAccepted.put(c, frame);
        } else {
          refused.incrementAndGet();
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        refused.incrementAndGet();
      }
    }
  }

  /** alert id → stored status of the risk alerts of {@code cameras}, from the alert API. */
  private static Map<String, String> riskAlertStatuses(Gateway gw, List<String> cameras) throws Exception {
    HttpResponse<String> r = gw.get("/api/v1/alerts?limit=1000");
    assertEquals(200, r.statusCode(), r.body());
    Map<String, String> out = new HashMap<>();
    new JsonObject(r.body()).getJsonArray("items").forEach(o -> {
      JsonObject al = (JsonObject) o;
      if (cameras.contains(al.getString("camera_id")) && "risk".equals(al.getString("kind", "risk"))) {
        out.put(al.getString("alert_id"), al.getString("status"));
      }
    });
    return out;
  }

  /** The task ids in a camera's stored history, with repeats (empty while the store is down). */
  private static List<String> storedTaskIds(RedisAPI redis, String camera) {
    List<String> out = new ArrayList<>();
    try {
      Response entries = redis.xrange(List.of("argus:camera:" + camera + ":history", "-", "+"))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      for (Response entry : entries) {
        Response fields = entry.get(1);
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          if ("task_id".equals(fields.get(i).toString())) out.add(fields.get(i + 1).toString());
        }
      }
    } catch (Exception storeDown) {
      // not readable yet
    }
    return out;
  }

  private static long count(RedisAPI redis, String pattern) {
    try {
      long n = 0;
      String cursor = "0";
      do {
        Response r = redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", "1000")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        cursor = r.get(0).toString();
        n += r.get(1).size();
      } while (!"0".equals(cursor));
      return n;
    } catch (Exception e) {
      throw new AssertionError("counting " + pattern + ": " + e.getMessage(), e);
    }
  }
}
