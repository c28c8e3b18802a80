package dev.argus.aggregate;

import dev.argus.Metrics;
import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PoisonRecordException;
import dev.argus.backbone.Publisher;
import dev.argus.backbone.Subscription;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.BusAddresses;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Turns results into state and alerts. For each result: produce its alert (if its level is high
 * enough), store both atomically (a replayed result is recognised and counted once), and only then
 * publish them live. The record is committed after all of that succeeded.
 */
public final class AggregatorVerticle extends VerticleBase {
  private final ArgusConfig config;
  private final Backbone backbone;
  private final ResultStore store;
  private Publisher publisher;
  private Subscription subscription;
  private Timer pipelineLatency;

  public AggregatorVerticle(ArgusConfig config, Backbone backbone, ResultStore store) {
    this.config = config;
    this.backbone = backbone;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    pipelineLatency = Timer.builder(MetricNames.PIPELINE_LATENCY)
        .description("From a frame's detection time to its assessment being published")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2)).register(Metrics.registry());
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().results().name(),
        config.kafka().group("aggregator"), 500);
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false)
        .compose(p -> {
          publisher = p;
          return backbone.subscribe(vertx, spec, this::onResult);
        })
        .onSuccess(s -> subscription = s);
  }

  private Future<?> onResult(InboundRecord record) {
    Assessment a;
    try {
      a = Assessment.fromJson(new JsonObject(record.value()));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      throw new PoisonRecordException("undecodable", "not an assessment: " + e.getMessage());
    }
    Alert alert = a.riskLevel().atLeast(config.aggregate().alertLevel())
        ? new Alert("alert-" + a.taskId(), a.cameraId(), a.riskLevel(), a.summary(), 1, a.assessedAtMs(),
            a.assessedAtMs(), Alert.OPEN, a.taskId())
        : null;
    // The alert event goes out before the store write: if the write fails, the retry re-sends the same
    // alert id (at-least-once); the other order could store a result whose alert was never sent.
    Future<Void> alertSent = alert == null ? Future.succeededFuture()
        : publisher.send(new OutboundRecord(config.kafka().topics().alerts().name(), a.cameraId(), alert.toJson().toBuffer()));
    return alertSent.compose(v -> store.record(a, alert)).onSuccess(isNew -> {
      if (!isNew) {
        Counter.builder(MetricNames.ASSESSMENTS_DUPLICATE).register(Metrics.registry()).increment();
        return;
      }
      vertx.eventBus().publish(BusAddresses.ASSESSMENTS, a.toJson());
      Counter.builder(MetricNames.ASSESSMENTS).tag(MetricNames.TAG_SOURCE, a.source())
          .tag(MetricNames.TAG_LEVEL, a.riskLevel().wire()).register(Metrics.registry()).increment();
      pipelineLatency.record(Math.max(0, System.currentTimeMillis() - a.detectedAtMs()), TimeUnit.MILLISECONDS);
      if (alert != null) {
        vertx.eventBus().publish(BusAddresses.ALERTS, alert.toJson());
        Counter.builder(MetricNames.ALERTS).tag(MetricNames.TAG_LEVEL, alert.level().wire())
            .register(Metrics.registry()).increment();
      }
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> sub = subscription == null ? Future.succeededFuture() : subscription.close();
    return sub.transform(v -> publisher == null ? Future.succeededFuture() : publisher.close());
  }
}
