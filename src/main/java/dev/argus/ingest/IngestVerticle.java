package dev.argus.ingest;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.PublishException;
import dev.argus.backbone.Publisher;
import dev.argus.config.ArgusConfig;
import dev.argus.model.ApiError;
import dev.argus.model.FieldError;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * HTTP and WebSocket ingestion (one instance per core, all sharing the port). Each instance owns its
 * HTTP server, whose router also carries the read side that the dashboard package mounts: Vert.x
 * spreads connections over every server on a port, so each must answer every route.
 */
public final class IngestVerticle extends VerticleBase {
  public static final String DETECTIONS_PATH = "/api/v1/detections";
  public static final String WS_PATH = "/api/v1/detections/ws";

  private final ArgusConfig config;
  private final Backbone backbone;
  private final Consumer<Router> readRoutes;
  private final java.util.concurrent.atomic.AtomicBoolean draining;
  private Publisher publisher;
  private FrameIngest ingest;
  private HttpServer server;
  private final MeterRegistry registry;

  /**
   * @param readRoutes mounts the read side (dashboard, health, metrics) on this instance's router
   * @param draining   set by the composition root at shutdown: new writes get 503 from then on
   */
  public IngestVerticle(ArgusConfig config, Backbone backbone, Consumer<Router> readRoutes,
                        java.util.concurrent.atomic.AtomicBoolean draining, MeterRegistry registry) {
    this.registry = registry;
    this.config = config;
    this.backbone = backbone;
    this.readRoutes = readRoutes;
    this.draining = draining;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Http http = config.http();
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false).compose(p -> {
      publisher = p;
      ingest = new FrameIngest(vertx, publisher, config.kafka().topics().detections().name(), http.ackTimeoutMs(), registry);
      Router router = Router.router(vertx);
      // consumes() refuses other media types with 415 before the body is read.
      router.post(DETECTIONS_PATH).consumes("application/json").consumes("application/x-ndjson")
          .consumes("application/ndjson").consumes("application/jsonl")
          .handler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()))
          .handler(this::checkWritable).handler(this::ingestBody);
      router.get(WS_PATH).handler(this::upgrade);
      readRoutes.accept(router);
      errorHandlers(router);
      server = vertx.createHttpServer(new HttpServerOptions().setHost(http.host()).setPort(http.port())
          .setMaxWebSocketMessageSize(http.bodyLimitBytes()).setMaxWebSocketFrameSize(Math.min(http.bodyLimitBytes(), 65536))
          .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS));
      return server.requestHandler(router).listen();
    });
  }

  private void checkWritable(RoutingContext ctx) {
    if (draining.get()) {
      fail(ctx, ApiError.of(503, "backbone_unavailable", "the gateway is shutting down; retry on another instance"));
    } else {
      ctx.next();
    }
  }

  /** {@code json}, {@code ndjson}, or null for anything else. */
  private static String format(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    if (ct == null) return null;
    int semi = ct.indexOf(';');
    String type = (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/json" -> "json";
      case "application/x-ndjson", "application/ndjson", "application/jsonl" -> "ndjson";
      default -> null;
    };
  }

  private void ingestBody(RoutingContext ctx) {
    List<FrameBody.Part> parts;
    try {
      parts = "ndjson".equals(format(ctx)) ? FrameBody.ndjson(ctx.body().buffer()) : FrameBody.json(ctx.body().buffer());
    } catch (FrameBody.MalformedException e) {
      fail(ctx, ApiError.validation("the body is not valid JSON: " + e.getMessage(), List.of(e.error())));
      return;
    }
    if (parts.isEmpty()) {
      fail(ctx, ApiError.validation("the request holds no frame", List.of(new FieldError(0, "", "empty batch"))));
      return;
    }
    List<FrameIngest.Valid> valid = new ArrayList<>(parts.size());
    List<FieldError> errors = FrameIngest.validate(parts, valid);
    if (!errors.isEmpty()) {
      fail(ctx, ApiError.validation(errors.size() + " problem(s) in " + parts.size()
          + " frame(s); nothing was accepted", errors));
      return;
    }
    ingest.produce(valid).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("accepted", ar.result()).toBuffer());
      } else {
        fail(ctx, publishError(ar.cause()));
      }
    });
  }

  static ApiError publishError(Throwable err) {
    if (err instanceof PublishException p && p.kind() == PublishException.Kind.OVERLOADED) {
      return ApiError.of(503, "overloaded", "too many writes are in flight; retry shortly");
    }
    return ApiError.of(503, "backbone_unavailable", "the frames could not be made durable: " + err.getMessage());
  }

  private void upgrade(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      fail(ctx, ApiError.of(400, "validation_failed", "this endpoint speaks WebSocket; send an Upgrade request"));
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws ->
        new WebSocketIngest(ws, ingest, config.http().wsMaxFramesInFlight(), draining::get).start());
  }

  private void errorHandlers(Router router) {
    router.errorHandler(404, ctx -> fail(ctx, ApiError.of(404, "not_found", "no such resource: " + ctx.request().path())));
    router.errorHandler(405, ctx -> fail(ctx, ApiError.of(405, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(415, ctx -> fail(ctx, ApiError.of(415, "unsupported_media_type",
        "send application/json (a frame or an array of frames) or application/x-ndjson (a frame per line)")));
    router.errorHandler(413, ctx -> fail(ctx, ApiError.of(413, "payload_too_large",
        "the body is larger than " + config.http().bodyLimitBytes() + " bytes; send smaller batches")));
    router.errorHandler(500, ctx -> fail(ctx, ApiError.of(500, "internal_error", "the gateway failed to answer")));
  }

  private void fail(RoutingContext ctx, ApiError error) {
    if (ingest != null && ctx.request().path().startsWith(DETECTIONS_PATH)) ingest.rejected(error.code());
    error.send(ctx.response(), config.http().retryAfterSeconds());
  }

  /** Stop taking writes, let acknowledged-but-unanswered ones finish, flush the producer, then close. */
  @Override
  public Future<?> stop() {
    draining.set(true);
    Promise<Void> drained = Promise.promise();
    long deadline = System.currentTimeMillis() + config.http().ackTimeoutMs();
    vertx.setPeriodic(0, 20, id -> {
      if (publisher == null || publisher.pending() == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        drained.complete();
      }
    });
    return drained.future()
        .compose(v -> server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS))
        .transform(v -> publisher == null ? Future.succeededFuture() : publisher.close());
  }
}
