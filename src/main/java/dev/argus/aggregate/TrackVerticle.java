package dev.argus.aggregate;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.FrameFeed;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.config.RuleBook;
import dev.argus.model.Alert;
import dev.argus.model.BusAddresses;
import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import dev.argus.model.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Trajectories: the tracked objects of every frame ({@code track_id}) become positions in the camera's
 * capped track store and feed the {@link TrackPredictor}, whose predictive zone alerts go out like the
 * other alerts (bus, {@code alert-events}, the store). Frames come from {@code detection-results} in a
 * group of its own ({@code tracks}): the owner of a camera's partition owns its tracks, and sees every
 * frame, not only the ones the bridge turns into tasks. In direct mode, from the local live bus.
 */
public final class TrackVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TrackVerticle.class);
  private static final long TICK_MS = 1000;
  private static final int MAX_IN_FLIGHT = 500;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final TrackStore tracks;
  private final ResultStore store;
  private final AggregateMeters meters;
  private TrackPredictor predictor;
  private FrameFeed feed;
  private long tickTimer = -1;

  public TrackVerticle(ArgusConfig config, Backbone backbone, ResultStore store, AggregateMeters meters) {
    this.config = config;
    this.backbone = backbone;
    this.store = store;
    this.tracks = store.tracks(config.aggregate().tracks().maxLen());
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Aggregate a = config.aggregate();
    RuleBook rules = config.detection().rules();
    predictor = new TrackPredictor(new TrackPredictor.Settings(a.tracks().fitWindowMs(), a.predictHorizonMs(),
        a.tracks().staleAfterMs(), a.tracks().withdrawAfterMs()), camera -> rules.rules(camera).zones());
    return subscribe().onSuccess(v ->
        tickTimer = vertx.setPeriodic(TICK_MS, id -> emit(predictor.tick(System.currentTimeMillis()))));
  }

  private Future<?> subscribe() {
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().detections().name(),
        config.kafka().group("tracks"), MAX_IN_FLIGHT).gathering();
    return FrameFeed.start(vertx, backbone, spec, MetricNames.STAGE_TRACKS, this::onFrame).onSuccess(f -> feed = f);
  }

  /** Stores the frame's track positions (the record is done when they are) and runs the predictor. */
  private Future<Void> onFrame(Detection d, long arrivalMs) {
    List<DetectedObject> tracked = new ArrayList<>();
    for (DetectedObject o : d.objects()) if (o.trackId() != null) tracked.add(o);
    if (tracked.isEmpty()) return Future.succeededFuture();
    long t = d.timestampOr(arrivalMs);
    List<TrackPoint> points = tracked.stream()
        .map(o -> new TrackPoint(o.trackId(), o.label(), o.centreX(), o.centreY(), t)).toList();
    emit(predictor.onFrame(d.cameraId(), t, System.currentTimeMillis(), tracked));
    return tracks.append(d.cameraId(), points);
  }

  private void emit(TrackPredictor.Events events) {
    List<Alert> alerts = events.alerts();
    if (alerts.isEmpty()) return;
    for (Alert al : alerts) {
      vertx.eventBus().publish(BusAddresses.ALERTS, al.toJson());
      meters.alert(al);
      log.info("prediction {} on {}: {}", al.status(), al.cameraId(), al.message());
    }
    events.resolutions().forEach(r -> meters.prediction(r.outcome()));
    String topic = config.kafka().topics().alerts().name();
    feed.publisher().send(alerts.stream().map(al -> new OutboundRecord(topic, al.cameraId(), al.toJson().toBuffer(),
            AggregatorVerticle.eventId(al))).toList())
        .compose(v -> store.saveAlerts(alerts))
        .onFailure(err -> log.warn("{} predictive alert event(s) not stored: {}", alerts.size(), err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) vertx.cancelTimer(tickTimer);
    return feed == null ? Future.succeededFuture() : feed.stop();
  }
}
