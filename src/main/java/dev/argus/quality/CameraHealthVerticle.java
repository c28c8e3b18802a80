package dev.argus.quality;

import dev.argus.aggregate.ResultStore;
import dev.argus.backbone.Backbone;
import dev.argus.backbone.FrameFeed;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.BusAddresses;
import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import dev.argus.model.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Camera health: every frame goes through {@link CameraHealth}, and its data-quality alerts go out like
 * risk alerts (on {@code argus.alerts}, into the alert store) and to the {@code data-quality-alerts}
 * topic. It reads {@code detection-results} with a consumer group of its own, so it sees every frame
 * of the cameras it owns without taking any from the bridge. In direct mode a topic has a single
 * consumer (the bridge), so there it listens to the frames ingest publishes on {@code argus.detections}
 * (one process: every frame). Health is a side view: a frame it cannot read is skipped, not retried.
 * Frames refused at ingest never reach the topic; ingest reports them on
 * {@link BusAddresses#INTERNAL_INGEST_REJECTED} (published, so on a clustered bus every node hears every
 * report), and each instance counts only the cameras whose partition it owns: each refusal once, where
 * the camera's other health state lives.
 */
public final class CameraHealthVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CameraHealthVerticle.class);
  private static final long TICK_MS = 1000;
  private static final int MAX_IN_FLIGHT = 500;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final ResultStore store;
  private CameraHealth health;
  private FrameFeed feed;
  private MessageConsumer<JsonObject> rejected;
  private long tickTimer = -1;

  public CameraHealthVerticle(ArgusConfig config, Backbone backbone, ResultStore store) {
    this.config = config;
    this.backbone = backbone;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    health = new CameraHealth(config.quality());
    rejected = vertx.eventBus().consumer(BusAddresses.INTERNAL_INGEST_REJECTED, msg -> onRejected(msg.body()));
    return rejected.completion().compose(v -> subscribe()).onSuccess(v ->
        tickTimer = vertx.setPeriodic(TICK_MS, id -> emit(health.tick(System.currentTimeMillis()))));
  }

  private Future<?> subscribe() {
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().detections().name(),
        config.kafka().group("quality"), MAX_IN_FLIGHT).gathering();
    return FrameFeed.start(vertx, backbone, spec, MetricNames.STAGE_QUALITY, this::onFrame).onSuccess(f -> feed = f);
  }

  /** Health is a side view: the record is done at once, whatever the alerts' fate. */
  private Future<?> onFrame(Detection d, long arrivalMs) {
    double sum = 0;
    for (DetectedObject o : d.objects()) sum += o.confidence();
    double mean = d.objects().isEmpty() ? Double.NaN : sum / d.objects().size();
    emit(health.onFrame(d.cameraId(), d.timestampMs(), arrivalMs, mean));
    return Future.succeededFuture();
  }

  private void onRejected(JsonObject report) {
    JsonObject cameras = report.getJsonObject("cameras", new JsonObject());
    long at = System.currentTimeMillis(); // this node's clock, like the windows of accepted frames
    for (String camera : cameras.fieldNames()) {
      boolean mine = feed != null && feed.owns(camera);
      if (mine) emit(health.onRejected(camera, at, cameras.getInteger(camera, 0)));
    }
  }

  private void emit(List<Alert> alerts) {
    if (alerts.isEmpty()) return;
    for (Alert a : alerts) {
      vertx.eventBus().publish(BusAddresses.ALERTS, a.toJson());
      log.info("camera health: {} {} on {}: {}", a.rule(), a.status(), a.cameraId(), a.message());
    }
    String topic = config.kafka().topics().dataQualityAlerts().name();
    feed.publisher().send(alerts.stream().map(a -> new OutboundRecord(topic, a.cameraId(), a.toJson().toBuffer())).toList())
        .compose(v -> store.saveAlerts(alerts))
        .onFailure(err -> log.warn("{} data-quality alert event(s) not stored: {}", alerts.size(), err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) vertx.cancelTimer(tickTimer);
    if (rejected != null) rejected.unregister();
    return feed == null ? Future.succeededFuture() : feed.stop();
  }
}
