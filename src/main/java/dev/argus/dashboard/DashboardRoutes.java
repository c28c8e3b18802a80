package dev.argus.dashboard;

import dev.argus.aggregate.ResultStore;
import dev.argus.backbone.Backbone;
import dev.argus.config.ArgusConfig;
import dev.argus.model.ApiError;
import dev.argus.model.Alert;
import dev.argus.model.BusAddresses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The read side of the HTTP API, mounted on every HTTP server instance: the SockJS event-bus bridge
 * (outbound only, to the listed addresses), the camera query API, metrics, health, and the web page.
 */
public final class DashboardRoutes implements Consumer<Router> {
  private final Vertx vertx;
  private final ArgusConfig config;
  private final Backbone backbone;
  private final ResultStore store;
  private final AtomicBoolean draining;

  private final PrometheusMeterRegistry registry;

  public DashboardRoutes(Vertx vertx, ArgusConfig config, Backbone backbone, ResultStore store, AtomicBoolean draining,
                         PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.vertx = vertx;
    this.config = config;
    this.backbone = backbone;
    this.store = store;
    this.draining = draining;
  }

  @Override
  public void accept(Router router) {
    router.route("/eventbus/*").subRouter(bridge());
    router.get("/api/v1/cameras").handler(ctx -> store.cameras().onComplete(ar -> {
      if (ar.failed()) storeDown(ctx, ar.cause());
      else json(ctx, 200, new JsonObject().put("cameras", new JsonArray(ar.result())).put("count", ar.result().size()));
    }));
    router.get("/api/v1/cameras/:id/history").handler(ctx -> {
      String id = ctx.pathParam("id");
      Integer limit = limit(ctx);
      if (limit == null) return;
      String before = ctx.request().getParam("before");
      store.camera(id).compose(cam -> cam == null ? Future.succeededFuture((dev.argus.aggregate.Page) null)
              : store.history(id, limit, before == null || before.isEmpty() ? null : before))
          .onComplete(ar -> {
            if (ar.failed()) badOrDown(ctx, ar.cause());
            else if (ar.result() == null) error(ctx, ApiError.of(404, "not_found", "no assessment for camera '" + id + "' yet"));
            else json(ctx, 200, ar.result().toJson().put("camera_id", id));
          });
    });
    router.get("/api/v1/alerts").handler(ctx -> {
      Integer limit = limit(ctx);
      if (limit == null) return;
      String status = ctx.request().getParam("status");
      if (status != null && !Alert.STATUSES.contains(status)) {
        error(ctx, ApiError.of(400, "validation_failed", "status must be open, updated, escalated or resolved"));
        return;
      }
      Long since;
      try {
        String s = ctx.request().getParam("since");
        since = s == null || s.isEmpty() ? null : s.matches("\\d+") ? Long.valueOf(s) : dev.argus.model.Times.parse(s);
      } catch (RuntimeException e) {
        error(ctx, ApiError.of(400, "validation_failed", "since must be ISO-8601 or epoch milliseconds"));
        return;
      }
      store.alerts(status, since, limit, ctx.request().getParam("cursor")).onComplete(ar -> {
        if (ar.failed()) badOrDown(ctx, ar.cause());
        else json(ctx, 200, ar.result().toJson());
      });
    });
    router.get("/api/v1/cameras/:id").handler(ctx -> {
      String id = ctx.pathParam("id");
      store.camera(id).onComplete(ar -> {
        if (ar.failed()) storeDown(ctx, ar.cause());
        else if (ar.result() == null) error(ctx, ApiError.of(404, "not_found", "no assessment for camera '" + id + "' yet"));
        else json(ctx, 200, ar.result());
      });
    });
    router.get("/api/v1/llm/keys").handler(ctx -> keyAdmin(ctx, new JsonObject().put("action", "list")));
    router.post("/api/v1/llm/keys/:id/:action").handler(ctx -> {
      String action = ctx.pathParam("action");
      if (!action.equals("enable") && !action.equals("disable")) {
        error(ctx, ApiError.of(404, "not_found", "no such action '" + action + "': use enable or disable"));
      } else if (!adminAllowed(ctx)) {
        error(ctx, ApiError.of(401, "unauthorized", "send Authorization: Bearer <http.adminToken>"));
      } else {
        keyAdmin(ctx, new JsonObject().put("action", action).put("id", ctx.pathParam("id"))
            .put("reason", "disabled by an operator through the API"));
      }
    });
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
  }

  private Router bridge() {
    SockJSBridgeOptions options = new SockJSBridgeOptions().setPingTimeout(30_000);
    // Explicit addresses only (an empty PermittedOptions would match everything); no inbound entry at all,
    // so every publish or send from a browser is refused with access_denied.
    for (String address : BusAddresses.BROWSER_OUTBOUND) {
      options.addOutboundPermitted(new PermittedOptions().setAddress(address));
    }
    long interval = config.dashboard().browserFrameIntervalMs();
    Map<SockJSSocket, PerKeyThrottle> throttles = new ConcurrentHashMap<>();
    return SockJSHandler.create(vertx).bridge(options, event -> onBridgeEvent(event, interval, throttles));
  }

  /** Live frames reach each browser at most once per camera per interval; everything else passes. */
  private static void onBridgeEvent(BridgeEvent event, long interval, Map<SockJSSocket, PerKeyThrottle> throttles) {
    if (event.type() == BridgeEventType.SOCKET_CLOSED) {
      throttles.remove(event.socket());
    } else if (event.type() == BridgeEventType.RECEIVE && interval > 0
        && BusAddresses.DETECTIONS.equals(event.getRawMessage().getString("address"))) {
      JsonObject body = event.getRawMessage().getJsonObject("body");
      String camera = body == null ? "" : body.getString("camera_id", "");
      PerKeyThrottle t = throttles.computeIfAbsent(event.socket(), s -> new PerKeyThrottle(interval));
      event.complete(t.allow(camera, System.currentTimeMillis()));
      return;
    }
    event.complete(true);
  }

  private boolean adminAllowed(RoutingContext ctx) {
    String token = config.http().adminToken();
    return token.isEmpty() || ("Bearer " + token).equals(ctx.request().getHeader("Authorization"));
  }

  private void keyAdmin(RoutingContext ctx, JsonObject command) {
    vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_LLM_ADMIN, command,
        new DeliveryOptions().setSendTimeout(2000).setLocalOnly(true)).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result().body());
      } else if (ar.cause() instanceof io.vertx.core.eventbus.ReplyException re && re.failureCode() == 404) {
        error(ctx, ApiError.of(404, "not_found", re.getMessage()));
      } else {
        error(ctx, ApiError.of(503, "overloaded", "the LLM dispatcher did not answer: " + ar.cause().getMessage()));
      }
    });
  }

  /** Readiness: 200 only when the backbone, the store and the LLM pool answer and we are not draining. */
  private void ready(RoutingContext ctx) {
    Future<JsonObject> llm = vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_LLM_STATUS, null,
            new DeliveryOptions().setSendTimeout(2000).setLocalOnly(true))
        .map(m -> m.body())
        .otherwise(err -> new JsonObject().put("status", "DOWN").put("error", "dispatcher not answering"));
    Future<JsonObject> kafka = backbone.health().otherwise(err -> new JsonObject().put("status", "DOWN").put("error", err.getMessage()));
    Future<JsonObject> st = store.health().otherwise(err -> new JsonObject().put("status", "DOWN").put("error", err.getMessage()));
    Future.all(kafka, st, llm).onComplete(ar -> {
      JsonObject backboneCheck = kafka.result().put("consumer_lag", backbone.lag().snapshot());
      JsonObject checks = new JsonObject().put("backbone", backboneCheck).put("store", st.result()).put("llm", llm.result());
      boolean backboneUp = "UP".equals(backboneCheck.getString("status"));
      boolean allUp = checks.stream().allMatch(e -> "UP".equals(((JsonObject) e.getValue()).getString("status")));
      // Without the backbone nothing can be accepted: not ready. Without the store or the LLM pool the
      // gateway still takes and assesses frames (results live, rules): ready, but degraded.
      String status = draining.get() ? "DRAINING" : !backboneUp ? "DOWN" : allUp ? "UP" : "DEGRADED";
      json(ctx, draining.get() || !backboneUp ? 503 : 200, new JsonObject().put("status", status).put("checks", checks));
    });
  }

  /** limit=1..1000 (default 50); answers 400 and returns null when it is not. */
  private Integer limit(RoutingContext ctx) {
    String s = ctx.request().getParam("limit");
    if (s == null || s.isEmpty()) return 50;
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= 1000) return n;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    error(ctx, ApiError.of(400, "validation_failed", "limit must be an integer from 1 to 1000"));
    return null;
  }

  private void badOrDown(RoutingContext ctx, Throwable err) {
    if (err instanceof IllegalArgumentException || err instanceof NumberFormatException) {
      error(ctx, ApiError.of(400, "validation_failed", "bad cursor: " + err.getMessage()));
    } else {
      storeDown(ctx, err);
    }
  }

  private void storeDown(RoutingContext ctx, Throwable err) {
    error(ctx, ApiError.of(503, "backbone_unavailable", "the result store is unavailable: " + err.getMessage()));
  }

  private void error(RoutingContext ctx, ApiError e) {
    e.send(ctx.response(), config.http().retryAfterSeconds());
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
