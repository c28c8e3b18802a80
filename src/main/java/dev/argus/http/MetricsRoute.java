package dev.argus.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** {@code GET /metrics}: the process's Prometheus registry as text. */
final class MetricsRoute {
  private final PrometheusMeterRegistry registry;

  MetricsRoute(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  void mount(Router router) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }
}
