package dev.argus.detection;

import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides which frames become assessment tasks, per camera. A camera's first frame, a frame with a
 * high-risk label, or the first frame after the minimum interval (measured on frame time, so a replay
 * decides the same way) is worth a task. While the camera's task is pending, a frame worth a task is
 * held instead (the newest replaces the older, keeping the strongest reason) and released when the
 * pending task completes or times out (on wall-clock time). Not thread-safe: one owner per camera.
 */
public final class FrameGate {
  public enum Reason {
    FIRST_FRAME(5), HIGH_RISK_LABEL(10), INTERVAL(1);

    public final int priority;

    Reason(int priority) {
      this.priority = priority;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Action { EMIT, HOLD, DROP }

  public record Decision(Action action, Reason reason) {}

  /** A frame waiting for the camera's pending task to finish. {@code token} is the caller's (its record). */
  public record Held<T>(T token, Reason reason, int framesCoalesced) {}

  private static final class Camera {
    long lastTaskFrameMs = Long.MIN_VALUE;
    String pendingTaskId;
    long pendingSinceMs;
    Object heldToken;
    Reason heldReason;
    int heldCount;
  }

  private final long minIntervalMs;
  private final Set<String> highRiskLabels;
  private final long pendingTimeoutMs;
  private final Map<String, Camera> cameras = new HashMap<>();

  public FrameGate(long minIntervalMs, Set<String> highRiskLabels, long pendingTimeoutMs) {
    this.minIntervalMs = minIntervalMs;
    this.highRiskLabels = highRiskLabels;
    this.pendingTimeoutMs = pendingTimeoutMs;
  }

  /**
   * Offers a frame. On EMIT the caller makes a task of it and must call {@link #emitted}; on HOLD the
   * gate keeps {@code token} until the pending task completes.
   */
  public Decision offer(Detection frame, long frameTimeMs, Object token, long nowMs) {
    Camera cam = cameras.get(frame.cameraId());
    Reason reason;
    if (cam == null) {
      reason = Reason.FIRST_FRAME;
    } else if (hasHighRiskLabel(frame)) {
      reason = Reason.HIGH_RISK_LABEL;
    } else if (frameTimeMs - cam.lastTaskFrameMs >= minIntervalMs) {
      reason = Reason.INTERVAL;
    } else {
      return new Decision(Action.DROP, null);
    }
    if (cam != null && cam.pendingTaskId != null && nowMs - cam.pendingSinceMs < pendingTimeoutMs) {
      if (cam.heldReason == null || reason.priority >= cam.heldReason.priority) cam.heldReason = reason;
      cam.heldToken = token;
      cam.heldCount++;
      return new Decision(Action.HOLD, cam.heldReason);
    }
    return new Decision(Action.EMIT, reason);
  }

  /** Records that a task was made for the camera's frame at {@code frameTimeMs}. */
  public void emitted(String cameraId, String taskId, long frameTimeMs, long nowMs) {
    Camera cam = cameras.computeIfAbsent(cameraId, k -> new Camera());
    cam.lastTaskFrameMs = Math.max(cam.lastTaskFrameMs, frameTimeMs);
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

  public boolean hasHighRiskLabel(Detection frame) {
    for (DetectedObject o : frame.objects()) {
      if (highRiskLabels.contains(o.label().toLowerCase(Locale.ROOT))) return true;
    }
    return false;
  }

  public int cameraCount() {
    return cameras.size();
  }
}
