package dev.argus.detection;

import dev.argus.config.CameraRules;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decides which frames become assessment tasks, per camera. At once: a camera's first frame, a frame
 * with a high-risk label, a new zone intrusion. After the minimum interval (frame time, so a replay
 * decides the same way): a frame whose scene changed since the last task. After the maximum interval:
 * any frame (a heartbeat, so a quiet scene is still re-assessed). While the camera's task is pending,
 * a frame worth a task is held instead (the newest replaces the older, keeping the strongest reason)
 * and released when the pending task completes or times out (wall-clock). Not thread-safe: one owner
 * per camera.
 */
public final class FrameGate {
  public enum Reason {
    HIGH_RISK_LABEL(10), ZONE_INTRUSION(8), FIRST_FRAME(5), SCENE_CHANGE(3), INTERVAL(1);

    public final int priority;

    Reason(int priority) {
      this.priority = priority;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Action { EMIT, HOLD, DROP }

  /** {@code detail} says what changed (for a scene change), else null. */
  public record Decision(Action action, Reason reason, String detail) {}

  /** A frame waiting for the camera's pending task to finish. {@code token} is the caller's (its record). */
  public record Held<T>(T token, Reason reason, int framesCoalesced) {}

  private static final class Camera {
    long lastTaskFrameMs = Long.MIN_VALUE;
    SceneFacts lastFacts;
    String pendingTaskId;
    long pendingSinceMs;
    Object heldToken;
    Reason heldReason;
    int heldCount;
  }

  private final long pendingTimeoutMs;
  private final Map<String, Camera> cameras = new HashMap<>();

  public FrameGate(long pendingTimeoutMs) {
    this.pendingTimeoutMs = pendingTimeoutMs;
  }

  /**
   * What to do with a frame; changes nothing. EMIT: make a task and call {@link #emitted}. HOLD: the
   * camera's task is pending; call {@link #hold} with the frame. DROP: nothing to do.
   */
  public Decision decide(String cameraId, SceneFacts facts, CameraRules rules, long frameTimeMs, long nowMs) {
    Camera cam = cameras.get(cameraId);
    Reason reason;
    String detail = null;
    if (cam == null) {
      reason = Reason.FIRST_FRAME;
    } else if (facts.highRisk()) {
      reason = Reason.HIGH_RISK_LABEL;
    } else if (!facts.zoneHits().isEmpty() && (cam.lastFacts == null || !cam.lastFacts.zoneHits().containsAll(facts.zoneHits()))) {
      reason = Reason.ZONE_INTRUSION;
    } else {
      long since = frameTimeMs - cam.lastTaskFrameMs;
      detail = since >= rules.minIntervalMs() ? facts.changeFrom(cam.lastFacts, rules) : null;
      if (detail != null) reason = Reason.SCENE_CHANGE;
      else if (since >= rules.maxIntervalMs()) reason = Reason.INTERVAL;
      else return new Decision(Action.DROP, null, null);
    }
    boolean pending = cam != null && cam.pendingTaskId != null && nowMs - cam.pendingSinceMs < pendingTimeoutMs;
    return new Decision(pending ? Action.HOLD : Action.EMIT, reason, detail);
  }

  /** Keeps {@code token} as the camera's next task (replacing an older held frame, keeping the strongest reason). */
  public void hold(String cameraId, Object token, Reason reason) {
    Camera cam = cameras.get(cameraId);
    if (cam.heldReason == null || reason.priority >= cam.heldReason.priority) cam.heldReason = reason;
    cam.heldToken = token;
    cam.heldCount++;
  }

  /** Records that a task was made for the camera's frame at {@code frameTimeMs} showing {@code facts}. */
  public void emitted(String cameraId, String taskId, long frameTimeMs, SceneFacts facts, long nowMs) {
    Camera cam = cameras.computeIfAbsent(cameraId, k -> new Camera());
    cam.lastTaskFrameMs = Math.max(cam.lastTaskFrameMs, frameTimeMs);
    cam.lastFacts = facts;
    cam.pendingTaskId = taskId;
    cam.pendingSinceMs = nowMs;
  }

  /**
   * The camera's task {@code taskId} was assessed: the camera is free again, and the held frame (if
   * any) is handed back to become the next task. An assessment of another task changes nothing.
   */
  public <T> Held<T> completed(String cameraId, String taskId) {
    Camera cam = cameras.get(cameraId);
    if (cam == null || !taskId.equals(cam.pendingTaskId)) return null;
    cam.pendingTaskId = null;
    return release(cam);
  }

  /** Releases held frames whose camera's pending task has been waiting longer than the timeout. */
  public <T> Map<String, Held<T>> expire(long nowMs) {
    Map<String, Held<T>> out = new HashMap<>();
    cameras.forEach((id, cam) -> {
      if (cam.pendingTaskId != null && nowMs - cam.pendingSinceMs >= pendingTimeoutMs) {
        cam.pendingTaskId = null;
        Held<T> held = release(cam);
        if (held != null) out.put(id, held);
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> Held<T> release(Camera cam) {
    if (cam.heldToken == null) return null;
    Held<T> held = new Held<>((T) cam.heldToken, cam.heldReason, cam.heldCount);
    cam.heldToken = null;
    cam.heldReason = null;
    cam.heldCount = 0;
    return held;
  }
}
