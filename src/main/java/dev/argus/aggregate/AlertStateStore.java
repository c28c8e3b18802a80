package dev.argus.aggregate;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where the alert engine's per-camera state outlives its owner: Redis, when the result store is Redis
 * ({@code argus:alertstate:{camera}}), so a continuing incident keeps its {@code alert_id} after the
 * camera's partition moves to another node or the gateway restarts. Each state names its owner (an
 * aggregator instance); a write by anyone but the owner is refused, which is how a node learns that the
 * camera moved away. The memory store keeps no shared state ({@link #LOCAL}).
 */
interface AlertStateStore {
  /** Whether states are shared at all; false: the engine's memory is the only state, as before. */
  boolean shared();

  /** Makes {@code owner} the camera's owner and returns its stored state (null when there is none). */
  Future<JsonObject> claim(String cameraId, String owner);

  /** Stores the camera's state if {@code owner} still owns it (or nobody does); false when another owner took it. */
  Future<Boolean> write(String cameraId, String owner, JsonObject state);

  AlertStateStore LOCAL = new AlertStateStore() {
    @Override
    public boolean shared() {
      return false;
    }

    @Override
    public Future<JsonObject> claim(String cameraId, String owner) {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<Boolean> write(String cameraId, String owner, JsonObject state) {
      return Future.succeededFuture(true);
    }
  };
}
