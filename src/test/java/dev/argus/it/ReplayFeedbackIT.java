package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 12 points 2 and 4 on the real broker and Redis: replay a time range; operator feedback. */
class ReplayFeedbackIT {
  private static final String TOKEN = "replay-admin-token";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Gateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = Gateway.start(Gateway.onTestKafka()
        .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0))
        .put("redis", new JsonObject().put("url", TestRedis.url()))
        .put("http", new JsonObject().put("adminToken", TOKEN))
        .put("dashboard", new JsonObject().put("modelMetricsIntervalMs", 200)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  private static String fire(String camera, int frame) {
    return "{\"camera_id\":\"" + camera + "\",\"frame_id\":\"" + frame + "\",\"detections\":"
        + "[{\"label\":\"fire\",\"confidence\":0.95,\"bbox\":[0,0,10,10]}]}";
  }

  /** The camera's view once it counts {@code n} assessments. */
  private static JsonObject cameraWith(String camera, long n) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = gw.get("/api/v1/cameras/" + camera);
      if (r.statusCode() == 200 && new JsonObject(r.body()).getLong("assessments", 0L) >= n) return new JsonObject(r.body());
      Thread.sleep(100);
    }
    fail("camera " + camera + " never reached " + n + " assessments");
    return null;
  }

  private static HttpResponse<String> postReplay(String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http().port() + "/api/v1/replay"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return Gateway.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aReplayReassessesTheRangeUnderItsOwnTaskIdsAndLeavesLiveStateAlone() throws Exception {
    String camera = "replay-" + UUID.randomUUID().toString().substring(0, 8);
    long from = System.currentTimeMillis() - 1000;
    for (int f = 1; f <= 2; f++) assertEquals(202, gw.post("/api/v1/detections", "application/json", fire(camera, f)).statusCode());
    JsonObject before = cameraWith(camera, 2);
    long to = System.currentTimeMillis() + 1000;
    String body = new JsonObject().put("camera_id", camera).put("from", from)
        .put("to", Instant.ofEpochMilli(to).toString()).encode();

    assertEquals(401, postReplay(body, null).statusCode(), "admin only");
    HttpResponse<String> started = postReplay(body, TOKEN);
    assertEquals(202, started.statusCode(), started.body());
    String id = new JsonObject(started.body()).getString("replay_id");

    JsonObject status = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      status = new JsonObject(gw.get("/api/v1/replay/" + id).body());
      if (!"running".equals(status.getString("status"))) break;
      Thread.sleep(200);
    }
    assertEquals("done", status.getString("status"), status.encode());
    assertEquals(2, status.getLong("frames"));
    assertEquals(2, status.getLong("tasks"), "fire frames each make a task, as live");
    assertEquals(2, status.getLong("assessed"));

    List<ConsumerRecord<String, byte[]>> results = TestKafka.readUntil(gw.config.kafka().effectiveBootstrap(),
        gw.topic("results"), WAIT, l -> l.stream().filter(r -> camera.equals(r.key())).count() >= 4);
    List<JsonObject> replayed = results.stream().map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8)))
        .filter(o -> o.getBoolean("replay", false)).toList();
    assertEquals(2, replayed.size());
    assertTrue(replayed.get(0).getString("task_id").startsWith("replay:" + id + ":" + camera + ":"));

    JsonObject after = new JsonObject(gw.get("/api/v1/cameras/" + camera).body());
    assertEquals(before.getLong("assessments"), after.getLong("assessments"), "replayed results are not stored as live ones");
    assertEquals(before.getJsonObject("latest").getString("task_id"), after.getJsonObject("latest").getString("task_id"));
    assertEquals(404, gw.get("/api/v1/replay/no-such-replay").statusCode());
  }

  @Test
  void operatorFeedbackIsStoredCountedPerModelAndSummarisedToTheModelMetricsTopic() throws Exception {
    String camera = "feedback-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(202, gw.post("/api/v1/detections", "application/json", fire(camera, 1)).statusCode());
    JsonObject latest = cameraWith(camera, 1).getJsonObject("latest");
    String taskId = latest.getString("task_id");

    HttpResponse<String> r = gw.post("/api/v1/assessments/" + taskId + "/feedback", "application/json",
        "{\"risk_level\":\"none\",\"note\":\"a candle\"}");
    assertEquals(201, r.statusCode(), r.body());
    JsonObject verdict = new JsonObject(r.body());
    assertEquals("false_alarm", verdict.getString("agreement"));
    assertEquals("a candle", verdict.getString("note"));
    assertEquals(404, gw.post("/api/v1/assessments/" + camera + ":nope/feedback", "application/json",
        "{\"risk_level\":\"low\"}").statusCode());
    assertEquals(400, gw.post("/api/v1/assessments/" + taskId + "/feedback", "application/json",
        "{\"risk_level\":\"severe\"}").statusCode());

    String model = verdict.getString("model");
    String counted = "argus_assessment_feedback_total{agreement=\"false_alarm\",model=\"" + model + "\"}";
    Eventually.eventually(WAIT, "the verdict counted", Eventually.unchecked(() -> gw.get("/metrics").body()),
        m -> m.contains(counted));
    List<ConsumerRecord<String, byte[]>> summaries = TestKafka.readUntil(gw.config.kafka().effectiveBootstrap(),
        gw.topic("modelMetrics"), WAIT, l -> !l.isEmpty());
    assertFalse(summaries.isEmpty(), "a summary on model-metrics");
    JsonObject s = new JsonObject(new String(summaries.get(0).value(), StandardCharsets.UTF_8));
    assertTrue(s.getJsonObject("models").getJsonObject(model).getLong("verdicts") >= 1);

    // The dashboard's "Agreement by model" reads the same summary on demand.
    HttpResponse<String> read = gw.get("/api/v1/feedback/models");
    assertEquals(200, read.statusCode(), read.body());
    JsonObject byModel = new JsonObject(read.body()).getJsonObject("models").getJsonObject(model);
    assertNotNull(byModel, read.body());
    assertTrue(byModel.getLong("verdicts") >= 1, read.body());
    assertTrue(byModel.getJsonObject("agreement").getLong("false_alarm") >= 1, read.body());
    assertTrue(byModel.getDouble("mean_absolute_error") > 0, "a false alarm on a fire is far from 0: " + read.body());
  }
}
