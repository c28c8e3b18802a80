package dev.argus.http;

import dev.argus.ingest.IngestMeters;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every route answers: JSON bodies, and errors in the one shape with {@code Retry-After} on 429
 * and 503. Errors on the ingest path count as refused writes, whichever handler raised them. Every
 * error carries the request's id ({@code request_id}), which its log lines carry too; no reply ever
 * carries a stack trace (a handler's failure is logged here, and answered with a plain sentence).
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private final int retryAfterSeconds;
  private final IngestMeters meters;

  Replies(int retryAfterSeconds, IngestMeters meters) {
    this.retryAfterSeconds = retryAfterSeconds;
    this.meters = meters;
  }

  void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  void error(RoutingContext ctx, ApiError error) {
    error(ctx, error, retryAfterSeconds);
  }

  /** An error whose {@code Retry-After} is the caller's (a token's own rate limit knows when it refills). */
  void error(RoutingContext ctx, ApiError error, int retryAfter) {
    if (ctx.request().path().startsWith(IngestRoutes.DETECTIONS_PATH)) meters.rejected(error.code().wire());
    String id = SecurityHandlers.requestId(ctx);
    if (error.status() >= 500 && error.code() != ErrorCode.OVERLOADED) {
      // Overload refusals come by the thousand per second; IngestRoutes logs the shedding, not each one.
      log.warn("request {} {} {} answered {} {}: {}", id, ctx.request().method(), ctx.request().path(), error.status(),
          error.code().wire(), error.message());
    } else {
      log.debug("request {} {} {} answered {} {}", id, ctx.request().method(), ctx.request().path(), error.status(),
          error.code().wire());
    }
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) return;
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
    if (error.code().retryLater()) response.putHeader("Retry-After", String.valueOf(retryAfter));
    JsonObject body = error.toJson();
    if (id != null) body.put("request_id", id);
    response.end(body.toBuffer());
  }

  void error(RoutingContext ctx, ErrorCode code, String message) {
    error(ctx, ApiError.of(code, message));
  }

  /** The router's own refusals (no route, wrong method or media type, body too large, a handler threw). */
  void mountErrorHandlers(Router router, int bodyLimitBytes) {
    // Vert.x's own 400s (a path it cannot decode, ...) would otherwise be a bare "Bad Request".
    router.errorHandler(400, ctx -> error(ctx, ErrorCode.VALIDATION_FAILED, "the request is malformed"));
    router.errorHandler(416, ctx -> error(ctx, ErrorCode.RANGE_NOT_SATISFIABLE, "the requested range is outside the file"));
    router.errorHandler(404, ctx -> error(ctx, ErrorCode.NOT_FOUND, "no such resource: " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(415, ctx -> error(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "send application/json (a frame or an array of frames) or application/x-ndjson (a frame per line)"));
    router.errorHandler(413, ctx -> error(ctx, ErrorCode.PAYLOAD_TOO_LARGE,
        "the body is larger than " + bodyLimitBytes + " bytes; send smaller batches"));
    router.errorHandler(500, ctx -> {
      // The trace goes to the log under the request's id; the client gets the id, never the trace.
      if (ctx.failure() != null) log.error("request {} {} {} failed", SecurityHandlers.requestId(ctx),
          ctx.request().method(), ctx.request().path(), ctx.failure());
      error(ctx, ErrorCode.INTERNAL_ERROR, "the gateway failed to answer");
    });
  }
}
