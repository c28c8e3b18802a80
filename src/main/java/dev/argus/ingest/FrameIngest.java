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
 * anything is produced, produce the frames' original bytes keyed by camera, publish them live as the
 * backbone takes them, and once it acknowledged them, count them (the producer's answer waits for that).
 *
 * <p>Live frames do not wait for the ack: the browsers' view is a tap on what cameras send now (throttled per
 * camera, lossy by design), and the ack costs the producer's linger plus a broker round trip (about 5 ms at
 * the median, 13 ms at p99 on the benchmark machine), more than the whole 10 ms the live view promises. A
 * frame the broker then fails to acknowledge was on screen although its producer got a 503; the producer sends
 * it again with the same {@code frame_id}. A batch the backbone refuses outright (overloaded, closed) is not
 * published.
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
    List<Detection> detections = new ArrayList<>(frames.size());
    for (Valid f : frames) {
      records.add(new OutboundRecord(topic, f.detection().cameraId(), f.bytes()));
      detections.add(f.detection());
    }
    IngestMeters.Accepting accounting = meters.accepting(detections, acceptedAt);
    Future<Void> sent = publisher.send(records);
    if (livePublish && !sent.failed()) publishLive(frames);
    return sent
        .timeout(ackTimeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof TimeoutException
            ? new PublishException(PublishException.Kind.UNAVAILABLE,
                "the backbone did not acknowledge within " + ackTimeoutMs + " ms", err)
            : err))
        .map(v -> {
          meters.acked(System.nanoTime() - handedOverNs);
          accounting.acked(clock.getAsLong());
          return frames.size();
        });
  }

  private void publishLive(List<Valid> frames) {
    String stamp = LiveStamp.nowMicros();
    for (Valid f : frames) {
      // The frame's bytes as sent, not a tree: the SockJS bridge decodes only the frames its per-browser
      // throttle lets through (LiveFrame).
      vertx.eventBus().publish(BusAddresses.DETECTIONS, f.bytes(), LiveFrame.options(f.detection().cameraId(), stamp));
    }
  }
}
