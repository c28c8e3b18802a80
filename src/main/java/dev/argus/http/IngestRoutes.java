package dev.argus.http;

import dev.argus.backbone.PublishException;
import dev.argus.ingest.FrameBody;
import dev.argus.ingest.FrameIngest;
import dev.argus.ingest.IngestMeters;
import dev.argus.ingest.OverloadGuard;
import dev.argus.model.FieldError;
import dev.argus.quality.RejectedFrames;
import dev.argus.security.Bearer;
import dev.argus.security.IngestAccess;
import dev.argus.security.IngestToken;
import dev.argus.security.TokenRateLimits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Ingestion: {@code POST /api/v1/detections} (JSON or NDJSON) and the WebSocket upgrade. */
final class IngestRoutes {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestRoutes.class);
  static final String DETECTIONS_PATH = "/api/v1/detections";
  static final String WS_PATH = "/api/v1/detections/ws";
  private static final String TOKEN_KEY = "argus.ingestToken";

  private final FrameIngest ingest;
  private final IngestMeters meters;
  private final Replies replies;
  private final BooleanSupplier draining;
  private final int bodyLimitBytes;
  private final int wsMaxFramesInFlight;
  private final IngestAccess access;
  private final TokenRateLimits limits;
  private final OverloadGuard overload;
  private long lastOverloadWarning = Long.MIN_VALUE;

  IngestRoutes(FrameIngest ingest, IngestMeters meters, Replies replies, BooleanSupplier draining, int bodyLimitBytes,
               int wsMaxFramesInFlight, IngestAccess access, TokenRateLimits limits, OverloadGuard overload) {
    this.overload = overload;
    this.access = access;
    this.limits = limits;
    this.ingest = ingest;
    this.meters = meters;
    this.replies = replies;
    this.draining = draining;
    this.bodyLimitBytes = bodyLimitBytes;
    this.wsMaxFramesInFlight = wsMaxFramesInFlight;
  }

  void mount(Router router) {
    // consumes() refuses other media types with 415 before the body is read.
    // Its own route, ahead of the body: a producer without a token is refused before its body is read.
    router.post(DETECTIONS_PATH).handler(this::authenticate);
    // Its own route too (vertx-web puts a BodyHandler first on its route): refusals before any parsing.
    router.post(DETECTIONS_PATH).handler(this::admit);
    router.post(DETECTIONS_PATH).consumes("application/json").consumes("application/x-ndjson")
        .consumes("application/ndjson").consumes("application/jsonl").consumes("application/cloudevents+json")
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
        .handler(this::ingestBody);
    router.get(WS_PATH).handler(this::authenticate).handler(this::upgrade);
  }

  /**
   * Before the body is read: a producer token when tokens are configured. The Bearer header; on the
   * WebSocket path also {@code ?access_token=}, since browsers cannot set headers on a WebSocket.
   */
  private void authenticate(RoutingContext ctx) {
    String presented = ctx.request().path().equals(WS_PATH) ? SecurityHandlers.presentedToken(ctx)
        : Bearer.token(ctx.request().getHeader("Authorization"));
    IngestToken token = access.authenticate(presented);
    if (token == null) {
      replies.error(ctx, ErrorCode.UNAUTHORIZED, presented == null
          ? "ingest needs a producer token: send Authorization: Bearer <token>"
          : "the producer token is not valid");
      return;
    }
    ctx.put(TOKEN_KEY, token);
    ctx.next();
  }

  /** Refusals for frames the token may not post for (403) or above its own rate (429); null when all may pass. */
  static Refusal refusal(IngestToken token, List<FrameIngest.Valid> valid, TokenRateLimits limits) {
    List<String> cameras = valid.stream().map(v -> v.detection().cameraId()).toList();
    List<Integer> refused = IngestAccess.refused(token, cameras);
    if (!refused.isEmpty()) {
      List<FieldError> details = refused.stream()
          .map(i -> new FieldError(i, "camera_id", "this token may not post for camera '" + cameras.get(i) + "'")).toList();
      return new Refusal(new ApiError(ErrorCode.FORBIDDEN, refused.size() + " frame(s) name cameras this token may not "
          + "post for; nothing was accepted", details.stream().limit(ApiError.MAX_DETAILS).map(FieldError::toJson).toList()), 0);
    }
    TokenRateLimits.Verdict v = limits.tryTake(token, valid.size());
    if (v.allowed()) return null;
    String message = v.batchTooLarge()
        ? "a batch of " + valid.size() + " frames is more than this token's " + token.framesPerSecond() + " frames/s; send smaller batches"
        : "this token's rate limit of " + token.framesPerSecond() + " frames/s is reached; retry after " + v.retryAfterSeconds() + " s";
    return new Refusal(ApiError.of(ErrorCode.RATE_LIMITED, message), v.retryAfterSeconds());
  }

  /** A refused write, and its own Retry-After (0: the configured one). */
  record Refusal(ApiError error, int retryAfterSeconds) {}

  /** The answer to a write the backbone did not take. */
  static ApiError publishError(Throwable err) {
    if (err instanceof PublishException p && p.kind() == PublishException.Kind.OVERLOADED) {
      return ApiError.of(ErrorCode.OVERLOADED, "too many writes are in flight; retry shortly");
    }
    return ApiError.of(ErrorCode.BACKBONE_UNAVAILABLE, "the frames could not be made durable: " + err.getMessage());
  }

  static ApiError shuttingDown() {
    return ApiError.of(ErrorCode.BACKBONE_UNAVAILABLE, "the gateway is shutting down; retry on another instance");
  }

  /**
   * Before the body is read: a draining gateway and an overloaded event loop refuse here, where a refusal
   * costs no parsing (the body is read and dropped by the HTTP codec, the connection stays usable).
   */
  private void admit(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      replies.error(ctx, shuttingDown());
      return;
    }
    String overloaded = overload.refusal();
    if (overloaded != null) {
      long now = System.nanoTime();
      if (lastOverloadWarning == Long.MIN_VALUE || now - lastOverloadWarning > TimeUnit.SECONDS.toNanos(10)) {
        lastOverloadWarning = now;
        log.warn("ingest is shedding load: {}; writes get 503 overloaded with Retry-After (logged every 10 s at most)", overloaded);
      }
      replies.error(ctx, ApiError.of(ErrorCode.OVERLOADED, "the gateway is overloaded (" + overloaded + "); retry after the Retry-After delay"));
      return;
    }
    ctx.next();
  }

  /** {@code json}, {@code ndjson}, {@code cloudevent}, or null for anything else. */
  private static String format(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    if (ct == null) return null;
    int semi = ct.indexOf(';');
    String type = (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/json" -> "json";
      case "application/x-ndjson", "application/ndjson", "application/jsonl" -> "ndjson";
      case "application/cloudevents+json" -> "cloudevent";
      default -> null;
    };
  }

  private void ingestBody(RoutingContext ctx) {
    // An empty body leaves no buffer at all; it is refused like any other body without a frame.
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    FrameBody.Scan scan;
    try {
      String format = format(ctx);
      scan = "ndjson".equals(format) ? FrameBody.ndjson(body)
          : "cloudevent".equals(format) ? FrameBody.cloudEvent(body) : FrameBody.json(body);
    } catch (FrameBody.MalformedException e) {
      replies.error(ctx, ApiError.validation("the body is not valid JSON: " + e.getMessage(), List.of(e.error())));
      return;
    }
    if (scan.frames() == 0) {
      replies.error(ctx, ApiError.validation("the request holds no frame", List.of(new FieldError(0, "", "empty batch"))));
      return;
    }
    if (!scan.ok()) {
      RejectedFrames.report(ctx.vertx().eventBus(), scan.rejectedCameras(), System.currentTimeMillis());
      replies.error(ctx, ApiError.validation(scan.errors().size() + " problem(s) in " + scan.frames()
          + " frame(s); nothing was accepted", scan.errors()));
      return;
    }
    List<FrameIngest.Valid> valid = scan.valid();
    Refusal refusal = refusal(ctx.get(TOKEN_KEY), valid, limits);
    if (refusal != null) {
      if (refusal.retryAfterSeconds() > 0) replies.error(ctx, refusal.error(), refusal.retryAfterSeconds());
      else replies.error(ctx, refusal.error());
      return;
    }
    ingest.produce(valid).onComplete(ar -> {
      if (ar.succeeded()) replies.json(ctx, 202, new JsonObject().put("accepted", ar.result()));
      else replies.error(ctx, publishError(ar.cause()));
    });
  }

  private void upgrade(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, "this endpoint speaks WebSocket; send an Upgrade request");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws ->
        new WebSocketIngest(ws, ingest, wsMaxFramesInFlight, draining, meters, ctx.get(TOKEN_KEY), limits,
            ctx.vertx().eventBus(), SecurityHandlers.requestId(ctx)).start());
  }
}
