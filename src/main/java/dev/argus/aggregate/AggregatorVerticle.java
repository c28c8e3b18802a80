package dev.argus.aggregate;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.Stage;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
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
import java.util.function.Supplier;

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
  private final Map<String, CameraStats> stats = new HashMap<>();
  private final Map<String, Future<Void>> cameraTails = new HashMap<>();
  private final Map<String, Boolean> publishedLive;
  /**
   * Time-driven alert events (held-back updates, resolutions) the store did not take because it was down,
   * newest per alert id: saved again with the next tick, so a resolution during an outage is not lost.
   */
  private final Map<String, Alert> unsavedAlerts = new LinkedHashMap<>();
  private boolean savingAlerts;
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
        a.riseWindowMs(), a.republishMs(), a.resolveAfterMs()));
    // A dead store fails fast instead of being hit by every waiting record, with a trial call now and then.
    ArgusConfig.Breaker b = a.storeBreaker();
    storeBreaker = CircuitBreaker.create("argus-store", vertx, new CircuitBreakerOptions()
        .setMaxFailures(b.maxFailures()).setTimeout(b.timeoutMs()).setResetTimeout(b.resetTimeoutMs()));
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().results().name(),
        config.kafka().group("aggregator"), a.maxUnstored(), true);
    return Stage.start(vertx, backbone, spec, MetricNames.STAGE_AGGREGATE, r -> Assessment.fromJson(Stage.json(r)),
        this::onResult).onSuccess(s -> {
          stage = s;
          tickTimer = vertx.setPeriodic(TICK_MS, id -> emit(engine.tick(System.currentTimeMillis())));
        });
  }

  /**
   * Records of one camera are handled one after another (the camera's events stay in order: history,
   * latest state, alert rules); different cameras run concurrently.
   */
  private Future<?> onResult(Assessment a, InboundRecord record) {
    String camera = record.key() == null ? "" : record.key();
    Future<Void> previous = cameraTails.getOrDefault(camera, Future.succeededFuture());
    Future<Void> mine = previous.transform(v -> handle(a)).mapEmpty();
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
    // Both are idempotent per task, so a retried record changes nothing twice.
    List<Alert> alerts = engine.onAssessment(a, System.currentTimeMillis());
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
    vertx.eventBus().publish(BusAddresses.ASSESSMENTS, a.toJson());
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
