package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store without Redis: one per process, shared by the aggregator and the read API. Remembers the
 * last {@code maxSeen} task ids for de-duplication; lost on restart, which the README says.
 */
final class MemoryResultStore implements ResultStore {
  private record CameraState(JsonObject latest, long detectedAtMs, long assessments, long updatedAtMs) {}

  private final Map<String, CameraState> cameras = new LinkedHashMap<>();
  private final Map<String, Boolean> seen;
  private final List<JsonObject> alerts = new ArrayList<>();

  MemoryResultStore(int maxSeen) {
    this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > maxSeen;
      }
    };
  }

  @Override
  public synchronized Future<Boolean> record(Assessment a, Alert alert) {
    if (seen.putIfAbsent(a.taskId(), Boolean.TRUE) != null) return Future.succeededFuture(false);
    CameraState cur = cameras.get(a.cameraId());
    long count = cur == null ? 1 : cur.assessments() + 1;
    // A replayed older result never replaces a newer latest state.
    boolean newer = cur == null || a.detectedAtMs() >= cur.detectedAtMs();
    cameras.put(a.cameraId(), newer
        ? new CameraState(a.toJson(), a.detectedAtMs(), count, a.assessedAtMs())
        : new CameraState(cur.latest(), cur.detectedAtMs(), count, cur.updatedAtMs()));
    if (alert != null) {
      alerts.add(alert.toJson());
      if (alerts.size() > 10_000) alerts.remove(0);
    }
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<JsonObject>> cameras() {
    List<JsonObject> out = new ArrayList<>();
    cameras.forEach((id, s) -> out.add(ResultStore.cameraView(id, s.latest(), s.assessments(), s.updatedAtMs())));
    return Future.succeededFuture(ResultStore.byRisk(out));
  }

  @Override
  public synchronized Future<JsonObject> camera(String cameraId) {
    CameraState s = cameras.get(cameraId);
    return Future.succeededFuture(s == null ? null
        : ResultStore.cameraView(cameraId, s.latest(), s.assessments(), s.updatedAtMs()));
  }

  @Override
  public Future<JsonObject> health() {
    return Future.succeededFuture(new JsonObject().put("status", "UP").put("kind", "memory")
        .put("note", "in-memory store: state is lost on restart"));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
