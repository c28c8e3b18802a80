package dev.argus.aggregate;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.Stage;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.metrics.LiveStamp;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
import dev.argus.model.CameraMaps;
import dev.argus.model.MetricNames;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns results into per-camera state and alerts. Per record, in order: the alert engine and the
 * camera's statistics (in memory, owned by this instance as it owns the camera's partition); then,
 * unless the store has the task already: the alert events to {@code alert-events}, the atomic store
 * write, and the live publish. Records are consumed continuously and committed only once stored; while
 * the store is down, results still go out live, the records wait (retried in place) and the partitions
 * pause when the unstored backlog reaches its bound, so catching up later loses and doubles nothing.
 */
public final class AggregatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AggregatorVerticle.class);
  /** How often the alert engine looks at time passing (held-back updates, resolutions). */
  private static final long TICK_MS = 1000;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final ResultStore store;
  private final AggregateMeters meters;
  /** Bounded by detection.maxCameras: camera ids come from producers (a forgotten camera's statistics start over). */
  private final Map<String, CameraStats> stats;
  private final Map<String, Future<Void>> cameraTails = new HashMap<>();
  private final Map<String, Boolean> publishedLive;
  /**
   * Time-driven alert events (held-back updates, resolutions) the store did not take because it was down,
   * newest per alert id: saved again with the next tick, so a resolution during an outage is not lost.
   */
  private final Map<String, Alert> unsavedAlerts = new LinkedHashMap<>();
  private boolean savingAlerts;
  /** This instance's name as the owner of alert states in the store (a restart is a new owner). */
  private final String owner = "aggregator-" + UUID.randomUUID();
  /**
   * The state last written per camera, so an unchanged state is not written again (bounded as {@link #stats}: a
   * forgotten camera's next state is written even if unchanged, which the owner check makes harmless).
   */
  private final Map<String, String> writtenStates;
  private AlertStateStore states = AlertStateStore.LOCAL;
  private AlertEngine engine;
  private CircuitBreaker storeBreaker;
  private Stage<Assessment> stage;
  private long tickTimer = -1;

  public AggregatorVerticle(ArgusConfig config, Backbone backbone, ResultStore store, AggregateMeters meters) {
    this.config = config;
    this.backbone = backbone;
    this.store = store;
    this.meters = meters;
    int liveDedup = config.aggregate().liveDedupEntries();
    this.stats = CameraMaps.leastRecentOut(config.detection().maxCameras());
    this.writtenStates = CameraMaps.leastRecentOut(config.detection().maxCameras());
    // The tasks recently published live (while the store was down, too), so each goes out once.
    this.publishedLive = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > liveDedup;
      }
    };
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Aggregate a = config.aggregate();
    engine = new AlertEngine(new AlertEngine.Settings(a.alertLevel(), a.sustainedCount(), a.riseDelta(),
        a.riseWindowMs(), a.republishMs(), a.resolveAfterMs(), a.predictHorizonMs()), meters::trendPrediction,
        config.detection().maxCameras());
    states = store.alertStates(a.alertStateTtlSeconds());
    // A dead store fails fast instead of being hit by every waiting record, with a trial call now and then.
    ArgusConfig.Breaker b = a.storeBreaker();
    storeBreaker = CircuitBreaker.create("argus-store", vertx, new CircuitBreakerOptions()
        .setMaxFailures(b.maxFailures()).setTimeout(b.timeoutMs()).setResetTimeout(b.resetTimeoutMs()));
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().results().name(),
        config.kafka().group("aggregator"), a.maxUnstored(), true);
    return Stage.start(vertx, backbone, spec, MetricNames.STAGE_AGGREGATE, r -> Assessment.fromJson(Stage.json(r)),
        this::onResult).onSuccess(s -> {
          stage = s;
          tickTimer = vertx.setPeriodic(TICK_MS, id -> onTick(engine.tick(System.currentTimeMillis())));
        });
  }

  /**
   * Records of one camera are handled one after another (the camera's events stay in order: history,
   * latest state, alert rules); different cameras run concurrently.
   */
  private Future<?> onResult(Assessment a, InboundRecord record) {
    long recordTimeMs = record.timestampMs();
    return inOrder(record.key() == null ? "" : record.key(), () -> handle(a))
        .onSuccess(v -> meters.handled(recordTimeMs, System.currentTimeMillis()));
  }

  /** Runs {@code step} after everything queued for the camera before it (records, state writes), failed or not. */
  private Future<Void> inOrder(String camera, Supplier<Future<?>> step) {
    Future<Void> previous = cameraTails.getOrDefault(camera, Future.succeededFuture());
    Future<Void> mine = previous.transform(v -> step.get()).mapEmpty();
    cameraTails.put(camera, mine);
    mine.onComplete(ar -> cameraTails.remove(camera, mine));
    return mine;
  }

  private Future<?> handle(Assessment a) {
    if (AssessmentTask.isReplay(a.taskId())) {
      // A replayed result never touches live state (alerts, latest, history, statistics): it is only
      // counted, by the replay that asked for it.
      vertx.eventBus().send(BusAddresses.INTERNAL_REPLAY_RESULT, a.toJson());
      return Future.succeededFuture();
    }
    if (!states.shared()) return handle(a, engine.onAssessment(a, System.currentTimeMillis()));
    // The camera's alert state is loaded before its first record and written before the record's
    // events leave, so whoever owns the camera next continues from it.
    return loadState(a.cameraId())
        .compose(v -> judgeAndSave(a, true))
        .recover(err -> {
          publishLive(a); // the store is down: results still reach operators, once
          return Future.failedFuture(err);
        })
        .compose(alerts -> handle(a, alerts));
  }

  /** The camera's state from the store, unless this instance holds it already. */
  private Future<Void> loadState(String camera) {
    if (engine.knows(camera)) return Future.succeededFuture();
    return storeCall(() -> states.claim(camera, owner)).map(state -> {
      try {
        engine.restore(camera, state);
        if (state != null && state.getJsonObject("open") != null) {
          meters.alertStateRestored();
          log.info("camera {}: continuing alert {} from the stored state", camera, state.getJsonObject("open").getString("id"));
        }
      } catch (IllegalArgumentException e) {
        log.warn("camera {}: stored alert state unreadable, starting afresh: {}", camera, e.getMessage());
        engine.restore(camera, null);
      }
      writtenStates.put(camera, state == null ? null : state.encode());
      return null;
    });
  }

  /**
   * The alert events of this assessment once the camera's new state is stored. When another owner wrote
   * the camera's state since this instance loaded it (the partition moved here and back, or two owners
   * overlapped during a rebalance), this record is judged again on that newer state.
   */
  private Future<List<Alert>> judgeAndSave(Assessment a, boolean mayReload) {
    List<Alert> alerts = engine.onAssessment(a, System.currentTimeMillis());
    return saveState(a.cameraId()).compose(saved -> {
      if (saved) return Future.succeededFuture(alerts);
      if (!mayReload) return Future.failedFuture(new IllegalStateException("camera " + a.cameraId() + " changed owner twice in one record"));
      meters.alertStateConflict();
      engine.forget(a.cameraId());
      return loadState(a.cameraId()).compose(v -> judgeAndSave(a, false));
    });
  }

  /** Writes the camera's state if it changed; false when another owner holds it now. */
  private Future<Boolean> saveState(String camera) {
    JsonObject state = engine.export(camera);
    if (state == null) return Future.succeededFuture(true);
    String encoded = state.encode();
    if (encoded.equals(writtenStates.get(camera))) return Future.succeededFuture(true);
    return storeCall(() -> states.write(camera, owner, state)).map(saved -> {
      if (saved) writtenStates.put(camera, encoded);
      return saved;
    });
  }

  private Future<?> handle(Assessment a, List<Alert> alerts) {
    // Both are idempotent per task, so a retried record changes nothing twice.
    JsonObject cameraStats = statsFor(a);
    return storeCall(() -> store.isSeen(a.taskId()))
        .recover(err -> {
          publishLive(a); // the store is down: results still reach operators, once
          return Future.failedFuture(err);
        })
        .compose(seen -> seen ? duplicate() : storeAndPublish(a, cameraStats, alerts))
        .andThen(ar -> {
          if (ar.succeeded()) announceHandled(a);
        });
  }

  /**
   * The task is done for good, duplicates included: a bridge restarted after a crash re-emits tasks
   * whose results were stored already, and waits for their completion before the camera's next task.
   */
  private void announceHandled(Assessment a) {
    vertx.eventBus().publish(BusAddresses.INTERNAL_TASK_COMPLETED,
        new JsonObject().put("camera_id", a.cameraId()).put("task_id", a.taskId()));
  }

  private Future<Void> storeAndPublish(Assessment a, JsonObject cameraStats, List<Alert> alerts) {
    // Alert events go to Kafka before the store write: a retry re-sends the same ids (at-least-once).
    return sendAlerts(alerts)
        .compose(v -> storeCall(() -> store.record(a, cameraStats, alerts)))
        .compose(isNew -> {
          if (!isNew) return duplicate();
          publishLive(a);
          meters.stored(a);
          alerts.forEach(this::publishAlert);
          return Future.succeededFuture();
        });
  }

  private JsonObject statsFor(Assessment a) {
    CameraStats s = stats.computeIfAbsent(a.cameraId(), k -> new CameraStats());
    s.add(a.assessedAtMs(), a.riskScore(), a.riskLevel(), a.framesPerSecond());
    return s.snapshot(a.assessedAtMs());
  }

  private <T> Future<T> storeCall(Supplier<Future<T>> call) {
    return storeBreaker.execute(call);
  }

  private Future<Void> duplicate() {
    meters.duplicate();
    return Future.succeededFuture();
  }

  private void publishLive(Assessment a) {
    if (publishedLive.putIfAbsent(a.taskId(), Boolean.TRUE) != null) return;
    vertx.eventBus().publish(BusAddresses.ASSESSMENTS, a.toJson(), LiveStamp.now());
    meters.published(System.currentTimeMillis() - a.detectedAtMs());
  }

  private void publishAlert(Alert alert) {
    vertx.eventBus().publish(BusAddresses.ALERTS, alert.toJson());
    meters.alert(alert);
  }

  private Future<Void> sendAlerts(List<Alert> alerts) {
    if (alerts.isEmpty()) return Future.succeededFuture();
    String topic = config.kafka().topics().alerts().name();
    return stage.publisher().send(alerts.stream().map(al -> new OutboundRecord(topic, al.cameraId(), al.toJson().toBuffer(), eventId(al))).toList());
  }

  /** An alert event's CloudEvents id: the same event re-sent on a retry keeps it, the next one differs. */
  static String eventId(Alert al) {
    return al.alertId() + ":" + al.status() + ":" + al.count();
  }

  /**
   * Events of time passing. With shared states, each camera's events wait for its new state to be
   * stored (in the camera's order); a camera whose state another owner took is forgotten here, and its
   * events with it: the new owner decides about that incident now.
   */
  private void onTick(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      saveAlerts(List.of()); // what an earlier tick could not store is retried on every tick
      return;
    }
    if (!states.shared()) {
      emit(alerts);
      return;
    }
    Map<String, List<Alert>> byCamera = alerts.stream().collect(Collectors.groupingBy(Alert::cameraId, LinkedHashMap::new, Collectors.toList()));
    byCamera.forEach((camera, events) -> inOrder(camera, () -> saveState(camera).andThen(ar -> {
      if (ar.failed()) {
        emit(events); // the store is down: the events still go out, as without shared state
      } else if (ar.result()) {
        emit(events);
      } else {
        log.info("camera {} is owned elsewhere now; its alert state here is dropped", camera);
        meters.alertStateConflict();
        engine.forget(camera);
        writtenStates.remove(camera);
      }
    })));
  }

  /** Events of time passing (held-back updates, resolutions): to Kafka, the store and the bus. */
  private void emit(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      saveAlerts(List.of());
      return;
    }
    alerts.forEach(this::publishAlert);
    sendAlerts(alerts).onSuccess(v -> saveAlerts(alerts))
        .onFailure(err -> log.warn("{} alert event(s) not sent: {}", alerts.size(), err.getMessage()));
  }

  /** Saves {@code fresh} with whatever an earlier tick could not save; what fails waits for the next tick. */
  private void saveAlerts(List<Alert> fresh) {
    fresh.forEach(al -> unsavedAlerts.put(al.alertId(), al));
    if (savingAlerts || unsavedAlerts.isEmpty()) return;
    List<Alert> batch = List.copyOf(unsavedAlerts.values());
    unsavedAlerts.clear();
    savingAlerts = true;
    storeCall(() -> store.saveAlerts(batch)).onComplete(ar -> {
      savingAlerts = false;
      if (ar.failed()) {
        // A newer event for the same alert (arrived meanwhile) wins over the one being retried; the store
        // itself never lets an older event overwrite a newer state (RedisResultStore's alert script).
        batch.forEach(al -> unsavedAlerts.putIfAbsent(al.alertId(), al));
        while (unsavedAlerts.size() > config.redis().maxAlerts()) unsavedAlerts.remove(unsavedAlerts.keySet().iterator().next());
        log.warn("{} alert event(s) not stored yet (retried next tick): {}", unsavedAlerts.size(), ar.cause().getMessage());
      }
    });
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) vertx.cancelTimer(tickTimer);
    return stage == null ? Future.succeededFuture() : stage.stop();
  }
}
