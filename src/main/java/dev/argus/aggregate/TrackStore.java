package dev.argus.aggregate;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent track positions per camera: a capped Redis stream {@code argus:camera:{id}:tracks}
 * (XADD MAXLEN ~ {@code aggregate.tracks.maxLen}) or, with the memory store, a capped list per camera.
 * Written by the partition owner of the camera's frames ({@link TrackVerticle}), read by the API.
 */
public interface TrackStore {
  /** Appends one frame's positions. */
  Future<Void> append(String cameraId, List<TrackPoint> points);

  /** The newest positions (at most {@code limit}) not older than {@code sinceMs}, newest first. */
  Future<List<TrackPoint>> recent(String cameraId, long sinceMs, int limit);

  /**
   * The read API's answer: positions grouped by track, each path oldest first, tracks most recently
   * seen first: {@code {"camera_id", "tracks": [{"track_id", "label", "last_seen_ms", "points": [[x, y, t_ms], ...]}]}}.
   */
  static JsonObject view(String cameraId, List<TrackPoint> newestFirst) {
    Map<String, List<TrackPoint>> byTrack = new LinkedHashMap<>();
    for (TrackPoint p : newestFirst) byTrack.computeIfAbsent(p.trackId(), k -> new ArrayList<>()).add(p);
    JsonArray tracks = new JsonArray();
    byTrack.forEach((id, points) -> {
      points.sort(Comparator.comparingLong(TrackPoint::tMs));
      JsonArray path = new JsonArray();
      points.forEach(p -> path.add(p.wire()));
      TrackPoint last = points.get(points.size() - 1);
      tracks.add(new JsonObject().put("track_id", id).put("label", last.label()).put("last_seen_ms", last.tMs()).put("points", path));
    });
    return new JsonObject().put("camera_id", cameraId).put("points", newestFirst.size()).put("tracks", tracks);
  }
}
