package dev.argus.aggregate;

import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Track positions in this process's memory: the newest {@code maxLen} per camera, at most {@code maxCameras} cameras. */
final class MemoryTrackStore implements TrackStore {
  private final int maxLen;
  private final Map<String, Deque<TrackPoint>> cameras;

  MemoryTrackStore(int maxLen, int maxCameras) {
    this.maxLen = maxLen;
    this.cameras = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Deque<TrackPoint>> eldest) {
        return size() > maxCameras;
      }
    };
  }

  @Override
  public synchronized Future<Void> append(String cameraId, List<TrackPoint> points) {
    Deque<TrackPoint> d = cameras.computeIfAbsent(cameraId, k -> new ArrayDeque<>());
    for (TrackPoint p : points) d.addLast(p);
    while (d.size() > maxLen) d.removeFirst();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<TrackPoint>> recent(String cameraId, long sinceMs, int limit) {
    Deque<TrackPoint> d = cameras.get(cameraId);
    List<TrackPoint> out = new ArrayList<>();
    if (d == null) return Future.succeededFuture(out);
    for (Iterator<TrackPoint> it = d.descendingIterator(); it.hasNext() && out.size() < limit; ) {
      TrackPoint p = it.next();
      if (p.tMs() >= sinceMs) out.add(p);
    }
    return Future.succeededFuture(out);
  }
}
