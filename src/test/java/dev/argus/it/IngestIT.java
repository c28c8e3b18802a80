package dev.argus.it;

import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Ingestion against a real broker: what is accepted lands in Kafka as sent; what is refused produces nothing. */
@ExtendWith(VertxExtension.class)
class IngestIT {
  static Gateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = Gateway.start(Gateway.onTestKafka()
        .put("http", new JsonObject().put("bodyLimitBytes", 4096)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  static String frame(String camera, int id) {
    return "{\"camera_id\":\"" + camera + "\",\"frame_id\":" + id
        + ",\"detections\":[{\"label\":\"person\",\"confidence\":0.8,\"bbox\":[1,2,3,4]}]}";
  }

  /**
   * The frames produced for {@code camera} so far. A marker frame is posted last for the same camera (so to
   * the same partition, behind everything produced before it) and the topic is read up to it: a frame
   * that should not have been produced cannot hide by being late.
   */
  private List<String> framesIn(String camera) throws Exception {
    String marker = "{\"camera_id\":\"" + camera + "\",\"frame_id\":\"marker\",\"detections\":[]}";
    assertEquals(202, gw.post("/api/v1/detections", "application/json", marker).statusCode());
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : TestKafka.readUntil(TestKafka.bootstrap(), gw.topic("detections"), Duration.ofSeconds(30),
        read -> read.stream().anyMatch(x -> camera.equals(x.key()) && marker.equals(value(x))))) {
      if (camera.equals(r.key())) out.add(value(r));
    }
    assertEquals(marker, out.isEmpty() ? null : out.get(out.size() - 1), "the marker frame was not read back");
    return out.subList(0, out.size() - 1);
  }

  private static String value(ConsumerRecord<String, byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals(code, body.getString("error"), r.body());
    assertNotNull(body.getString("message"));
    assertNotNull(body.getJsonArray("details"));
  }

  @Test
  void aSingleFrameIsAcceptedAndForwardedByteForByteKeyedByCamera() throws Exception {
    String f = "{ \"camera_id\": \"ing-single\", \"frame_id\": \"a1\", \"detections\": [] , \"extra\": 1.50 }";
    HttpResponse<String> r = gw.post("/api/v1/detections", "application/json", f);
    assertEquals(202, r.statusCode(), r.body());
    assertEquals(1, new JsonObject(r.body()).getInteger("accepted"));
    assertEquals(List.of(f), framesIn("ing-single"));
  }

  @Test
  void arraysAndNdjsonAreAcceptedWhole() throws Exception {
    String array = "[" + frame("ing-batch", 1) + "," + frame("ing-batch", 2) + "]";
    assertEquals(202, gw.post("/api/v1/detections", "application/json; charset=utf-8", array).statusCode());
    HttpResponse<String> nd = gw.post("/api/v1/detections", "application/x-ndjson",
        frame("ing-batch", 3) + "\n" + frame("ing-batch", 4) + "\n");
    assertEquals(202, nd.statusCode(), nd.body());
    assertEquals(2, new JsonObject(nd.body()).getInteger("accepted"));
    assertEquals(List.of(frame("ing-batch", 1), frame("ing-batch", 2), frame("ing-batch", 3), frame("ing-batch", 4)),
        framesIn("ing-batch"));
  }

  @Test
  void aStructuredCloudEventForwardsTheBytesOfItsData() throws Exception {
    String data = frame("ing-ce", 1);
    String event = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/cameras/ing-ce\",\"type\":\"dev.argus.frame\","
        + "\"data\":" + data + "}";
    HttpResponse<String> r = gw.post("/api/v1/detections", "application/cloudevents+json", event);
    assertEquals(202, r.statusCode(), r.body());
    assertEquals(List.of(data), framesIn("ing-ce"));
  }

  @Test
  void hostileBodiesAre400Not500() throws Exception {
    for (String body : List.of("[".repeat(3000), "{\"camera_id\":\"ing-h\",\"camera_id\":\"x\",\"detections\":[]}",
        "{\"camera_id\":\"ing-h\",\"detections\":[{\"label\":\"p\",\"confidence\":NaN,\"bbox\":[0,0,1,1]}]}",
        "{\"camera_id\":\"ing-h\",\"detections\":[")) {
      assertError(gw.post("/api/v1/detections", "application/json", body), 400, "validation_failed");
    }
  }

  @Test
  void oneBadFrameRefusesTheWholeBatchNamingIndexAndField() throws Exception {
    String batch = "[" + frame("ing-bad", 1) + ",{\"camera_id\":\"ing-bad\",\"detections\":[{\"label\":\"x\",\"confidence\":2,\"bbox\":[0,0,1,1]}]}]";
    HttpResponse<String> r = gw.post("/api/v1/detections", "application/json", batch);
    assertError(r, 400, "validation_failed");
    JsonObject detail = new JsonObject(r.body()).getJsonArray("details").getJsonObject(0);
    assertEquals(1, detail.getInteger("index"));
    assertEquals("detections[0].confidence", detail.getString("field"));
    assertEquals(List.of(), framesIn("ing-bad"), "nothing of a refused batch may be produced");
  }

  @Test
  void everyBadInputGetsItsStatusAndProducesNothing() throws Exception {
    assertError(gw.post("/api/v1/detections", "application/json", "{\"camera_id\":\"ing-x\","), 400, "validation_failed");
    assertError(gw.post("/api/v1/detections", "application/json", "{\"detections\":[]}"), 400, "validation_failed");
    assertError(gw.post("/api/v1/detections", "application/json", "{\"camera_id\":\"ing-x\",\"detections\":\"none\"}"), 400, "validation_failed");
    assertError(gw.post("/api/v1/detections", "application/json", "[]"), 400, "validation_failed");
    assertError(gw.post("/api/v1/detections", "application/x-ndjson", frame("ing-x", 1) + "\n{oops}\n"), 400, "validation_failed");
    assertError(gw.post("/api/v1/detections", "text/plain", frame("ing-x", 1)), 415, "unsupported_media_type");
    assertError(gw.post("/api/v1/detections", null, frame("ing-x", 1)), 415, "unsupported_media_type");
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 100; i++) big.append(i == 0 ? "" : ",").append(frame("ing-x", i));
    assertError(gw.post("/api/v1/detections", "application/json", big.append("]").toString()), 413, "payload_too_large");
    assertEquals(List.of(), framesIn("ing-x"));
    String metrics = gw.get("/metrics").body();
    assertTrue(metrics.contains("argus_ingest_rejected_total{reason=\"payload_too_large\"}"), "refusals are counted");
  }

  @Test
  void webSocketFramesAreAcknowledgedInOrderWithErrorsInPlace(VertxTestContext ctx) throws Throwable {
    WebSocketClient client = gw.vertx.createWebSocketClient();
    List<JsonObject> got = new CopyOnWriteArrayList<>();
    client.connect(gw.port, "127.0.0.1", "/api/v1/detections/ws").onComplete(ctx.succeeding(ws -> {
      ws.textMessageHandler(t -> {
        got.add(new JsonObject(t));
        if (got.size() == 4) ws.close().onComplete(ctx.succeedingThenComplete());
      });
      ws.writeTextMessage(frame("ing-ws", 1));
      ws.writeTextMessage("{\"camera_id\":\"ing-ws\"}");
      ws.writeTextMessage("not json");
      ws.writeTextMessage(frame("ing-ws", 2));
    }));
    assertTrue(ctx.awaitCompletion(10, TimeUnit.SECONDS), "four answers, got " + got);
    if (ctx.failed()) throw ctx.causeOfFailure();
    client.close();
    assertEquals(List.of(1L, 2L, 3L, 4L), got.stream().map(o -> o.getLong("seq")).toList());
    assertEquals("accepted", got.get(0).getString("status"));
    assertEquals("validation_failed", got.get(1).getString("error"));
    assertEquals("detections", got.get(1).getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals("validation_failed", got.get(2).getString("error"));
    assertEquals("accepted", got.get(3).getString("status"));
    assertEquals(List.of(frame("ing-ws", 1), frame("ing-ws", 2)), framesIn("ing-ws"));
  }

  /** Like HTTP errors, every WebSocket error names the request: the upgrade's own X-Request-Id, or one made for it. */
  @Test
  void webSocketErrorsCarryTheRequestId(VertxTestContext ctx) throws Throwable {
    WebSocketClient client = gw.vertx.createWebSocketClient();
    List<JsonObject> got = new CopyOnWriteArrayList<>();
    WebSocketConnectOptions named = new WebSocketConnectOptions().setPort(gw.port).setHost("127.0.0.1")
        .setURI("/api/v1/detections/ws").addHeader("X-Request-Id", "ws-it-42");
    WebSocketConnectOptions anonymous = new WebSocketConnectOptions().setPort(gw.port).setHost("127.0.0.1")
        .setURI("/api/v1/detections/ws");
    Checkpoint done = ctx.checkpoint(2);
    for (WebSocketConnectOptions o : List.of(named, anonymous)) {
      client.connect(o).onComplete(ctx.succeeding(ws -> {
        List<JsonObject> mine = new ArrayList<>();
        ws.textMessageHandler(t -> {
          JsonObject answer = new JsonObject(t).put("_named", o == named);
          mine.add(answer);
          got.add(answer);
          if (mine.size() == 3) ws.close().onComplete(ctx.succeeding(v -> done.flag()));
        });
        ws.writeTextMessage("{\"camera_id\":\"ing-ws-rid\"}");
        ws.writeTextMessage(frame("ing-ws-rid", 1));
        ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer("{}"));
      }));
    }
    assertTrue(ctx.awaitCompletion(10, TimeUnit.SECONDS), "three answers on each connection, got " + got);
    if (ctx.failed()) throw ctx.causeOfFailure();
    client.close();
    for (JsonObject a : got) {
      if (a.getString("status") != null) {
        assertEquals("accepted", a.getString("status"), a.encode());
        assertNull(a.getString("request_id"), "an acceptance needs no id: " + a.encode());
        continue;
      }
      assertNotNull(a.getString("error"), a.encode());
      if (a.getBoolean("_named")) assertEquals("ws-it-42", a.getString("request_id"), a.encode());
      else assertTrue(a.getString("request_id", "").length() >= 8, "a made-up id when none was sent: " + a.encode());
    }
    assertEquals(4, got.stream().filter(a -> a.getString("error") != null).count(), "two errors per connection: " + got);
  }

  @Test
  void unknownPathsAnswerInTheErrorShape() throws Exception {
    assertError(gw.get("/api/v1/nope"), 404, "not_found");
  }

  @Test
  void acceptedFramesAreCountedPerCameraInMetrics() throws Exception {
    gw.post("/api/v1/detections", "application/json", frame("ing-metric", 1));
    String metrics = gw.get("/metrics").body();
    assertTrue(metrics.contains("detection_total{camera_id=\"ing-metric\",model_type=\"unknown\"} 1.0"),
        () -> metrics.lines().filter(l -> l.startsWith("detection_total")).toList().toString());
  }
}
