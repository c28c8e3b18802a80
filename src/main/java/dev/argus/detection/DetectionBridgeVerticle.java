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
import dev.argus.model.CameraMaps;
import dev.argus.model.Detection;
import dev.argus.model.FrameParser;
import dev.argus.model.FrameReader;
import dev.argus.model.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the frames that matter into assessment tasks. Owns the cameras of the partitions it consumes;
 * learns that a camera's task is done from {@link BusAddresses#INTERNAL_TASK_COMPLETED} (duplicates of
 * a replay included), then releases the frame it kept. A kept frame's record is finished (committable)
 * only once its task was produced, or once a newer frame of the camera took its place; so a crash loses
 * no camera's newest frame: it is read again on restart.
 */
public final class DetectionBridgeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DetectionBridgeVerticle.class);
  /**
   * How often kept frames are looked at: deferred scene changes come due, pending tasks that never
   * came back time out (pendingTimeoutMs). Also how late a deferred change may go.
   */
  private static final long TICK_MS = 200;
  /**
   * Records out at once. Kept frames count (at most one per camera): with more cameras keeping a frame
   * than half of this, the partitions pause until completions, due times or pendingTimeoutMs release
   * some, so a partition is slowed, never stalled.
   */
  private static final int MAX_IN_FLIGHT = 4096;
  /** How much a crowd and zone hits may raise a task's priority on top of its reason's. */
  private static final int MAX_CROWD_BONUS = 10;
  private static final int ZONE_HIT_BONUS = 3;
  private static final int MAX_ZONE_BONUS = 6;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final BridgeMeters meters;
  private FrameGate gate;
  private RuleBook rules;
  /** Bounded as the gate is (detection.maxCameras), least recently seen first out: ids come from producers. */
  private Map<String, CameraHistory> histories;
  private Stage<Frame> stage;
  private MessageConsumer<JsonObject> completions;
  private long tickTimer;
  /** The timer armed for the earliest deferred frame (see {@link DueWake}), or -1. */
  private final DueWake dueWake = new DueWake();
  private long dueTimer = -1;

  /**
   * A record decoded in one streaming pass (no tree): its valid detection, the image size it states (NaN:
   * the camera's configured size), and its bytes, which become a JsonObject only if the frame makes a task.
   */
  private record Frame(Buffer bytes, Detection detection, double imageWidth, double imageHeight) {}

  /**
   * A frame the gate may keep: everything needed to make its task later, and its record's completion
   * (succeeded: committable; failed: read again).
   */
  private record Candidate(Detection detection, Buffer bytes, String frameKey, long frameTimeMs, long recordTimeMs,
                           SceneFacts facts, JsonObject context, int priority, Promise<Void> done) {}

  public DetectionBridgeVerticle(ArgusConfig config, Backbone backbone, BridgeMeters meters) {
    this.config = config;
    this.backbone = backbone;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Detection d = config.detection();
    rules = d.rules();
    gate = new FrameGate(d.pendingTimeoutMs(), d.maxCameras(), d.transitGraceMs());
    meters.watch(gate);
    histories = CameraMaps.leastRecentOut(d.maxCameras());
    completions = vertx.eventBus().consumer(BusAddresses.INTERNAL_TASK_COMPLETED, msg -> onCompleted(msg.body()));
    tickTimer = vertx.setPeriodic(TICK_MS, id ->
        gate.<Candidate>ready(System.currentTimeMillis()).forEach((cam, held) -> emitHeld(held)));
    // Continuous: kept frames finish out of order, and only contiguous finished offsets are committed.
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().detections().name(),
        config.kafka().group("bridge"), MAX_IN_FLIGHT, true);
    return Stage.start(vertx, backbone, spec, MetricNames.STAGE_BRIDGE, DetectionBridgeVerticle::decode, this::onFrame)
        .onSuccess(s -> stage = s);
  }

  private static Frame decode(InboundRecord record) {
    FrameReader.Decoded d = FrameReader.decode(record.value());
    FrameParser.Result parsed = d.result();
    if (!parsed.ok()) {
      throw new PoisonRecordException(d.malformed() ? PoisonRecordException.UNDECODABLE : PoisonRecordException.INVALID, parsed.errors().stream()
          .map(e -> (e.field().isEmpty() ? "" : e.field() + " ") + e.message()).collect(Collectors.joining("; ")));
    }
    return new Frame(record.value(), parsed.detection(), d.imageWidth(), d.imageHeight());
  }

  private Future<?> onFrame(Frame frame, InboundRecord record) {
    Detection det = frame.detection();
    String frameKey = det.frameId() != null ? det.frameId() : "p" + record.partition() + "o" + record.offset();
    long frameTime = det.timestampOr(record.timestampMs());
    CameraRules r = rules.rules(det.cameraId());
    double width = Double.isNaN(frame.imageWidth()) ? r.frameWidth() : frame.imageWidth();
    double height = Double.isNaN(frame.imageHeight()) ? r.frameHeight() : frame.imageHeight();
    SceneFacts gating = SceneFacts.forGating(det, r);
    CameraHistory history = histories.computeIfAbsent(det.cameraId(), k -> new CameraHistory());
    history.add(frameTime, gating.counts());
    FrameGate.Decision decision = gate.decide(det.cameraId(), gating, r, frameTime, System.currentTimeMillis());
    if (decision.action() == FrameGate.Action.DROP) {
      letGo(gate.unchanged(det.cameraId()));
      return Future.succeededFuture();
    }
    // Only frames worth a task pay for clustering and their context.
    SceneFacts facts = SceneFacts.of(det, r, width, height);
    Candidate c = new Candidate(det, frame.bytes(), frameKey, frameTime, record.timestampMs(), facts, context(facts, history, decision, det),
        priority(decision.reason(), facts, r), Promise.promise());
    if (decision.kept()) {
      letGo(gate.hold(det.cameraId(), c, decision.reason(), decision.dueMs()));
      if (decision.action() == FrameGate.Action.DEFER) wakeAt(decision.dueMs());
      if (decision.action() == FrameGate.Action.HOLD) meters.frameHeld();
      return c.done().future();
    }
    return emit(c, decision.reason(), 0);
  }

  /** Sends deferred frames when they come due rather than at the next tick (up to TICK_MS later). */
  private void wakeAt(long dueMs) {
    long delay = dueWake.arm(dueMs, System.currentTimeMillis());
    if (delay < 0) return;
    if (dueTimer >= 0) vertx.cancelTimer(dueTimer);
    dueTimer = vertx.setTimer(delay, id -> {
      dueTimer = -1;
      dueWake.fired();
      gate.<Candidate>ready(System.currentTimeMillis()).forEach((cam, held) -> emitHeld(held));
    });
  }

  /** A kept frame whose duty passed to a newer frame (or that is no news any more): its record is done. */
  private static void letGo(Candidate older) {
    if (older != null) older.done().tryComplete();
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
        c.priority(), coalesced, new JsonObject(c.bytes()), c.context());
    letGo(gate.emitted(cameraId, task.taskId(), c.frameTimeMs(), c.facts(), now));
    meters.taskMade(reason);
    return stage.publisher().send(new OutboundRecord(config.kafka().topics().tasks().name(), cameraId, task.toJson().toBuffer(),
            task.taskId()))
        .onSuccess(v -> meters.taskProduced(c.recordTimeMs(), System.currentTimeMillis()))
        .onFailure(err -> gate.abandoned(cameraId, task.taskId())); // the record is retried and decided anew
  }

  private void onCompleted(JsonObject completion) {
    String camera = completion.getString("camera_id");
    String taskId = completion.getString("task_id");
    if (camera == null || taskId == null) return;
    FrameGate.Held<Candidate> held = gate.completed(camera, taskId, System.currentTimeMillis());
    if (held != null) emitHeld(held);
  }

  /**
   * A kept frame's record finishes when its task is acknowledged; if the task cannot be produced, the
   * record fails and the subscription hands it in again (or, on a crash, it is read again on restart).
   */
  private void emitHeld(FrameGate.Held<Candidate> held) {
    Promise<Void> done = held.token().done();
    emit(held.token(), held.reason(), held.framesCoalesced()).onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete();
      } else {
        log.warn("task for kept frame of {} not produced: {}", held.token().detection().cameraId(), ar.cause().getMessage());
        done.tryFail(ar.cause());
      }
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    if (dueTimer >= 0) vertx.cancelTimer(dueTimer);
    if (stage == null) return completions.unregister();
    Future<Void> stopped = stage.stop(() -> completions.unregister());
    // Consuming is closing now, so kept frames failed here are not retried: their records stay
    // uncommitted and the next owner of the partition reads them again. (Direct mode keeps nothing
    // across a stop, and would retry a failed record forever.)
    boolean durable = backbone.durable();
    gate.<Candidate>drain().forEach(c -> {
      if (durable) c.done().tryFail("stopping");
      else c.done().tryComplete();
    });
    return stopped;
  }
}
