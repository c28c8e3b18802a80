package dev.argus.it;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12 point 3, the rejected-burst check end to end on the real broker and Redis: frames refused at
 * ingest (over HTTP and over WebSocket) for a camera raise a data-quality alert on the bus, in
 * {@code GET /api/v1/alerts} and on the {@code data-quality-alerts} topic; it resolves once the camera
 * sends good frames again.
 */
class CameraHealthIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String DQ_TOPIC = "it-dq-" + UUID.randomUUID().toString().substring(0, 8);
  private static Gateway gw;
  private static final List<JsonObject> busAlerts = new CopyOnWriteArrayList<>();
  private static MessageConsumer<JsonObject> listener;

  @BeforeAll
  static void start() throws Exception {
    JsonObject conf = Gateway.onTestKafka()
        .put("redis", new JsonObject().put("url", TestRedis.url()))
        .put("quality", new JsonObject().put("windowMs", 1000).put("rejectedBurstMin", 3).put("silentAfterMs", 600_000));
    conf.getJsonObject("kafka").getJsonObject("topics").put("dataQualityAlerts", new JsonObject().put("name", DQ_TOPIC).put("partitions", 2));
    gw = Gateway.start(conf);
    listener = gw.vertx.eventBus().consumer("argus.alerts", m -> busAlerts.add(m.body()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (listener != null) listener.unregister();
    if (gw != null) gw.close();
  }

  private static String good(String camera, int id) {
    return "{\"camera_id\":\"" + camera + "\",\"frame_id\":" + id
        + ",\"detections\":[{\"label\":\"person\",\"confidence\":0.8,\"bbox\":[1,2,3,4]}]}";
  }

  /** A frame whose camera is readable but which is invalid (a confidence out of range). */
  private static String bad(String camera) {
    return "{\"camera_id\":\"" + camera + "\",\"detections\":[{\"label\":\"person\",\"confidence\":7,\"bbox\":[1,2,3,4]}]}";
  }

  private static JsonObject busEvent(String camera, String status) {
    return busAlerts.stream().filter(a -> camera.equals(a.getString("camera_id")) && "rejected_burst".equals(a.getString("rule"))
        && status.equals(a.getString("status"))).findFirst().orElse(null);
  }

  private static JsonObject stored(String camera, String status) throws Exception {
    JsonArray items = new JsonObject(gw.get("/api/v1/alerts?status=" + status + "&limit=500").body()).getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o)
        .filter(a -> camera.equals(a.getString("camera_id")) && "rejected_burst".equals(a.getString("rule")))
        .findFirst().orElse(null);
  }

  /**
   * Until the alert is out: a burst of refused frames per round (rounds are paced by the polling). The
   * health stage counts a camera's refusals only once it owns the camera's partition, so the first rounds
   * may fall before its assignment; the alert comes when a window with a burst closes.
   */
  private static JsonObject burstUntilAlert(String camera, Runnable burst) {
    return eventually(WAIT, "a rejected_burst alert for " + camera, () -> {
      if (busEvent(camera, "open") == null) burst.run();
      return busEvent(camera, "open");
    }, a -> a != null);
  }

  @Test
  void refusedHttpFramesRaiseADataQualityAlertThatResolvesWhenTheCameraRecovers() throws Exception {
    String camera = "dq-rej-" + UUID.randomUUID().toString().substring(0, 6);
    String batch = "[" + bad(camera) + "," + bad(camera) + "," + bad(camera) + "," + good(camera, 1) + "]";
    JsonObject open = burstUntilAlert(camera, () -> {
      try {
        assertEquals(400, gw.post("/api/v1/detections", "application/json", batch).statusCode());
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    assertEquals("data_quality", open.getString("kind"));
    assertEquals("medium", open.getString("level"));
    assertTrue(open.getString("message").contains("refused"), open.encode());
    String id = open.getString("alert_id");

    JsonObject listed = eventually(WAIT, "the alert in GET /api/v1/alerts", () -> {
      try {
        return stored(camera, "open");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, a -> a != null);
    assertEquals(id, listed.getString("alert_id"));
    assertEquals("data_quality", listed.getString("kind"));

    List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrap(), DQ_TOPIC, WAIT,
        read -> read.stream().anyMatch(r -> camera.equals(r.key())));
    JsonObject onTopic = records.stream().filter(r -> camera.equals(r.key()))
        .map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
    assertEquals("rejected_burst", onTopic.getString("rule"));
    assertEquals(id, onTopic.getString("alert_id"));

    // Recovery: good frames only; the next window without refusals resolves the alert.
    JsonObject resolved = eventually(WAIT, "the rejected_burst alert resolved", () -> {
      try {
        assertEquals(202, gw.post("/api/v1/detections", "application/json", good(camera, 2)).statusCode());
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
      return busEvent(camera, "resolved");
    }, a -> a != null);
    assertEquals(id, resolved.getString("alert_id"));
    eventually(WAIT, "the resolved alert in GET /api/v1/alerts?status=resolved", () -> {
      try {
        return stored(camera, "resolved");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, a -> a != null && id.equals(a.getString("alert_id")));
  }

  @Test
  void refusedWebSocketFramesCountToo() throws Exception {
    String camera = "dq-rej-ws-" + UUID.randomUUID().toString().substring(0, 6);
    WebSocketClient client = gw.vertx.createWebSocketClient();
    WebSocket ws = client.connect(gw.port, "127.0.0.1", "/api/v1/detections/ws")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<JsonObject> answers = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(t -> answers.add(new JsonObject(t)));
    try {
      JsonObject open = burstUntilAlert(camera, () -> {
        for (int i = 0; i < 3; i++) ws.writeTextMessage(bad(camera));
      });
      assertEquals("data_quality", open.getString("kind"));
      assertTrue(answers.stream().allMatch(a -> "validation_failed".equals(a.getString("error"))), answers.toString());
    } finally {
      ws.close();
      client.close();
    }
  }
}
