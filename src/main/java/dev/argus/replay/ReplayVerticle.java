package dev.argus.replay;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.Publisher;
import dev.argus.config.ArgusConfig;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Replays: on {@code {"action": "start", ...request}} (from {@code POST /api/v1/replay}) reads the range
 * with a {@link RangeReader} chunk by chunk on a worker thread, gates each chunk here with the replay's
 * own {@link ReplayGate}, and writes its tasks to the tasks topic (source stage {@code replay}); the LLM
 * stage assesses them like live ones, and the aggregator hands their results back here instead of
 * storing them. {@code {"action": "status", "id"}} answers a run's progress. Runs are kept in memory
 * (the most recent {@value #KEEP_RUNS}); Kafka modes only.
 */
public final class ReplayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ReplayVerticle.class);
  static final int KEEP_RUNS = 100;
  /** After reading ended, a run with tasks still out is done once no result came for this long. */
  static final long QUIET_MS = 30_000;
  private static final long CHECK_MS = 1000;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final Map<String, ReplayRun> runs = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ReplayRun> eldest) {
      return size() > KEEP_RUNS;
    }
  };
  private Publisher publisher;
  private long timer = -1;

  public ReplayVerticle(ArgusConfig config, Backbone backbone) {
    this.config = config;
    this.backbone = backbone;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>localConsumer(BusAddresses.INTERNAL_REPLAY, this::onCommand);
    vertx.eventBus().<JsonObject>localConsumer(BusAddresses.INTERNAL_REPLAY_RESULT, msg -> {
      ReplayRun run = runs.get(ReplayGate.replayIdOf(msg.body().getString("task_id")));
      if (run != null) run.assessed(msg.body().getString("risk_level", "unknown"), System.currentTimeMillis());
    });
    timer = vertx.setPeriodic(CHECK_MS, id -> runs.values().forEach(r -> r.check(System.currentTimeMillis(), QUIET_MS)));
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false).onSuccess(p -> publisher = p);
  }

  private void onCommand(Message<JsonObject> msg) {
    JsonObject cmd = msg.body();
    if ("status".equals(cmd.getString("action"))) {
      ReplayRun run = runs.get(cmd.getString("id"));
      if (run == null) msg.fail(404, "no replay '" + cmd.getString("id") + "' (only the last " + KEEP_RUNS + " are kept)");
      else msg.reply(run.toJson());
      return;
    }
    if (!backbone.durable()) {
      msg.fail(409, "replay needs Kafka: in direct mode (kafka.mode=direct) nothing is kept to replay");
      return;
    }
    ReplayRequest request;
    try {
      request = ReplayRequest.parse(cmd.getJsonObject("request"));
    } catch (IllegalArgumentException e) {
      msg.fail(400, e.getMessage());
      return;
    }
    String id = UUID.randomUUID().toString().substring(0, 12);
    ReplayRun run = new ReplayRun(id, request, System.currentTimeMillis());
    runs.put(id, run);
    msg.reply(new JsonObject().put("replay_id", id));
    log.info("replay {} started: {}", id, request.toJson().encode());
    ArgusConfig.Kafka k = config.kafka();
    RangeReader reader = new RangeReader(k.effectiveBootstrap(), k.consumer(), k.topics().detections().name(),
        request.fromMs(), request.toMs());
    ReplayGate gate = new ReplayGate(id, config.detection().rules(), config.detection().pendingTimeoutMs(),
        config.llm().deadlineMs());
    vertx.executeBlocking(() -> { reader.open(); return null; }, false)
        .compose(v -> nextChunk(run, reader, gate))
        .onComplete(ar -> {
          vertx.executeBlocking(() -> { reader.close(); return null; }, false);
          if (ar.succeeded()) {
            run.readingDone(System.currentTimeMillis());
            log.info("replay {} read: {}", id, run.toJson().encode());
          } else {
            run.failed(ar.cause().getMessage(), System.currentTimeMillis());
            log.warn("replay {} failed: {}", id, ar.cause().getMessage());
          }
        });
  }

  /** One chunk read on a worker, gated and written here; then the next, until the range is read. */
  private Future<Void> nextChunk(ReplayRun run, RangeReader reader, ReplayGate gate) {
    return vertx.executeBlocking(reader::next, true).compose(records -> {
      if (records == null) return Future.succeededFuture();
      List<OutboundRecord> out = new ArrayList<>();
      String tasks = config.kafka().topics().tasks().name();
      long now = System.currentTimeMillis();
      int frames = 0;
      for (ConsumerRecord<String, byte[]> r : records) {
        if (!run.request().wants(r.key())) continue;
        frames++;
        JsonObject json;
        try {
          json = Buffer.buffer(r.value()).toJsonObject();
        } catch (DecodeException | ClassCastException e) {
          continue; // the live bridge dead-lettered it already
        }
        AssessmentTask t = gate.offer(json, "p" + r.partition() + "o" + r.offset(), r.timestamp(), now);
        if (t != null) out.add(new OutboundRecord(tasks, t.cameraId(), t.toJson().toBuffer(), t.taskId(), null, "replay"));
      }
      run.framesRead(frames, out.size(), now);
      return publisher.send(out).compose(v -> nextChunk(run, reader, gate));
    });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return publisher == null ? Future.succeededFuture() : publisher.close();
  }
}
