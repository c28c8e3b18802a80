package dev.argus.feedback;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.Publisher;
import dev.argus.model.BusAddresses;
import dev.argus.model.RiskLevel;
import dev.argus.model.Times;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judging the judge: takes every stored operator verdict (sent by the HTTP instances on
 * {@link BusAddresses#INTERNAL_FEEDBACK}) into the one set of feedback meters, and every
 * {@code dashboard.modelMetricsIntervalMs} writes the per-model summary to the {@code model-metrics}
 * topic (only when a verdict came in since the last one) and the live bus (node-local: a node's page
 * shows its node's meters). The current summary is also read on request ({@code GET
 * /api/v1/feedback/models} asks on {@link BusAddresses#INTERNAL_MODEL_METRICS}), so a page that just
 * opened need not wait for the next verdict.
 */
public final class FeedbackVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FeedbackVerticle.class);
  private final Backbone backbone;
  private final String topic;
  private final long intervalMs;
  private final FeedbackMeters meters;
  private Publisher publisher;
  private boolean changed;
  private long timer = -1;

  public FeedbackVerticle(Backbone backbone, String topic, long intervalMs, MeterRegistry registry) {
    this.backbone = backbone;
    this.topic = topic;
    this.intervalMs = intervalMs;
    this.meters = new FeedbackMeters(registry);
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>localConsumer(BusAddresses.INTERNAL_FEEDBACK, msg -> {
      JsonObject v = msg.body();
      RiskLevel assessed = RiskLevel.parse(v.getString("assessed"));
      if (assessed == null) return;
      meters.record(v.getString("model"), new Verdict(assessed, v.getDouble("risk_score", 0.0), v.getString("operator")));
      changed = true;
    });
    vertx.eventBus().<JsonObject>localConsumer(BusAddresses.INTERNAL_MODEL_METRICS, msg -> msg.reply(summary()));
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false).onSuccess(p -> {
      publisher = p;
      timer = vertx.setPeriodic(intervalMs, id -> summarise());
    });
  }

  private void summarise() {
    if (!changed) return;
    changed = false;
    JsonObject summary = summary();
    vertx.eventBus().publish(BusAddresses.MODEL_METRICS, summary, new DeliveryOptions().setLocalOnly(true));
    publisher.send(new OutboundRecord(topic, "model-metrics", summary.toBuffer()))
        .onFailure(err -> log.warn("model metrics summary not written: {}", err.getMessage()));
  }

  private JsonObject summary() {
    return new JsonObject().put("at", Times.iso(System.currentTimeMillis())).put("models", meters.summary());
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return publisher == null ? Future.succeededFuture() : publisher.close();
  }
}
