package dev.argus.detection;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PoisonRecordException;
import dev.argus.backbone.Stage;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.config.CameraRules;
import dev.argus.config.RuleBook;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import dev.argus.model.FrameParser;
import dev.argus.model.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the frames that matter into assessment tasks. Owns the cameras of the partitions it consumes;
 * learns that a camera's task is done from {@code argus.assessments}, then releases the frame it held.
 */
public final class DetectionBridgeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DetectionBridgeVerticle.class);
  /** How often held frames whose task never came back are released. */
  private static final long EXPIRY_CHECK_MS = 1000;
  /** Frames handed to the bridge at once (it does no I/O but the task write, so this is a batch size). */
  private static final int MAX_IN_FLIGHT = 500;
  /** How much a crowd and zone hits may raise a task's priority on top of its reason's. */
  private static final int MAX_CROWD_BONUS = 10;
  private static final int ZONE_HIT_BONUS = 3;
  private static final int MAX_ZONE_BONUS = 6;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final BridgeMeters meters;
  private FrameGate gate;
  private RuleBook rules;
  private final Map<String, CameraHistory> histories = new HashMap<>();
  private Stage<Frame> stage;
  private MessageConsumer<JsonObject> assessments;
  private long expiryTimer;

  /** A record decoded: the frame's JSON and its valid detection. */
  private record Frame(JsonObject json, Detection detection) {}

  /** A frame the gate may hold: everything needed to make its task later. */
  private record Candidate(Detection detection, JsonObject json, String frameKey, long frameTimeMs,
                           SceneFacts facts, JsonObject context, int priority) {}

  public DetectionBridgeVerticle(ArgusConfig config, Backbone backbone, BridgeMeters meters) {
    this.config = config;
    this.backbone = backbone;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Detection d = config.detection();
    rules = d.rules();
    gate = new FrameGate(d.pendingTimeoutMs());
    assessments = vertx.eventBus().consumer(BusAddresses.ASSESSMENTS, msg -> onAssessed(msg.body()));
    expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_MS, id ->
        gate.<Candidate>expire(System.currentTimeMillis()).forEach((cam, held) -> emitHeld(held)));
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().detections().name(),
        config.kafka().group("bridge"), MAX_IN_FLIGHT);
    return Stage.start(vertx, backbone, spec, MetricNames.STAGE_BRIDGE, DetectionBridgeVerticle::decode, this::onFrame)
        .onSuccess(s -> stage = s);
  }

  private static Frame decode(InboundRecord record) {
    JsonObject json = Stage.json(record);
    FrameParser.Result parsed = FrameParser.parse(json, 0);
    if (!parsed.ok()) {
      throw new PoisonRecordException(PoisonRecordException.INVALID, parsed.errors().stream()
          .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
    }
    return new Frame(json, parsed.detection());
  }

  private Future<?> onFrame(Frame frame, InboundRecord record) {
    JsonObject json = frame.json();
    Detection det = frame.detection();
    String frameKey = det.frameId() != null ? det.frameId() : "p" + record.partition() + "o" + record.offset();
    long frameTime = det.timestampOr(record.timestampMs());
    CameraRules r = rules.rules(det.cameraId());
    double width = json.getDouble("image_width", r.frameWidth());
    double height = json.getDouble("image_height", r.frameHeight());
    SceneFacts gating = SceneFacts.forGating(det, r);
    CameraHistory history = histories.computeIfAbsent(det.cameraId(), k -> new CameraHistory());
    history.add(frameTime, gating.counts());
    FrameGate.Decision decision = gate.decide(det.cameraId(), gating, r, frameTime, System.currentTimeMillis());
    if (decision.action() == FrameGate.Action.DROP) return Future.succeededFuture();
    // Only frames worth a task pay for clustering and their context.
    SceneFacts facts = SceneFacts.of(det, r, width, height);
    Candidate c = new Candidate(det, json, frameKey, frameTime, facts, context(facts, history, decision, det),
        priority(decision.reason(), facts, r));
    if (decision.action() == FrameGate.Action.HOLD) {
      gate.hold(det.cameraId(), c, decision.reason());
      meters.frameHeld();
      return Future.succeededFuture();
    }
    return emit(c, decision.reason(), 0);
  }

  /** What the prompt gets besides the frame: counts, clusters, zone hits, trend, frame rate. */
  private static JsonObject context(SceneFacts f, CameraHistory h, FrameGate.Decision d, Detection det) {
    JsonObject ctx = new JsonObject().put("counts", new JsonObject(new LinkedHashMap<>(f.counts())))
        .put("clusters", new JsonArray(f.clusters()))
        .put("zone_hits", new JsonArray(f.zoneDetails()))
        .put("trend", h.trend()).put("frames_per_s", h.framesPerSecond());
    if (d.detail() != null) ctx.put("change", d.detail());
    if (det.imageUrl() != null) ctx.put("image_url", det.imageUrl());
    return ctx;
  }

  /** The dispatcher's queue order: the reason, then crowd size and zone hits raise it. */
  static int priority(FrameGate.Reason reason, SceneFacts f, CameraRules r) {
    int p = reason.priority;
    if (f.largestCluster() >= r.crowdSize()) p += Math.min(MAX_CROWD_BONUS, f.largestCluster() / 2);
    p += Math.min(MAX_ZONE_BONUS, ZONE_HIT_BONUS * f.zoneDetails().size());
    return p;
  }

  private Future<Void> emit(Candidate c, FrameGate.Reason reason, int coalesced) {
    long now = System.currentTimeMillis();
    String cameraId = c.detection().cameraId();
    AssessmentTask task = new AssessmentTask(AssessmentTask.taskId(cameraId, c.frameKey()), cameraId,
        c.detection().frameId(), c.frameTimeMs(), now, now + config.llm().deadlineMs(), reason.wire(),
        c.priority(), coalesced, c.json(), c.context());
    gate.emitted(cameraId, task.taskId(), c.frameTimeMs(), c.facts(), now);
    meters.taskMade(reason);
    return stage.publisher().send(new OutboundRecord(config.kafka().topics().tasks().name(), cameraId, task.toJson().toBuffer(), task.taskId()));
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
    if (stage == null) return assessments.unregister();
    return stage.stop(() -> assessments.unregister());
  }
}
