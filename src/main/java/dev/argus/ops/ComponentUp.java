package dev.argus.ops;

import dev.argus.model.MetricNames;

import dev.argus.aggregate.ResultStore;
import dev.argus.backbone.Backbone;
import dev.argus.model.BusAddresses;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code argus_component_up{component="backbone|store|llm"}}: 1 while the component's readiness check
 * (the same ones {@code /health/ready} reports) answers {@code "status": "UP"}, else 0. The BackboneDown
 * and StoreDown alert rules read it; a check that fails or does not answer in time counts as down.
 */
public final class ComponentUp {
  /** The Prometheus name; belongs in {@code MetricNames} once merged. */
  public static final String NAME = MetricNames.COMPONENT_UP;
  public static final String TAG = "component";

  private final Vertx vertx;
  private final Map<String, Supplier<Future<JsonObject>>> checks;
  private final Map<String, AtomicInteger> values = new LinkedHashMap<>();
  private final long timeoutMs;

  /** Registers one gauge per check, at 0 until the first refresh. */
  public ComponentUp(Vertx vertx, MeterRegistry registry, Map<String, Supplier<Future<JsonObject>>> checks, long timeoutMs) {
    this.vertx = vertx;
    this.checks = new LinkedHashMap<>(checks);
    this.timeoutMs = timeoutMs;
    this.checks.keySet().forEach(component -> {
      AtomicInteger value = new AtomicInteger();
      values.put(component, value);
      Gauge.builder(NAME, value, AtomicInteger::get).tag(TAG, component)
          .description("1 while the component's readiness check answers UP").register(registry);
    });
  }

  /** The gateway's three components: the backbone, the result store, and the LLM dispatcher's status. */
  public static ComponentUp forPipeline(Vertx vertx, MeterRegistry registry, Backbone backbone, ResultStore store) {
    Map<String, Supplier<Future<JsonObject>>> checks = new LinkedHashMap<>();
    checks.put("backbone", backbone::health);
    checks.put("store", store::health);
    checks.put("llm", () -> vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_LLM_STATUS, null,
        new DeliveryOptions().setSendTimeout(2000).setLocalOnly(true)).map(m -> m.body()));
    return new ComponentUp(vertx, registry, checks, 5000);
  }

  /** Refreshes now and then every {@code periodMs}; returns the timer id. */
  public long start(long periodMs) {
    refresh();
    return vertx.setPeriodic(periodMs, id -> refresh());
  }

  /** Runs every check once; completes when every gauge is set. */
  public Future<Void> refresh() {
    List<Future<Void>> done = new ArrayList<>();
    checks.forEach((component, check) -> done.add(status(check).map(up -> {
      values.get(component).set(up ? 1 : 0);
      return null;
    })));
    return Future.join(done).mapEmpty();
  }

  /** Whether the check answered UP within the timeout; never fails. */
  private Future<Boolean> status(Supplier<Future<JsonObject>> check) {
    Promise<Boolean> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> result.tryComplete(false));
    Future<JsonObject> answer;
    try {
      answer = check.get();
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> {
      vertx.cancelTimer(timer);
      result.tryComplete(ar.succeeded() && ar.result() != null && "UP".equals(ar.result().getString("status")));
    });
    return result.future();
  }
}
