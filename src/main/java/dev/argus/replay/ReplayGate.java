package dev.argus.replay;

import dev.argus.config.CameraRules;
import dev.argus.config.RuleBook;
import dev.argus.detection.CameraHistory;
import dev.argus.detection.FrameGate;
import dev.argus.detection.SceneFacts;
import dev.argus.model.AssessmentTask;
import dev.argus.model.Detection;
import dev.argus.model.FrameParser;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bridge's gating for one replay: its own {@link FrameGate} and camera histories, driven by the
 * frames' own times (the clock of the recording, not of now). A replayed task never waits for its
 * result, so the gate treats it as answered at once; what is gated out is what the live bridge would
 * have skipped as unchanged or too soon. Task ids are {@code replay:<replay_id>:<camera>:<frame>}.
 */
public final class ReplayGate {
  public static final String PREFIX = AssessmentTask.REPLAY_PREFIX;

  private final String replayId;
  private final RuleBook rules;
  private final long deadlineMs;
  private final FrameGate gate;
  private final Map<String, CameraHistory> histories = new HashMap<>();

  public ReplayGate(String replayId, RuleBook rules, long pendingTimeoutMs, long deadlineMs) {
    this.replayId = replayId;
    this.rules = rules;
    this.deadlineMs = deadlineMs;
    this.gate = new FrameGate(pendingTimeoutMs);
  }

  public static String taskId(String replayId, String cameraId, String frameKey) {
    return PREFIX + replayId + ":" + cameraId + ":" + frameKey;
  }

  /** The replay id of a replayed task id, or null for a live one. */
  public static String replayIdOf(String taskId) {
    if (taskId == null || !taskId.startsWith(PREFIX)) return null;
    int end = taskId.indexOf(':', PREFIX.length());
    return end < 0 ? null : taskId.substring(PREFIX.length(), end);
  }

  /**
   * The task for one recorded frame, or null when it is not a valid frame or the gate lets it pass.
   * {@code fallbackKey} names a frame without a frame id (its record's coordinates); {@code nowMs} is now.
   */
  public AssessmentTask offer(JsonObject json, String fallbackKey, long recordTimeMs, long nowMs) {
    FrameParser.Result parsed = FrameParser.parse(json, 0);
    if (!parsed.ok()) return null;
    Detection det = parsed.detection();
    String camera = det.cameraId();
    long frameTime = det.timestampOr(recordTimeMs);
    CameraRules r = rules.rules(camera);
    SceneFacts gating = SceneFacts.forGating(det, r);
    CameraHistory history = histories.computeIfAbsent(camera, k -> new CameraHistory());
    history.add(frameTime, gating.counts());
    FrameGate.Decision d = gate.decide(camera, gating, r, frameTime, frameTime);
    if (d.action() != FrameGate.Action.EMIT) return null;
    SceneFacts facts = SceneFacts.of(det, r, json.getDouble("image_width", r.frameWidth()),
        json.getDouble("image_height", r.frameHeight()));
    JsonObject context = new JsonObject().put("counts", new JsonObject(new LinkedHashMap<>(facts.counts())))
        .put("trend", history.trend()).put("frames_per_s", history.framesPerSecond()).put("replay_id", replayId);
    if (d.detail() != null) context.put("change", d.detail());
    String frameKey = det.frameId() != null ? det.frameId() : fallbackKey;
    String id = taskId(replayId, camera, frameKey);
    gate.emitted(camera, id, frameTime, facts, frameTime);
    gate.completed(camera, id, frameTime);
    return new AssessmentTask(id, camera, det.frameId(), frameTime, nowMs, nowMs + deadlineMs, d.reason().wire(),
        d.reason().priority, 0, json, context);
  }
}
