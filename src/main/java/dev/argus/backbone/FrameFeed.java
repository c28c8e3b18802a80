package dev.argus.backbone;

import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import dev.argus.model.FrameReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.buffer.Buffer;

/**
 * Every frame of the cameras this instance owns, for the side views of {@code detection-results} (tracks,
 * camera health): read from the topic in a consumer group of the view's own, so it takes nothing from the
 * bridge. In direct mode a topic has one consumer (the bridge), so there the frames come from the local
 * live bus that ingest publishes on (one process: every frame). A frame that cannot be read is skipped: a
 * side view does not dead-letter what the bridge already does.
 */
public final class FrameFeed {
  /** Handles one frame and its arrival time (the record's timestamp, else now); the record is done when the future is. */
  @FunctionalInterface
  public interface Handler {
    Future<?> handle(Detection frame, long arrivalMs);
  }

  private final Stage<Detection> stage;
  private final MessageConsumer<Buffer> live;
  private final Publisher directPublisher;

  private FrameFeed(Stage<Detection> stage, MessageConsumer<Buffer> live, Publisher directPublisher) {
    this.stage = stage;
    this.live = live;
    this.directPublisher = directPublisher;
  }

  public static Future<FrameFeed> start(Vertx vertx, Backbone backbone, SubscriptionSpec spec, String stageName, Handler onFrame) {
    if ("direct".equals(backbone.mode())) {
      // The live frames are the bytes the camera sent (LiveFrame), read in one pass like the topic's records.
      MessageConsumer<Buffer> live = vertx.eventBus().localConsumer(BusAddresses.DETECTIONS, msg -> {
        Detection d = FrameReader.detectionOrNull(msg.body());
        if (d != null) onFrame.handle(d, System.currentTimeMillis());
      });
      return live.completion().map(v -> new FrameFeed(null, live, backbone.publisher(vertx)));
    }
    return Stage.start(vertx, backbone, spec, stageName, r -> FrameReader.detectionOrNull(r.value()),
            (Detection d, InboundRecord r) -> d == null ? Future.succeededFuture()
                : onFrame.handle(d, r.timestampMs() > 0 ? r.timestampMs() : System.currentTimeMillis()))
        .map(s -> new FrameFeed(s, null, null));
  }

  /** Whether this instance owns the camera (its partition; in direct mode, every camera). */
  public boolean owns(String camera) {
    return stage == null || stage.owns(camera);
  }

  /** Where the view writes what it derives (alerts). */
  public Publisher publisher() {
    return stage != null ? stage.publisher() : directPublisher;
  }

  public Future<Void> stop() {
    return stage != null ? stage.stop() : live.unregister();
  }
}
