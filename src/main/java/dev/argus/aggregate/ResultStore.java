package dev.argus.aggregate;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Where results live: Redis when {@code redis.url} is set, else this process's memory. */
public interface ResultStore {
  /**
   * Stores an assessment (and the alert it raised, if any) unless its task was stored before, in one
   * atomic step. Succeeds with true when it was new, false for a duplicate.
   */
  Future<Boolean> record(Assessment assessment, Alert alert);

  /** Latest state of every camera, highest current risk first. */
  Future<List<JsonObject>> cameras();

  /** Latest state of one camera, or null when it was never seen. */
  Future<JsonObject> camera(String cameraId);

  /** {@code {"status": "UP"|"DOWN", "kind": "redis"|"memory", ...}} */
  Future<JsonObject> health();

  Future<Void> close();

  static ResultStore create(Vertx vertx, ArgusConfig.Redis conf) {
    return conf.enabled() ? new RedisResultStore(vertx, conf) : new MemoryResultStore(100_000);
  }

  /** The camera view both stores return: the latest assessment plus counters. */
  static JsonObject cameraView(String cameraId, JsonObject latest, long assessments, long updatedAtMs) {
    return new JsonObject().put("camera_id", cameraId).put("latest", latest).put("assessments", assessments)
        .put("risk_level", latest.getString("risk_level")).put("risk_score", latest.getDouble("risk_score"))
        .put("updated_at", dev.argus.model.Times.iso(updatedAtMs));
  }

  static List<JsonObject> byRisk(List<JsonObject> cameras) {
    return cameras.stream().sorted((a, b) -> {
      int c = Double.compare(b.getDouble("risk_score", 0.0), a.getDouble("risk_score", 0.0));
      return c != 0 ? c : a.getString("camera_id").compareTo(b.getString("camera_id"));
    }).toList();
  }
}
