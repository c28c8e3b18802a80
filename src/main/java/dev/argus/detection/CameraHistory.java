package dev.argus.detection;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A camera's recent frames (label counts by frame time): its frame rate and whether each label's count
 * is rising, falling or steady, for the prompt. Not thread-safe.
 */
public final class CameraHistory {
  private static final int FRAMES = 20;
  private static final long RATE_WINDOW_MS = 10_000;
  private record Frame(long atMs, Map<String, Integer> counts) {}

  private final Deque<Frame> frames = new ArrayDeque<>();

  public void add(long atMs, Map<String, Integer> counts) {
    frames.addLast(new Frame(atMs, counts));
    while (frames.size() > FRAMES) frames.removeFirst();
  }

  /** Frames a second over the last 10 s of frame time (or over what the history holds). */
  public double framesPerSecond() {
    if (frames.size() < 2) return 0;
    long newest = frames.getLast().atMs();
    int n = 0;
    long oldest = newest;
    for (Frame f : frames) {
      if (newest - f.atMs() <= RATE_WINDOW_MS) {
        n++;
        oldest = Math.min(oldest, f.atMs());
      }
    }
    return n < 2 || newest == oldest ? 0 : Math.round((n - 1) * 1000.0 / (newest - oldest) * 10) / 10.0; // to 0.1 frame/s
  }

  /** Per label: {@code rising}, {@code falling} or {@code steady}, comparing the older half with the newer. */
  public JsonObject trend() {
    JsonObject out = new JsonObject();
    if (frames.size() < 4) return out;
    Frame[] all = frames.toArray(new Frame[0]);
    int half = all.length / 2;
    Set<String> labels = new HashSet<>();
    for (Frame f : all) labels.addAll(f.counts().keySet());
    for (String label : labels) {
      double older = 0;
      double newer = 0;
      for (int i = 0; i < all.length; i++) {
        int c = all[i].counts().getOrDefault(label, 0);
        if (i < half) older += c;
        else newer += c;
      }
      older /= half;
      newer /= all.length - half;
      double delta = newer - older;
      out.put(label, Math.abs(delta) < 0.5 ? "steady" : delta > 0 ? "rising" : "falling");
    }
    return out;
  }
}
