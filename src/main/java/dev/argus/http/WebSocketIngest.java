package dev.argus.http;

import dev.argus.ingest.FrameBody;
import dev.argus.ingest.FrameIngest;
import dev.argus.ingest.IngestMeters;
import dev.argus.model.FieldError;
import dev.argus.quality.RejectedFrames;
import dev.argus.security.IngestToken;
import dev.argus.security.TokenRateLimits;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One WebSocket ingestion connection: a frame per text message, answered in order with
 * {@code {"seq": n, "status": "accepted"}} or an error object carrying the same {@code seq} (1-based
 * message number on this connection). Frames are produced as soon as they arrive; only the answers
 * are serialised. Reading pauses while too many frames await their ack or the socket cannot write.
 * Every error carries {@code request_id}, the id of the upgrade request (the caller's own
 * {@code X-Request-Id} on it, or one made for it), as HTTP errors do: with {@code seq} it names the
 * message in the gateway's log. Refused frames are reported to camera health like refused HTTP frames.
 */
final class WebSocketIngest {
  private static final Logger log = LoggerFactory.getLogger(WebSocketIngest.class);
  private final ServerWebSocket ws;
  private final FrameIngest ingest;
  private final int maxInFlight;
  private final BooleanSupplier draining;
  private final IngestMeters meters;
  private final IngestToken token;
  private final TokenRateLimits limits;
  private final EventBus bus;
  private final String requestId;
  private Future<Void> lastAnswer = Future.succeededFuture();
  private long seq;
  private int inFlight;
  private boolean paused;

  WebSocketIngest(ServerWebSocket ws, FrameIngest ingest, int maxInFlight, BooleanSupplier draining, IngestMeters meters,
                  IngestToken token, TokenRateLimits limits, EventBus bus, String requestId) {
    this.bus = bus;
    this.requestId = requestId;
    this.token = token;
    this.limits = limits;
    this.ws = ws;
    this.ingest = ingest;
    this.maxInFlight = maxInFlight;
    this.draining = draining;
    this.meters = meters;
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> {
      long n = ++seq;
      answer(n, Future.succeededFuture(error(n, ApiError.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send frames as text messages holding JSON"))));
    });
    ws.drainHandler(v -> maybeResume());
  }

  private void onText(String text) {
    long n = ++seq;
    if (draining.getAsBoolean()) {
      answer(n, Future.succeededFuture(error(n, IngestRoutes.shuttingDown())));
      return;
    }
    List<FrameIngest.Valid> valid = List.of();
    List<FieldError> errors;
    try {
      FrameBody.Scan scan = FrameBody.json(Buffer.buffer(text));
      errors = scan.errors();
      RejectedFrames.report(bus, scan.rejectedCameras(), System.currentTimeMillis());
      if (scan.ok()) valid = scan.valid().subList(0, Math.min(1, scan.valid().size()));
    } catch (FrameBody.MalformedException e) {
      errors = List.of(e.error());
    }
    if (errors.isEmpty() && valid.isEmpty()) errors = List.of(new FieldError(0, "", "a message must hold a frame"));
    if (!errors.isEmpty()) {
      answer(n, Future.succeededFuture(error(n, ApiError.validation("the frame is invalid", errors))));
      return;
    }
    IngestRoutes.Refusal refusal = IngestRoutes.refusal(token, valid, limits);
    if (refusal != null) {
      JsonObject body = error(n, refusal.error());
      if (refusal.retryAfterSeconds() > 0) body.put("retry_after_seconds", refusal.retryAfterSeconds());
      answer(n, Future.succeededFuture(body));
      return;
    }
    inFlight++;
    if (inFlight >= maxInFlight) pause();
    Future<JsonObject> outcome = ingest.produce(valid)
        .map(accepted -> new JsonObject().put("status", "accepted"))
        .recover(err -> Future.succeededFuture(error(n, IngestRoutes.publishError(err))))
        .andThen(ar -> {
          inFlight--;
          maybeResume();
        });
    answer(n, outcome);
  }

  private JsonObject error(long n, ApiError e) {
    meters.rejected(e.code().wire());
    if (e.status() >= 500) log.warn("request {} message {} answered {}: {}", requestId, n, e.code().wire(), e.message());
    else log.debug("request {} message {} answered {}", requestId, n, e.code().wire());
    JsonObject body = e.toJson();
    if (requestId != null) body.put("request_id", requestId);
    return body;
  }

  private void answer(long n, Future<JsonObject> outcome) {
    lastAnswer = lastAnswer.transform(prev -> outcome.compose(body -> {
      if (ws.isClosed()) return Future.succeededFuture();
      Future<Void> written = ws.writeTextMessage(new JsonObject().put("seq", n).mergeIn(body).encode());
      if (ws.writeQueueFull()) pause();
      return written.recover(err -> Future.succeededFuture());
    }));
  }

  private void pause() {
    if (!paused) {
      paused = true;
      ws.pause();
    }
  }

  private void maybeResume() {
    if (paused && inFlight < Math.max(1, maxInFlight / 2) && !ws.writeQueueFull()) {
      paused = false;
      ws.resume();
    }
  }
}
