package dev.argus.ingest;

import dev.argus.metrics.StageTimers;
import dev.argus.model.Detection;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ingest meters, created once per HTTP server instance: frames accepted (by camera and model),
 * writes refused (by error code) and {@code detection_latency_seconds}. Label values stay bounded:
 * past {@link #MAX_CAMERA_LABELS} cameras or {@link #MAX_MODEL_LABELS} models, the rest count as
 * {@code "_other"}.
 */
public final class IngestMeters {
  static final int MAX_CAMERA_LABELS = 5000;
  static final int MAX_MODEL_LABELS = 100;
  static final String OTHER = "_other";

  private final MeterRegistry registry;
  private final Timer detectionLatency;
  private final StageTimers stages;
  /** Frame counters by camera, then model. */
  private final Map<String, Map<String, Counter>> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Set<String> cameras = ConcurrentHashMap.newKeySet();
  private final Set<String> models = ConcurrentHashMap.newKeySet();

  public IngestMeters(MeterRegistry registry) {
    this.registry = registry;
    this.detectionLatency = Timer.builder(MetricNames.DETECTION_LATENCY)
        .description("From a frame's detection time (its timestamp, else its acceptance) to its durable acceptance")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2)).register(registry);
    this.stages = new StageTimers(registry);
  }

  /** A request's (or WebSocket message's) frames were acknowledged by the backbone {@code nanos} after it handed them over. */
  public void acked(long nanos) {
    stages.record(MetricNames.StageTimes.INGEST_ACK, nanos);
  }

  /**
   * One frame made durable: counts it and records how long after its detection the backbone acknowledged
   * it. A producer clock ahead of ours would give a negative time; that counts as zero.
   */
  public void accepted(Detection d, long acceptedAtMs, long ackedAtMs) {
    accepting(List.of(d), acceptedAtMs).acked(ackedAtMs);
  }

  /**
   * The accounting of one write's frames, accepted at {@code acceptedAtMs} (the detection time of frames without
   * a timestamp), prepared when they are handed to the backbone and applied by
   * {@link Accepting#acked} once it acknowledged them. The label lookups run while the frames are still in
   * the CPU's cache (just read); done after the ack, milliseconds and other requests later, the per-frame
   * loop took about a sixth of the ingest event loop's samples (JFR, 100-frame batches). A write that then
   * fails leaves its cameras' counters registered, unchanged.
   */
  public Accepting accepting(List<Detection> frames, long acceptedAtMs) {
    Counter[] counters = new Counter[frames.size()];
    long[] detectedAt = new long[frames.size()];
    for (int i = 0; i < counters.length; i++) {
      Detection d = frames.get(i);
      counters[i] = counter(d);
      detectedAt[i] = d.timestampOr(acceptedAtMs);
    }
    return new Accepting(counters, detectedAt);
  }

  /** See {@link #accepting}. */
  public final class Accepting {
    private final Counter[] counters;
    private final long[] detectedAt;

    private Accepting(Counter[] counters, long[] detectedAt) {
      this.counters = counters;
      this.detectedAt = detectedAt;
    }

    /** The backbone acknowledged the frames at {@code ackedAtMs}. */
    public void acked(long ackedAtMs) {
      for (int i = 0; i < counters.length; i++) {
        counters[i].increment();
        detectionLatency.record(Math.max(0, ackedAtMs - detectedAt[i]), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The smoothed delay of one ingest event loop ({@code loop}: its thread), read from its guard. */
  public void loopDelay(String loop, OverloadGuard guard) {
    io.micrometer.core.instrument.Gauge.builder(MetricNames.INGEST_LOOP_DELAY, guard, g -> g.delayMs() / 1000.0)
        .description("How late the ingest event loop runs, smoothed; past http.maxLoopDelayMs writes get 503 overloaded")
        .tag(MetricNames.TAG_LOOP, loop).register(registry);
  }

  /** A refused write; {@code code} is an API error code, a bounded set. */
  public void rejected(String code) {
    rejected.computeIfAbsent(code, c -> Counter.builder(MetricNames.INGEST_REJECTED)
        .description("Ingest requests or WebSocket frames refused, by error code")
        .tag(MetricNames.TAG_REASON, c).register(registry)).increment();
  }

  private Counter counter(Detection d) {
    String camera = bounded(cameras, d.cameraId(), MAX_CAMERA_LABELS);
    String model = bounded(models, d.modelType() == null ? "unknown" : d.modelType(), MAX_MODEL_LABELS);
    // Camera, then model: no key string is built per frame (and hashed) to find a counter that exists.
    Map<String, Counter> byModel = accepted.get(camera);
    if (byModel == null) byModel = accepted.computeIfAbsent(camera, c -> new ConcurrentHashMap<>());
    Counter c = byModel.get(model);
    if (c != null) return c;
    return byModel.computeIfAbsent(model, m -> Counter.builder(MetricNames.DETECTIONS)
        .description("Frames accepted by ingest").tag(MetricNames.TAG_CAMERA, camera)
        .tag(MetricNames.TAG_MODEL_TYPE, m).register(registry));
  }

  private static String bounded(Set<String> known, String value, int max) {
    if (known.contains(value)) return value;
    if (known.size() >= max) return OTHER;
    known.add(value);
    return value;
  }
}
