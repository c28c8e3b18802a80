package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store without Redis: one per process, shared by the aggregator and the read API. Remembers the
 * last {@code maxSeen} task ids for de-duplication, {@code historyMax} assessments per camera and the
 * {@code maxAlerts} most recent alerts, and lists at most {@code maxCameras} cameras, as Redis does; lost
 * on restart, which the README says.
 */
final class MemoryResultStore implements ResultStore {
  private record CameraState(JsonObject latest, long detectedAtMs, long assessments, long updatedAtMs, JsonObject stats) {}

  private record Entry(long seq, JsonObject assessment) {}

  private static final Comparator<Alert> LISTING = Comparator.comparingLong(Alert::lastSeenMs).reversed()
      .thenComparing(Alert::alertId, Comparator.reverseOrder());

  private final Map<String, CameraState> cameras = new LinkedHashMap<>();
  private final Map<String, Deque<Entry>> history = new HashMap<>();
  private final Map<String, Alert> alertsById = new HashMap<>();
  private final TreeMap<Alert, Boolean> alertIndex = new TreeMap<>(LISTING);
  private final Map<String, String> seen;
  private final Map<String, JsonObject> feedback;
  private final int historyMax;
  private final int maxAlerts;
  private final int maxCameras;
  private long seq;
  private TrackStore tracks;

  MemoryResultStore(int maxSeen, int historyMax, int maxAlerts, int maxCameras) {
    this.historyMax = historyMax;
    this.maxAlerts = maxAlerts;
    this.maxCameras = maxCameras;
    this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > maxSeen;
      }
    };
    this.feedback = new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
        return size() > maxSeen;
      }
    };
  }

  @Override
  public synchronized TrackStore tracks(int maxLen) {
    if (tracks == null) tracks = new MemoryTrackStore(maxLen, maxCameras);
    return tracks;
  }

  @Override
  public synchronized Future<Boolean> isSeen(String taskId) {
    return Future.succeededFuture(seen.containsKey(taskId));
  }

  @Override
  public synchronized Future<Boolean> record(Assessment a, JsonObject stats, List<Alert> alerts) {
    if (seen.putIfAbsent(a.taskId(), a.cameraId()) != null) return Future.succeededFuture(false);
    CameraState cur = cameras.get(a.cameraId());
    long count = cur == null ? 1 : cur.assessments() + 1;
    // A replayed older result never replaces a newer latest state.
    boolean newer = cur == null || a.detectedAtMs() >= cur.detectedAtMs();
    cameras.put(a.cameraId(), newer
        ? new CameraState(a.toJson(), a.detectedAtMs(), count, a.assessedAtMs(), stats)
        : new CameraState(cur.latest(), cur.detectedAtMs(), count, cur.updatedAtMs(), stats));
    Deque<Entry> h = history.computeIfAbsent(a.cameraId(), k -> new ArrayDeque<>());
    h.addFirst(new Entry(++seq, a.toJson()));
    while (h.size() > historyMax) h.removeLast();
    putAlerts(alerts);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> saveAlerts(List<Alert> alerts) {
    putAlerts(alerts);
    return Future.succeededFuture();
  }

  private void putAlerts(List<Alert> alerts) {
    for (Alert al : alerts) {
      Alert old = alertsById.put(al.alertId(), al);
      if (old != null) alertIndex.remove(old);
      alertIndex.put(al, Boolean.TRUE);
    }
    while (alertIndex.size() > maxAlerts) alertsById.remove(alertIndex.pollLastEntry().getKey().alertId());
  }

  @Override
  public synchronized Future<List<JsonObject>> cameras() {
    List<JsonObject> out = new ArrayList<>();
    cameras.forEach((id, s) -> out.add(ResultStore.cameraView(id, s.latest(), s.assessments(), s.updatedAtMs(), s.stats())));
    List<JsonObject> ranked = ResultStore.byRisk(out);
    return Future.succeededFuture(ranked.size() > maxCameras ? ranked.subList(0, maxCameras) : ranked);
  }

  @Override
  public synchronized Future<JsonObject> camera(String cameraId) {
    CameraState s = cameras.get(cameraId);
    return Future.succeededFuture(s == null ? null
        : ResultStore.cameraView(cameraId, s.latest(), s.assessments(), s.updatedAtMs(), s.stats()));
  }

  @Override
  public synchronized Future<Page> history(String cameraId, int limit, HistoryCursor before) {
    long cursor = before == null ? Long.MAX_VALUE : before.first();
    List<JsonObject> items = new ArrayList<>();
    long last = -1;
    for (Entry e : history.getOrDefault(cameraId, new ArrayDeque<>())) {
      if (e.seq() >= cursor) continue;
      if (items.size() == limit) return Future.succeededFuture(new Page(items, String.valueOf(last)));
      items.add(e.assessment());
      last = e.seq();
    }
    return Future.succeededFuture(new Page(items, null));
  }

  @Override
  public synchronized Future<Page> alerts(String status, Long sinceMs, int limit, AlertCursor c) {
    List<JsonObject> items = new ArrayList<>();
    Alert last = null;
    for (Iterator<Alert> it = alertIndex.keySet().iterator(); it.hasNext(); ) {
      Alert al = it.next();
      if (sinceMs != null && al.lastSeenMs() < sinceMs) break;
      if (c != null && !c.before(al.lastSeenMs(), al.alertId())) continue;
      if (status != null && !status.equals(al.status())) continue;
      if (items.size() == limit) return Future.succeededFuture(new Page(items, AlertCursor.of(last)));
      items.add(al.toJson());
      last = al;
    }
    return Future.succeededFuture(new Page(items, null));
  }

  @Override
  public synchronized Future<JsonObject> assessment(String taskId) {
    String camera = seen.get(taskId);
    if (camera == null) return Future.succeededFuture(null);
    for (Entry e : history.getOrDefault(camera, new ArrayDeque<>())) {
      if (taskId.equals(e.assessment().getString("task_id"))) return Future.succeededFuture(e.assessment());
    }
    return Future.succeededFuture(null);
  }

  @Override
  public synchronized Future<Void> saveFeedback(String taskId, JsonObject verdict) {
    feedback.put(taskId, verdict.copy());
    return Future.succeededFuture();
  }

  /** The last verdict on a task (tests and the memory store's own reads). */
  synchronized JsonObject feedback(String taskId) {
    return feedback.get(taskId);
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
