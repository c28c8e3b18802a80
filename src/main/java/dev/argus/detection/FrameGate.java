package dev.argus.detection;

import dev.argus.config.CameraRules;
import dev.argus.model.CameraMaps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides which frames become assessment tasks, per camera. At once: a camera's first frame, a frame
 * with a high-risk label, a new zone intrusion. After the minimum interval (frame time, so a replay
 * decides the same way): a frame whose scene changed since the last task. After the maximum interval:
 * any frame (a heartbeat, so a quiet scene is still re-assessed).
 *
 * <p>Each camera has one slot for the frame that should be its next task. A frame worth a task while
 * the camera's task is pending goes there (HOLD) and is released when the pending task completes or
 * times out (wall clock). A scene change inside the minimum interval goes there too (DEFER), due when
 * the interval ends (plus a transit grace, below), so it is judged even if the camera falls quiet. The
 * newest frame replaces an older one (which the caller may then let go: the newer carries the duty),
 * keeping the strongest reason.
 * Times: {@code frameTimeMs} is the frame's own time, {@code nowMs} the injected wall clock.
 *
 * <p>The transit grace: a camera that sends at a steady rate puts a frame right on the end of the interval
 * whenever the interval is a multiple of its frame spacing (2 s at 2 fps), and that frame, made a task at
 * once, shows the scene as it is now. Due without grace, the kept frame (up to one frame spacing old) raced
 * it and won whenever the newer frame's way to the bridge took a few milliseconds longer than the kept
 * one's: about half the time, which made those tasks half a second staler than they had to be. The grace
 * lets the on-time frame win; a camera that falls quiet has its kept frame judged that much later.
 *
 * <p>At most {@code maxCameras} cameras are remembered: camera ids come from producers, and one that
 * cycles ids must not fill the heap. Past the bound the least recently seen camera that holds no frame is
 * forgotten; its next frame counts as a first frame (a task at once, which after a quiet spell the maximum
 * interval would mostly have made anyway). A held frame is never forgotten: it carries an uncommitted record.
 * Not thread-safe: one owner per camera.
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

  /** EMIT: make a task now. HOLD: keep it until the pending task is done. DEFER: keep it until {@code dueMs}. */
  public enum Action { EMIT, HOLD, DEFER, DROP }

  /**
   * {@code detail} says what changed (for a scene change), else null; {@code dueMs} is the wall-clock
   * time a DEFERred frame may go (0 otherwise).
   */
  public record Decision(Action action, Reason reason, String detail, long dueMs) {
    public Decision(Action action, Reason reason, String detail) {
      this(action, reason, detail, 0);
    }

    /** Whether the frame goes into the camera's slot ({@link #hold}). */
    public boolean kept() {
      return action == Action.HOLD || action == Action.DEFER;
    }
  }

  /** A frame released from its camera's slot to become a task. {@code token} is the caller's (its record). */
  public record Held<T>(T token, Reason reason, int framesCoalesced) {}

  private static final class Camera {
    long lastTaskFrameMs = Long.MIN_VALUE;
    SceneFacts lastFacts;
    String pendingTaskId;
    long pendingSinceMs;
    Object heldToken;
    Reason heldReason;
    int heldCount;
    long heldDueMs;
  }

  /** Cameras remembered when nothing says otherwise (a replay's own gate, tests). */
  public static final int DEFAULT_MAX_CAMERAS = 50_000;

  private final long pendingTimeoutMs;
  private final int maxCameras;
  private final long transitGraceMs;
  /** In access order: the eldest entry is the camera seen least recently. */
  private final Map<String, Camera> cameras = new LinkedHashMap<>(16, 0.75f, true);
  private int held;
  private long forgotten;

  /** No transit grace: a replay's frames all come from the recording, none is on its way. */
  public FrameGate(long pendingTimeoutMs) {
    this(pendingTimeoutMs, DEFAULT_MAX_CAMERAS, 0);
  }

  /** {@code transitGraceMs}: how much later than the interval's end a deferred change is due (see above). */
  public FrameGate(long pendingTimeoutMs, int maxCameras, long transitGraceMs) {
    if (maxCameras < 1) throw new IllegalArgumentException("maxCameras must be at least 1");
    if (transitGraceMs < 0) throw new IllegalArgumentException("transitGraceMs must not be negative");
    this.pendingTimeoutMs = pendingTimeoutMs;
    this.maxCameras = maxCameras;
    this.transitGraceMs = transitGraceMs;
  }

  /**
   * What to do with a frame; changes nothing. EMIT: make a task and call {@link #emitted}. HOLD or
   * DEFER: call {@link #hold} with the frame. DROP: call {@link #unchanged} (a deferred change the
   * scene went back from is let go).
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
      detail = facts.changeFrom(cam.lastFacts, rules);
      if (detail != null && since >= rules.minIntervalMs()) {
        reason = Reason.SCENE_CHANGE;
      } else if (since >= rules.maxIntervalMs()) {
        reason = Reason.INTERVAL;
        detail = null;
      } else if (detail != null) {
        // Suppressed by the minimum interval: judged when it ends (in wall-clock terms, plus the transit
        // grace) unless a newer frame takes its place first.
        return new Decision(Action.DEFER, Reason.SCENE_CHANGE, detail,
            nowMs + rules.minIntervalMs() - Math.max(0, since) + transitGraceMs);
      } else {
        return new Decision(Action.DROP, null, null);
      }
    }
    return new Decision(pending(cam, nowMs) ? Action.HOLD : Action.EMIT, reason, detail);
  }

  private boolean pending(Camera cam, long nowMs) {
    return cam != null && cam.pendingTaskId != null && nowMs - cam.pendingSinceMs < pendingTimeoutMs;
  }

  /**
   * Keeps {@code token} as the camera's next task, due at {@code dueMs} (0: as soon as the camera is
   * free), replacing an older kept frame and keeping the strongest reason and the earliest due time.
   * Returns the token it replaced (its duty now lies with the newer one), or null.
   */
  @SuppressWarnings("unchecked")
  public <T> T hold(String cameraId, T token, Reason reason, long dueMs) {
    Camera cam = cameras.get(cameraId);
    Object previous = cam.heldToken;
    if (previous == null) {
      held++;
      cam.heldDueMs = dueMs;
    } else {
      cam.heldDueMs = Math.min(cam.heldDueMs, dueMs);
    }
    if (cam.heldReason == null || reason.priority >= cam.heldReason.priority) cam.heldReason = reason;
    cam.heldToken = token;
    cam.heldCount++;
    return (T) previous;
  }

  /**
   * A frame showed no change since the last task: a kept frame whose only reason was a scene change
   * is no longer news and is let go (returned), so the camera keeps the judgement of what it shows.
   */
  @SuppressWarnings("unchecked")
  public <T> T unchanged(String cameraId) {
    Camera cam = cameras.get(cameraId);
    if (cam == null || cam.heldToken == null || cam.heldReason != Reason.SCENE_CHANGE) return null;
    return (T) take(cam).token();
  }

  /**
   * Records that a task was made for the camera's frame at {@code frameTimeMs} showing {@code facts}.
   * Returns the token of an older kept frame this newer task replaces (the caller lets it go), or null.
   */
  @SuppressWarnings("unchecked")
  public <T> T emitted(String cameraId, String taskId, long frameTimeMs, SceneFacts facts, long nowMs) {
    Camera cam = cameras.get(cameraId);
    if (cam == null) {
      cam = new Camera();
      cameras.put(cameraId, cam);
      if (cameras.size() > maxCameras) forgetLeastRecent();
    }
    cam.lastTaskFrameMs = Math.max(cam.lastTaskFrameMs, frameTimeMs);
    cam.lastFacts = facts;
    cam.pendingTaskId = taskId;
    cam.pendingSinceMs = nowMs;
    return cam.heldToken == null ? null : (T) take(cam).token();
  }

  /** The task could not be produced: the camera is free again (the frame is handled anew). */
  public void abandoned(String cameraId, String taskId) {
    Camera cam = cameras.get(cameraId);
    if (cam != null && taskId.equals(cam.pendingTaskId)) cam.pendingTaskId = null;
  }

  /**
   * The camera's task {@code taskId} was assessed: the camera is free again, and the kept frame, if it
   * is due, is handed back to become the next task. A completion of another task changes nothing.
   */
  public <T> Held<T> completed(String cameraId, String taskId, long nowMs) {
    Camera cam = cameras.get(cameraId);
    if (cam == null || !taskId.equals(cam.pendingTaskId)) return null;
    cam.pendingTaskId = null;
    return cam.heldToken != null && cam.heldDueMs <= nowMs ? take(cam) : null;
  }

  /**
   * Gives up on pending tasks older than the timeout and hands back every kept frame that may go now:
   * its camera is free and it is due.
   */
  public <T> Map<String, Held<T>> ready(long nowMs) {
    Map<String, Held<T>> out = new HashMap<>();
    if (held == 0) {
      cameras.values().forEach(cam -> expirePending(cam, nowMs));
      return out;
    }
    cameras.forEach((id, cam) -> {
      expirePending(cam, nowMs);
      if (cam.heldToken != null && cam.pendingTaskId == null && cam.heldDueMs <= nowMs) out.put(id, take(cam));
    });
    return out;
  }

  private void expirePending(Camera cam, long nowMs) {
    if (cam.pendingTaskId != null && nowMs - cam.pendingSinceMs >= pendingTimeoutMs) cam.pendingTaskId = null;
  }

  /** Empties every slot (on stop: the kept frames' records stay uncommitted and are read again). */
  public <T> List<T> drain() {
    List<T> out = new ArrayList<>();
    cameras.values().forEach(cam -> {
      if (cam.heldToken != null) out.add(this.<T>take(cam).token());
    });
    return out;
  }

  /**
   * Forgets the least recently seen cameras that hold no frame until the bound holds again. Cameras that hold
   * one are passed over; there are few (a held frame needs a pending task, and the bridge pauses its
   * partitions while many frames are held), so the walk stays short.
   */
  private void forgetLeastRecent() {
    for (String id : CameraMaps.eldestBeyond(cameras, maxCameras, (camera, cam) -> cam.heldToken == null)) {
      cameras.remove(id);
      forgotten++;
    }
  }

  /** Cameras remembered now. */
  public int cameras() {
    return cameras.size();
  }

  /** Cameras forgotten so far to keep within the bound. */
  public long forgotten() {
    return forgotten;
  }

  /** Frames kept across all cameras. */
  public int held() {
    return held;
  }

  @SuppressWarnings("unchecked")
  private <T> Held<T> take(Camera cam) {
    Held<T> h = new Held<>((T) cam.heldToken, cam.heldReason, cam.heldCount);
    cam.heldToken = null;
    cam.heldReason = null;
    cam.heldCount = 0;
    cam.heldDueMs = 0;
    held--;
    return h;
  }
}
