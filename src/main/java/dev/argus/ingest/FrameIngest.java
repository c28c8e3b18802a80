package dev.argus.ingest;

import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PublishException;
import dev.argus.backbone.Publisher;
import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import dev.argus.model.FieldError;
import dev.argus.model.FrameParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

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

  public FrameIngest(Vertx vertx, Publisher publisher, String topic, long ackTimeoutMs, IngestMeters meters,
                     LongSupplier clock) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.topic = topic;
    this.ackTimeoutMs = ackTimeoutMs;
    this.meters = meters;
    this.clock = clock;
  }

  /** A frame that passed validation, with the bytes to forward. */
  public record Valid(Detection detection, JsonObject json, FrameBody.Part part) {}

  /** Every error of every frame; an empty list means the whole batch is valid. */
  public static List<FieldError> validate(List<FrameBody.Part> parts, List<Valid> valid) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      FrameBody.Part part = parts.get(i);
      FrameParser.Result r = FrameParser.parse(part.json(), i);
      if (r.ok()) valid.add(new Valid(r.detection(), (JsonObject) part.json(), part));
      else errors.addAll(r.errors());
    }
    return errors;
  }

  /**
   * Produces the frames; succeeds once all were acknowledged. Fails with {@link PublishException} when
   * the backbone refused them or did not acknowledge within the ack timeout.
   */
  public Future<Integer> produce(List<Valid> frames) {
    long acceptedAt = clock.getAsLong();
    List<OutboundRecord> records = new ArrayList<>(frames.size());
    for (Valid f : frames) records.add(new OutboundRecord(topic, f.detection().cameraId(), f.part().bytes()));
    return publisher.send(records)
        .timeout(ackTimeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof TimeoutException
            ? new PublishException(PublishException.Kind.UNAVAILABLE,
                "the backbone did not acknowledge within " + ackTimeoutMs + " ms", err)
            : err))
        .map(v -> {
          long ackedAt = clock.getAsLong();
          for (Valid f : frames) {
            meters.accepted(f.detection(), acceptedAt, ackedAt);
            vertx.eventBus().publish(BusAddresses.DETECTIONS, f.json());
          }
          return frames.size();
        });
  }
}
