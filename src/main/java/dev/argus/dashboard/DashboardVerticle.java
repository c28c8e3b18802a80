package dev.argus.dashboard;

import dev.argus.backbone.ConsumerLag;
import dev.argus.config.ArgusConfig;
import dev.argus.model.BusAddresses;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the pipeline snapshot on {@code argus.stats} once a second, read from the same meters
 * that {@code /metrics} exposes, so the dashboard and Prometheus never disagree.
 */
public final class DashboardVerticle extends VerticleBase {
  private final ArgusConfig config;
  private final String backboneMode;
  private final boolean durable;
  private final Map<String, Double> previous = new HashMap<>();
  private long previousAt;
  private long timer;

  private final MeterRegistry registry;
  private final ConsumerLag consumerLag;
  private final String nodeId;

  public DashboardVerticle(ArgusConfig config, String backboneMode, boolean durable, MeterRegistry registry,
                           ConsumerLag consumerLag) {
    this(config, backboneMode, durable, registry, consumerLag, "");
  }

  /**
   * @param nodeId put in every snapshot: on a clustered bus each node's snapshot reaches every browser,
   *               which adds the latest of each node up into the cluster's figures (webroot/js/cluster.js)
   */
  public DashboardVerticle(ArgusConfig config, String backboneMode, boolean durable, MeterRegistry registry,
                           ConsumerLag consumerLag, String nodeId) {
    this.nodeId = nodeId;
    this.registry = registry;
    this.consumerLag = consumerLag;
    this.config = config;
    this.backboneMode = backboneMode;
    this.durable = durable;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(config.dashboard().statsIntervalMs(), id -> vertx.eventBus().publish(BusAddresses.STATS, snapshot()));
    return Future.succeededFuture();
  }

  JsonObject snapshot() {
    MeterRegistry r = registry;
    long now = System.currentTimeMillis();
    double seconds = previousAt == 0 ? 0 : (now - previousAt) / 1000.0;
    previousAt = now;
    JsonObject totals = new JsonObject();
    JsonObject rates = new JsonObject();
    for (String[] m : new String[][] {{"frames", MetricNames.DETECTIONS}, {"tasks", MetricNames.TASKS},
        {"assessments", MetricNames.ASSESSMENTS}, {"alerts", MetricNames.ALERTS},
        {"llm_requests", MetricNames.LLM_REQUESTS}, {"dead_letters", MetricNames.DLQ}}) {
      double total = r.find(m[1]).counters().stream().mapToDouble(Counter::count).sum();
      Double before = previous.put(m[0], total);
      totals.put(m[0], (long) total);
      rates.put(m[0] + "_per_s", before == null || seconds == 0 ? 0.0 : round((total - before) / seconds));
    }
    ArgusConfig.Kafka k = config.kafka();
    JsonObject lag = new JsonObject()
        .put("bridge", consumerLag.total(k.group("bridge"), k.topics().detections().name()))
        .put("llm", consumerLag.total(k.group("llm"), k.topics().tasks().name()))
        .put("aggregator", consumerLag.total(k.group("aggregator"), k.topics().results().name()));
    Timer latency = r.find(MetricNames.PIPELINE_LATENCY).timer();
    Gauge inflight = r.find(MetricNames.LLM_INFLIGHT).gauge();
    Gauge queue = r.find(MetricNames.LLM_QUEUE_DEPTH).gauge();
    double p95 = 0;
    if (latency != null) {
      for (var v : latency.takeSnapshot().percentileValues()) if (v.percentile() == 0.95) p95 = v.value(TimeUnit.MILLISECONDS);
    }
    return new JsonObject().put("at", now).put("node", nodeId)
        .put("backbone", new JsonObject().put("mode", backboneMode).put("durable", durable))
        .put("totals", totals).put("rates", rates).put("consumer_lag", lag)
        .put("llm_in_flight", inflight == null ? 0 : (long) inflight.value())
        .put("llm_queue_depth", queue == null ? 0 : (long) queue.value())
        .put("pipeline_latency_ms_p95", round(p95))
        .put("pipeline_latency_ms_max", latency == null ? 0.0 : round(latency.max(TimeUnit.MILLISECONDS)))
        .put("pipeline_latency_ms_mean", latency == null ? 0.0 : round(latency.mean(TimeUnit.MILLISECONDS)));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
