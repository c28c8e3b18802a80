package dev.argus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * The process's one Prometheus registry, shared by Vert.x's own metrics and Argus's meters. Every
 * Vert.x instance of the process (tests start several) reports into it.
 */
public final class Metrics {
  private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Metrics() {}

  /** A Vert.x builder with metrics on; labels stay bounded (no HTTP paths, no per-entity addresses). */
  public static VertxBuilder vertxBuilder(VertxOptions options) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    return io.vertx.core.Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(REGISTRY));
  }

  public static MeterRegistry registry() {
    return REGISTRY;
  }

  public static PrometheusMeterRegistry prometheus() {
    return REGISTRY;
  }
}
