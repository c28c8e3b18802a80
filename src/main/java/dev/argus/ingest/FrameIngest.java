package dev.argus.ingest;

import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PublishException;
import dev.argus.backbone.Publisher;
import dev.argus.metrics.LiveFrame;
import dev.argus.metrics.LiveStamp;
import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * What both ingestion paths (HTTP and WebSocket) do with frames: validate a whole batch before
 * anything is produced, produce the frames' original bytes keyed by camera, and once the backbone
 * acknowledged them, count them and publish them live.
 */
public final class FrameIngest {
  private final Vertx vertx;
  private final Publisher publisher;
  private final String topic;
  private final long ackTimeoutMs;
  private final IngestMeters meters;
  private final LongSupplier clock;
  private final boolean livePublish;

  public FrameIngest(Vertx vertx, Publisher publisher, String topic, long ackTimeoutMs, IngestMeters meters,
                     LongSupplier clock) {
    this(vertx, publisher, topic, ackTimeoutMs, meters, clock, true);
  }

  /** {@code livePublish}: publish accepted frames on the event bus for browsers (off on nodes without the dashboard). */
  public FrameIngest(Vertx vertx, Publisher publisher, String topic, long ackTimeoutMs, IngestMeters meters,
                     LongSupplier clock, boolean livePublish) {
    this.livePublish = livePublish;
    this.vertx = vertx;
    this.publisher = publisher;
    this.topic = topic;
    this.ackTimeoutMs = ackTimeoutMs;
    this.meters = meters;
    this.clock = clock;
  }

  /** A frame that passed validation ({@link FrameBody}), with its original bytes, which are what is produced. */
  public record Valid(Detection detection, Buffer bytes) {}

  /**
   * Produces the frames; succeeds once all were acknowledged. Fails with {@link PublishException} when
   * the backbone refused them or did not acknowledge within the ack timeout.
   */
  public Future<Integer> produce(List<Valid> frames) {
    long acceptedAt = clock.getAsLong();
    long handedOverNs = System.nanoTime();
    List<OutboundRecord> records = new ArrayList<>(frames.size());
    for (Valid f : frames) records.add(new OutboundRecord(topic, f.detection().cameraId(), f.bytes()));
    return publisher.send(records)
        .timeout(ackTimeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof TimeoutException
            ? new PublishException(PublishException.Kind.UNAVAILABLE,
                "the backbone did not acknowledge within " + ackTimeoutMs + " ms", err)
            : err))
        .map(v -> {
          long ackedAt = clock.getAsLong();
          meters.acked(System.nanoTime() - handedOverNs);
          String stamp = livePublish ? LiveStamp.nowMicros() : null;
          for (Valid f : frames) {
            meters.accepted(f.detection(), acceptedAt, ackedAt);
            // The frame's bytes as sent, not a tree: the SockJS bridge decodes only the frames its per-browser
            // throttle lets through (LiveFrame).
            if (livePublish) {
              vertx.eventBus().publish(BusAddresses.DETECTIONS, f.bytes(), LiveFrame.options(f.detection().cameraId(), stamp));
            }
          }
          return frames.size();
        });
  }
}
