package dev.argus.detection;

import dev.argus.Metrics;
import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PoisonRecordException;
import dev.argus.backbone.Publisher;
import dev.argus.backbone.Subscription;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import dev.argus.model.FrameParser;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/**
 * Turns the frames that matter into assessment tasks. Owns the cameras of the partitions it consumes;
 * learns that a camera's task is done from {@code argus.assessments}, then releases the frame it held.
 */
public final class DetectionBridgeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DetectionBridgeVerticle.class);

  private final ArgusConfig config;
  private final Backbone backbone;
  private FrameGate gate;
  private Publisher publisher;
  private Subscription subscription;
  private MessageConsumer<JsonObject> assessments;
  private long expiryTimer;

  /** A frame the gate may hold: everything needed to make its task later. */
  private record Candidate(Detection detection, JsonObject json, String frameKey, long frameTimeMs) {}

  public DetectionBridgeVerticle(ArgusConfig config, Backbone backbone) {
    this.config = config;
    this.backbone = backbone;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Detection d = config.detection();
    gate = new FrameGate(d.minIntervalMs(), d.highRiskLabels(), d.pendingTimeoutMs());
    assessments = vertx.eventBus().consumer(BusAddresses.ASSESSMENTS, msg -> onAssessed(msg.body()));
    expiryTimer = vertx.setPeriodic(1000, id ->
        gate.<Candidate>expire(System.currentTimeMillis()).forEach((cam, held) -> emitHeld(held)));
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().detections().name(),
        config.kafka().group("bridge"), 500);
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false)
        .compose(p -> {
          publisher = p;
          return backbone.subscribe(vertx, spec, this::onFrame);
        })
        .onSuccess(s -> subscription = s);
  }

  private Future<?> onFrame(InboundRecord record) {
    JsonObject json;
    try {
      json = new JsonObject(record.value());
    } catch (DecodeException | ClassCastException e) {
      throw new PoisonRecordException("undecodable", "not a JSON object: " + e.getMessage());
    }
    FrameParser.Result parsed = FrameParser.parse(json, 0);
    if (!parsed.ok()) {
      throw new PoisonRecordException("invalid", parsed.errors().stream()
          .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
    }
    Detection det = parsed.detection();
    String frameKey = det.frameId() != null ? det.frameId() : "p" + record.partition() + "o" + record.offset();
    Candidate c = new Candidate(det, json, frameKey, det.timestampOr(record.timestampMs()));
    FrameGate.Decision decision = gate.offer(det, c.frameTimeMs(), c, System.currentTimeMillis());
    return switch (decision.action()) {
      case EMIT -> emit(c, decision.reason(), 0);
      case HOLD -> {
        Counter.builder(MetricNames.TASKS_COALESCED).register(Metrics.registry()).increment();
        yield Future.succeededFuture();
      }
      case DROP -> Future.succeededFuture();
    };
  }

  private Future<Void> emit(Candidate c, FrameGate.Reason reason, int coalesced) {
    long now = System.currentTimeMillis();
    String cameraId = c.detection().cameraId();
    AssessmentTask task = new AssessmentTask(AssessmentTask.taskId(cameraId, c.frameKey()), cameraId,
        c.detection().frameId(), c.frameTimeMs(), now, now + config.llm().deadlineMs(), reason.wire(),
        reason.priority, coalesced, c.json(), null);
    gate.emitted(cameraId, task.taskId(), c.frameTimeMs(), now);
    Counter.builder(MetricNames.TASKS).tag(MetricNames.TAG_REASON, reason.wire()).register(Metrics.registry()).increment();
    return publisher.send(new OutboundRecord(config.kafka().topics().tasks().name(), cameraId, task.toJson().toBuffer()));
  }

  private void onAssessed(JsonObject assessment) {
    String camera = assessment.getString("camera_id");
    String taskId = assessment.getString("task_id");
    if (camera == null || taskId == null) return;
    FrameGate.Held<Candidate> held = gate.completed(camera, taskId);
    if (held != null) emitHeld(held);
  }

  /**
   * A held frame's own record was committed when it was held; its task is produced now, with retries.
   * If the process dies first, the camera's next frame after the interval takes its place.
   */
  private void emitHeld(FrameGate.Held<Candidate> held) {
    emit(held.token(), held.reason(), held.framesCoalesced()).onFailure(err ->
        log.warn("task for held frame of {} not produced: {}", held.token().detection().cameraId(), err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(expiryTimer);
    Future<Void> sub = subscription == null ? Future.succeededFuture() : subscription.close();
    return sub.transform(v -> assessments.unregister())
        .transform(v -> publisher == null ? Future.succeededFuture() : publisher.close());
  }
}
