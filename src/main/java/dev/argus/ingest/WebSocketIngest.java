package dev.argus.ingest;

import dev.argus.model.ApiError;
import dev.argus.model.FieldError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket ingestion connection: a frame per text message, answered in order with
 * {@code {"seq": n, "status": "accepted"}} or an error object carrying the same {@code seq} (1-based
 * message number on this connection). Frames are produced as soon as they arrive; only the answers
 * are serialised. Reading pauses while too many frames await their ack or the socket cannot write.
 */
final class WebSocketIngest {
  private final ServerWebSocket ws;
  private final FrameIngest ingest;
  private final int maxInFlight;
  private final java.util.function.BooleanSupplier draining;
  private Future<Void> lastAnswer = Future.succeededFuture();
  private long seq;
  private int inFlight;
  private boolean paused;

  WebSocketIngest(ServerWebSocket ws, FrameIngest ingest, int maxInFlight, java.util.function.BooleanSupplier draining) {
    this.ws = ws;
    this.ingest = ingest;
    this.maxInFlight = maxInFlight;
    this.draining = draining;
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> answer(++seq, Future.succeededFuture(
        error(ApiError.of(415, "unsupported_media_type", "send frames as text messages holding JSON")))));
    ws.drainHandler(v -> maybeResume());
  }

  private void onText(String text) {
    long n = ++seq;
    if (draining.getAsBoolean()) {
      answer(n, Future.succeededFuture(error(ApiError.of(503, "backbone_unavailable", "the gateway is shutting down"))));
      return;
    }
    List<FrameIngest.Valid> valid = new ArrayList<>(1);
    List<FieldError> errors;
    try {
      errors = FrameIngest.validate(FrameBody.json(Buffer.buffer(text)).subList(0, 1), valid);
    } catch (FrameBody.MalformedException e) {
      errors = List.of(e.error());
    }
    if (!errors.isEmpty()) {
      answer(n, Future.succeededFuture(error(ApiError.validation("the frame is invalid", errors))));
      return;
    }
    inFlight++;
    if (inFlight >= maxInFlight) pause();
    Future<JsonObject> outcome = ingest.produce(valid)
        .map(accepted -> new JsonObject().put("status", "accepted"))
        .recover(err -> Future.succeededFuture(error(IngestVerticle.publishError(err))))
        .andThen(ar -> {
          inFlight--;
          maybeResume();
        });
    answer(n, outcome);
  }

  private JsonObject error(ApiError e) {
    ingest.rejected(e.code());
    return e.toJson();
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
