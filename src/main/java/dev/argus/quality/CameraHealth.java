package dev.argus.quality;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.RiskLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Is each camera's feed still good, judged against the camera's own baseline? Checks: silent (no frame
 * for {@code silentAfterMs}); frame-rate drop (a window's frames below {@code rateDropRatio} of the
 * camera's usual); confidence collapse (a window's mean detection confidence below
 * {@code confidenceDropRatio} of its usual); clock skew (most of a window's frames stamped more than
 * {@code maxSkewMs} away from their arrival); rejected burst (a window with at least
 * {@code rejectedBurstMin} frames refused at ingest, and more than {@code rejectedBurstFactor} times the
 * camera's usual refusals per window; it opens at the first such window, a burst being short by nature,
 * and a camera known only from refused frames is never called silent). Frames are counted in windows of {@code windowMs}; a
 * baseline is trusted after {@code baselineWindows} windows and learns only from good windows; a check
 * opens an alert after {@code confirmWindows} bad windows in a row and resolves it at the first good
 * one (silence resolves with the next frame). A window without frames is left to the silent check, and
 * while a camera is silent its other checks wait. Each
 * decision returns the alert events it causes ({@code kind} data_quality, {@code rule} the check).
 * Time comes in as arguments (the caller's clock). Not thread-safe.
 */
public final class CameraHealth {
  public static final String SILENT = "silent";
  public static final String FRAME_RATE_DROP = "frame_rate_drop";
  public static final String CONFIDENCE_COLLAPSE = "confidence_collapse";
  public static final String CLOCK_SKEW = "clock_skew";
  public static final String REJECTED_BURST = "rejected_burst";
  /** How fast a baseline follows a slowly changing camera once it is trusted (weight of a new window). */
  private static final double BASELINE_WEIGHT = 0.1;

  private static final class Open {
    String id;
    long firstSeen;
    int count;
  }

  private static final class Camera {
    /** At least one frame was accepted: only then can the camera fall silent. */
    boolean framed;
    long lastFrameMs;
    long windowStart;
    int frames;
    double confSum;
    int confN;
    int skewed;
    int rejected;
    long lastRejectedMs;
    int rejectWindows;
    double rejectBaseline;
    int rateWindows;
    double rateBaseline;
    int confWindows;
    double confBaseline;
    final Map<String, Integer> badStreak = new HashMap<>();
    final Map<String, Open> open = new HashMap<>();
  }

  private final ArgusConfig.Quality settings;
  private final Map<String, Camera> cameras = new HashMap<>();

  public CameraHealth(ArgusConfig.Quality settings) {
    this.settings = settings;
  }

  /**
   * A frame arrived at {@code arrivalMs}, stamped {@code frameTimeMs} (null: not stamped), with the mean
   * confidence of its detections ({@code NaN} when it has none).
   */
  public List<Alert> onFrame(String cameraId, Long frameTimeMs, long arrivalMs, double meanConfidence) {
    List<Alert> out = new ArrayList<>();
    Camera c = camera(cameraId, arrivalMs);
    c.framed = true;
    if (c.open.containsKey(SILENT)) {
      out.add(resolve(c, cameraId, SILENT, arrivalMs, "frames arrive again"));
      startWindow(c, arrivalMs); // the silence is not a rate drop, and says nothing about the usual rate
    }
    closeWindows(c, cameraId, arrivalMs, out);
    c.lastFrameMs = Math.max(c.lastFrameMs, arrivalMs);
    c.frames++;
    if (!Double.isNaN(meanConfidence)) {
      c.confSum += meanConfidence;
      c.confN++;
    }
    if (frameTimeMs != null && Math.abs(arrivalMs - frameTimeMs) > settings.maxSkewMs()) c.skewed++;
    return out;
  }

  /** {@code count} frames of the camera were refused at ingest at {@code atMs} (invalid, so not in any other check). */
  public List<Alert> onRejected(String cameraId, long atMs, int count) {
    List<Alert> out = new ArrayList<>();
    Camera c = camera(cameraId, atMs);
    closeWindows(c, cameraId, atMs, out);
    c.rejected += count;
    c.lastRejectedMs = Math.max(c.lastRejectedMs, atMs);
    return out;
  }

  private Camera camera(String cameraId, long nowMs) {
    return cameras.computeIfAbsent(cameraId, id -> {
      Camera c = new Camera();
      c.windowStart = nowMs;
      return c;
    });
  }

  /** Time passing: cameras that fell silent, and windows that ended without a frame to close them. */
  public List<Alert> tick(long nowMs) {
    List<Alert> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, Camera>> it = cameras.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Camera> e = it.next();
      String id = e.getKey();
      Camera c = e.getValue();
      if (c.open.containsKey(SILENT)) continue;
      if (c.framed && nowMs - c.lastFrameMs >= settings.silentAfterMs()) {
        out.add(open(c, id, SILENT, RiskLevel.HIGH, nowMs, "no frame for " + (nowMs - c.lastFrameMs) / 1000 + " s"));
        continue;
      }
      closeWindows(c, id, nowMs, out);
      // A camera only ever heard of through refused frames is forgotten once quiet: any name can be refused.
      if (!c.framed && c.open.isEmpty() && nowMs - c.lastRejectedMs >= settings.silentAfterMs()) it.remove();
    }
    return out;
  }

  private void closeWindows(Camera c, String id, long nowMs, List<Alert> out) {
    while (nowMs - c.windowStart >= settings.windowMs()) {
      long end = c.windowStart + settings.windowMs();
      judgeWindow(c, id, end, out);
      startWindow(c, end);
    }
  }

  private static void startWindow(Camera c, long startMs) {
    c.windowStart = startMs;
    c.frames = 0;
    c.confSum = 0;
    c.confN = 0;
    c.skewed = 0;
    c.rejected = 0;
  }

  private void judgeWindow(Camera c, String id, long end, List<Alert> out) {
    judgeRejected(c, id, end, out);
    // A window without a single frame is the silent check's business (it may yet become silence).
    if (c.frames == 0) return;
    boolean rateBad = c.rateWindows >= settings.baselineWindows() && c.frames < settings.rateDropRatio() * c.rateBaseline;
    judge(c, id, FRAME_RATE_DROP, rateBad, end, out, String.format("%d frames in %d s, usually %.1f",
        c.frames, settings.windowMs() / 1000, c.rateBaseline));
    if (!rateBad && !c.open.containsKey(FRAME_RATE_DROP)) {
      c.rateBaseline = learn(c.rateBaseline, c.frames, c.rateWindows++);
    }
    if (c.confN > 0) {
      double mean = c.confSum / c.confN;
      boolean confBad = c.confWindows >= settings.baselineWindows() && mean < settings.confidenceDropRatio() * c.confBaseline;
      judge(c, id, CONFIDENCE_COLLAPSE, confBad, end, out, String.format("mean detection confidence %.2f, usually %.2f",
          mean, c.confBaseline));
      if (!confBad && !c.open.containsKey(CONFIDENCE_COLLAPSE)) c.confBaseline = learn(c.confBaseline, mean, c.confWindows++);
    }
    judge(c, id, CLOCK_SKEW, c.skewed * 2 > c.frames, end, out, String.format("%d of %d frames stamped more than %d s from arrival",
        c.skewed, c.frames, settings.maxSkewMs() / 1000));
  }

  /** Refusals against the camera's usual refusals; learnt only from windows with traffic and no burst. */
  private void judgeRejected(Camera c, String id, long end, List<Alert> out) {
    boolean burst = c.rejected >= settings.rejectedBurstMin() && c.rejected > settings.rejectedBurstFactor() * c.rejectBaseline;
    String detail = String.format("%d frames refused at ingest in %d s, usually %.1f", c.rejected, settings.windowMs() / 1000,
        c.rejectBaseline);
    if (burst && !c.open.containsKey(REJECTED_BURST)) {
      c.badStreak.put(REJECTED_BURST, 1);
      out.add(open(c, id, REJECTED_BURST, RiskLevel.MEDIUM, end, detail));
    } else {
      judge(c, id, REJECTED_BURST, burst, end, out, detail);
    }
    if (!burst && !c.open.containsKey(REJECTED_BURST) && c.frames + c.rejected > 0) {
      c.rejectBaseline = learn(c.rejectBaseline, c.rejected, c.rejectWindows++);
    }
  }

  /** The mean of the first windows, then a slow moving average. */
  private static double learn(double baseline, double value, int windowsSoFar) {
    double w = Math.max(BASELINE_WEIGHT, 1.0 / (windowsSoFar + 1));
    return baseline + w * (value - baseline);
  }

  private void judge(Camera c, String id, String rule, boolean bad, long t, List<Alert> out, String detail) {
    if (!bad) {
      c.badStreak.remove(rule);
      if (c.open.containsKey(rule)) out.add(resolve(c, id, rule, t, "back to normal: " + detail));
      return;
    }
    int streak = c.badStreak.merge(rule, 1, Integer::sum);
    Open o = c.open.get(rule);
    if (o != null) o.count++;
    else if (streak >= settings.confirmWindows()) out.add(open(c, id, rule, RiskLevel.MEDIUM, t, detail));
  }

  private static Alert open(Camera c, String cameraId, String rule, RiskLevel level, long t, String detail) {
    Open o = new Open();
    o.id = "dq-" + cameraId + "-" + rule + "-" + t;
    o.firstSeen = t;
    o.count = 1;
    c.open.put(rule, o);
    return new Alert(o.id, cameraId, level, rule.replace('_', ' ') + ": " + detail, o.count, t, t, Alert.OPEN, null,
        Alert.DATA_QUALITY, rule);
  }

  private static Alert resolve(Camera c, String cameraId, String rule, long t, String detail) {
    Open o = c.open.remove(rule);
    RiskLevel level = rule.equals(SILENT) ? RiskLevel.HIGH : RiskLevel.MEDIUM;
    return new Alert(o.id, cameraId, level, "resolved: " + detail, o.count, o.firstSeen, t, Alert.RESOLVED, null,
        Alert.DATA_QUALITY, rule);
  }
}
