package dev.argus.aggregate;

import io.vertx.core.json.JsonArray;

/** One position of a tracked object: its bbox centre in frame coordinates at frame time {@code tMs}. */
public record TrackPoint(String trackId, String label, double x, double y, long tMs) {
  /** The compact wire form of a path point: {@code [x, y, t_ms]}. */
  JsonArray wire() {
    return new JsonArray().add(x).add(y).add(tMs);
  }
}
