package dev.argus.ops;

import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code pipeline-test} run: watches {@code argus.assessments} on {@code /eventbus}, then each
 * synthetic camera posts a frame with a hazard (a high-risk label, which makes a task at once) and waits
 * for its assessment before posting the next, so no frame is coalesced away and each one's end-to-end
 * latency is measured. Camera ids are new each run (task ids are deduplicated for a day). Must run on a
 * Vert.x context: the tally is fed from it alone.
 */
public final class PipelineTest {
  private static final long FIRST_STATS_WAIT_MS = 3000;

  private final Vertx vertx;
  private final PipelineTestOptions options;
  private final PipelineTally tally;
  private final WebClient http;
  private final String runId = UUID.randomUUID().toString().substring(0, 6);
  private final Map<String, Promise<Void>> waiting = new HashMap<>();
  private final Promise<Void> bridgeLive = Promise.promise();

  private PipelineTest(Vertx vertx, PipelineTestOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.tally = new PipelineTally(options.cameras() * options.frames());
    this.http = WebClient.create(vertx, new WebClientOptions().setTrustAll(true).setVerifyHost(false));
  }

  public static Future<PipelineTally> run(Vertx vertx, PipelineTestOptions options) {
    return new PipelineTest(vertx, options).run();
  }

  private Future<PipelineTally> run() {
    return EventBusWatcher.connect(vertx, options, List.of(BusAddresses.ASSESSMENTS, BusAddresses.STATS), this::onMessage)
        .compose(watcher -> registered().compose(v -> cameras()).eventually(watcher::close))
        .onComplete(ar -> http.close())
        .map(v -> tally);
  }

  /**
   * The bridge does not acknowledge registrations; the first {@code argus.stats} message (published every
   * second, registered after the assessments) proves both are in place. Without one, go on after a while.
   */
  private Future<Void> registered() {
    long timer = vertx.setTimer(FIRST_STATS_WAIT_MS, id -> bridgeLive.tryComplete());
    return bridgeLive.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  private Future<Void> cameras() {
    List<Future<Void>> all = new ArrayList<>();
    for (int c = 1; c <= options.cameras(); c++) {
      String camera = "pipeline-test-" + runId + "-" + c;
      all.add(frames(camera, 1).recover(err -> {
        tally.problem(camera + ": " + err.getMessage());
        return Future.succeededFuture();
      }));
    }
    return Future.join(all).mapEmpty();
  }

  private Future<Void> frames(String camera, int frame) {
    return frame(camera, frame).compose(v -> frame < options.frames() ? frames(camera, frame + 1) : Future.succeededFuture());
  }

  private Future<Void> frame(String camera, int frame) {
    String taskId = camera + ":" + frame;
    Promise<Void> seen = Promise.promise();
    waiting.put(taskId, seen);
    tally.posted(taskId, System.nanoTime());
    return http.requestAbs(HttpMethod.POST, options.url() + "/api/v1/detections")
        .putHeader("Content-Type", "application/json").timeout(10_000)
        .sendBuffer(Buffer.buffer(frameJson(camera, frame).encode()))
        .compose(resp -> {
          if (resp.statusCode() != 202) {
            return Future.failedFuture("frame " + frame + " refused: HTTP " + resp.statusCode() + " " + resp.bodyAsString());
          }
          tally.accepted(taskId);
          return assessment(taskId, seen);
        });
  }

  private Future<Void> assessment(String taskId, Promise<Void> seen) {
    long timer = vertx.setTimer(options.timeout().toMillis(), id ->
        seen.tryFail("no assessment for " + taskId + " within " + options.timeout().toSeconds() + " s"));
    return seen.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      waiting.remove(taskId);
    });
  }

  private void onMessage(JsonObject message) {
    if ("err".equals(message.getString("type"))) {
      tally.problem("event bus: " + message.getString("body", message.encode()));
      return;
    }
    String address = message.getString("address");
    if (BusAddresses.STATS.equals(address)) {
      bridgeLive.tryComplete();
    } else if (BusAddresses.ASSESSMENTS.equals(address) && message.getValue("body") instanceof JsonObject body) {
      String taskId = body.getString("task_id");
      if (tally.assessed(taskId, body.getString("source"), System.nanoTime())) {
        Promise<Void> seen = waiting.get(taskId);
        if (seen != null) seen.tryComplete();
      }
    }
  }

  /** A frame with a hazard: fire (high-risk, so a task at once) next to a tracked person. */
  static JsonObject frameJson(String camera, int frame) {
    return new JsonObject().put("camera_id", camera).put("frame_id", frame).put("timestamp", System.currentTimeMillis())
        .put("model_type", "pipeline-test")
        .put("detections", new JsonArray()
            .add(new JsonObject().put("label", "fire").put("confidence", 0.92).put("bbox", new JsonArray().add(100).add(100).add(300).add(280)))
            .add(new JsonObject().put("label", "person").put("confidence", 0.88).put("bbox", new JsonArray().add(400).add(200).add(480).add(420))
                .put("track_id", 1)));
  }
}
