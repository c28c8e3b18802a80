package dev.argus.ingest;

import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PublishException;
import dev.argus.backbone.Publisher;
import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import dev.argus.model.FieldError;
import dev.argus.model.FrameParser;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What both ingestion paths (HTTP and WebSocket) do with frames: validate a whole batch before
 * anything is produced, produce the frames' original bytes keyed by camera, and once the backbone
 * acknowledged them, count them and publish them live.
 */
final class FrameIngest {
  private final Vertx vertx;
  private final Publisher publisher;
  private final String topic;
  private final long ackTimeoutMs;
  private final Map<String, Counter> counters = new HashMap<>();

  private final MeterRegistry registry;

  FrameIngest(Vertx vertx, Publisher publisher, String topic, long ackTimeoutMs, MeterRegistry registry) {
    this.registry = registry;
    this.vertx = vertx;
    this.publisher = publisher;
    this.topic = topic;
    this.ackTimeoutMs = ackTimeoutMs;
  }

  /** A frame that passed validation, with the bytes to forward. */
  record Valid(Detection detection, JsonObject json, FrameBody.Part part) {}

  /** Every error of every frame; an empty list means the whole batch is valid. */
  static List<FieldError> validate(List<FrameBody.Part> parts, List<Valid> valid) {
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
  Future<Integer> produce(List<Valid> frames) {
    List<OutboundRecord> records = new ArrayList<>(frames.size());
    for (Valid f : frames) records.add(new OutboundRecord(topic, f.detection().cameraId(), f.part().bytes()));
    return publisher.send(records)
        .timeout(ackTimeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof TimeoutException
            ? new PublishException(PublishException.Kind.UNAVAILABLE,
                "the backbone did not acknowledge within " + ackTimeoutMs + " ms", err)
            : err))
        .map(v -> {
          for (Valid f : frames) {
            counter(f.detection()).increment();
            vertx.eventBus().publish(BusAddresses.DETECTIONS, f.json());
          }
          return frames.size();
        });
  }

  int pending() {
    return publisher.pending();
  }

  private Counter counter(Detection d) {
    String camera = cameraLabel(d.cameraId());
    String model = labelValue(d.modelType() == null ? "unknown" : d.modelType());
    return counters.computeIfAbsent(camera + '\u0000' + model, k -> Counter.builder(MetricNames.DETECTIONS)
        .description("Frames accepted by ingest").tag(MetricNames.TAG_CAMERA, camera)
        .tag(MetricNames.TAG_MODEL_TYPE, model).register(registry));
  }

  /** {@code argus_ingest_rejected_total{reason}}: writes refused, by error code (a bounded set). */
  void rejected(String code) {
    Counter.builder(MetricNames.INGEST_REJECTED).description("Ingest requests or WebSocket frames refused, by error code")
        .tag(MetricNames.TAG_REASON, code).register(registry).increment();
  }

  /** Label values stay bounded: past {@link #MAX_CAMERA_LABELS} distinct cameras, the rest count as "_other". */
  static final int MAX_CAMERA_LABELS = 5000;
  private static final java.util.Set<String> CAMERA_LABELS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static String cameraLabel(String cameraId) {
    if (CAMERA_LABELS.contains(cameraId)) return cameraId;
    if (CAMERA_LABELS.size() >= MAX_CAMERA_LABELS) return "_other";
    CAMERA_LABELS.add(cameraId);
    return cameraId;
  }

  private static final java.util.Set<String> MODEL_LABELS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static String labelValue(String model) {
    if (MODEL_LABELS.contains(model) || MODEL_LABELS.size() < 100 && MODEL_LABELS.add(model)) return model;
    return "_other";
  }
}
