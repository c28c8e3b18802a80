package dev.argus.aggregate;

import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;

/**
 * One camera's rolling statistics over the last 1, 5 and 15 minutes, in 10-second buckets: assessments,
 * the highest risk, the mean score and the frame rate the bridge reported. Not thread-safe.
 */
public final class CameraStats {
  private static final long BUCKET_MS = 10_000;
  private static final int BUCKETS = 90; // 15 minutes
  private static final long[] WINDOWS_MS = {60_000, 300_000, 900_000};
  private static final String[] NAMES = {"1m", "5m", "15m"};

  private final long[] start = new long[BUCKETS];
  private final int[] count = new int[BUCKETS];
  private final double[] scoreSum = new double[BUCKETS];
  private final int[] maxLevel = new int[BUCKETS];
  private final double[] fpsSum = new double[BUCKETS];
  private final int[] fpsCount = new int[BUCKETS];

  public void add(long tMs, double score, RiskLevel level, Double fps) {
    long s = tMs - Math.floorMod(tMs, BUCKET_MS);
    int i = (int) Math.floorMod(s / BUCKET_MS, (long) BUCKETS);
    if (start[i] != s) {
      start[i] = s;
      count[i] = 0;
      scoreSum[i] = 0;
      maxLevel[i] = -1;
      fpsSum[i] = 0;
      fpsCount[i] = 0;
    }
    count[i]++;
    scoreSum[i] += score;
    maxLevel[i] = Math.max(maxLevel[i], level.ordinal());
    if (fps != null) {
      fpsSum[i] += fps;
      fpsCount[i]++;
    }
  }

  public JsonObject snapshot(long nowMs) {
    JsonObject out = new JsonObject();
    for (int w = 0; w < WINDOWS_MS.length; w++) {
      int n = 0;
      int fpsN = 0;
      double sum = 0;
      double fps = 0;
      int max = -1;
      for (int i = 0; i < BUCKETS; i++) {
        if (count[i] == 0 || nowMs - start[i] >= WINDOWS_MS[w] || start[i] > nowMs) continue;
        n += count[i];
        sum += scoreSum[i];
        max = Math.max(max, maxLevel[i]);
        fps += fpsSum[i];
        fpsN += fpsCount[i];
      }
      out.put(NAMES[w], new JsonObject().put("assessments", n)
          .put("max_risk", max < 0 ? null : RiskLevel.values()[max].wire())
          .put("mean_score", n == 0 ? null : Math.round(sum / n * 1000) / 1000.0)
          .put("frames_per_s", fpsN == 0 ? null : Math.round(fps / fpsN * 10) / 10.0));
    }
    return out;
  }
}
