package dev.argus.ingest;

import dev.argus.model.Detection;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class IngestMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IngestMeters meters = new IngestMeters(registry);

  private static Detection frame(String camera, Long timestampMs) {
    return new Detection(camera, "f", timestampMs, "yolo", null, List.of());
  }

  private Timer latency() {
    return registry.get(MetricNames.DETECTION_LATENCY).timer();
  }

  @Test
  void latencyRunsFromTheFramesTimestampToTheAck() {
    meters.accepted(frame("cam", 10_000L), 10_400, 10_750);
    assertEquals(1, latency().count());
    assertEquals(750, latency().totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void aFrameWithoutATimestampIsTimedFromItsAcceptance() {
    meters.accepted(frame("cam", null), 10_400, 10_750);
    assertEquals(350, latency().totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void aProducerClockAheadOfOursCountsAsZeroNotNegative() {
    meters.accepted(frame("cam", 20_000L), 10_400, 10_750);
    assertEquals(1, latency().count());
    assertEquals(0, latency().totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void acceptedFramesAreCountedByCameraAndModel() {
    meters.accepted(frame("cam-a", null), 0, 1);
    meters.accepted(frame("cam-a", null), 0, 1);
    meters.accepted(frame("cam-b", null), 0, 1);
    assertEquals(2, registry.get(MetricNames.DETECTIONS).tag(MetricNames.TAG_CAMERA, "cam-a")
        .tag(MetricNames.TAG_MODEL_TYPE, "yolo").counter().count());
    assertEquals(1, registry.get(MetricNames.DETECTIONS).tag(MetricNames.TAG_CAMERA, "cam-b").counter().count());
  }

  @Test
  void aWritesFramesCountOnlyOnceTheBackboneAcknowledgedThem() {
    IngestMeters.Accepting write = meters.accepting(List.of(frame("cam-a", 10_000L), frame("cam-b", null), frame("cam-a", 10_100L)), 10_400);
    assertEquals(0, registry.find(MetricNames.DETECTIONS).counters().stream().mapToDouble(Counter::count).sum());
    assertEquals(0, latency().count());

    write.acked(10_750);

    assertEquals(2, registry.get(MetricNames.DETECTIONS).tag(MetricNames.TAG_CAMERA, "cam-a").counter().count());
    assertEquals(1, registry.get(MetricNames.DETECTIONS).tag(MetricNames.TAG_CAMERA, "cam-b").counter().count());
    assertEquals(3, latency().count());
    assertEquals(750 + 350 + 650, latency().totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void camerasPastTheLabelCapCountAsOther() {
    for (int i = 0; i < IngestMeters.MAX_CAMERA_LABELS + 3; i++) meters.accepted(frame("cam-" + i, null), 0, 1);
    assertEquals(3, registry.get(MetricNames.DETECTIONS).tag(MetricNames.TAG_CAMERA, IngestMeters.OTHER).counter().count());
    assertEquals(IngestMeters.MAX_CAMERA_LABELS + 1, registry.find(MetricNames.DETECTIONS).counters().size());
  }

  @Test
  void refusalsAreCountedByErrorCode() {
    meters.rejected("validation_failed");
    meters.rejected("validation_failed");
    meters.rejected("overloaded");
    Counter invalid = registry.get(MetricNames.INGEST_REJECTED).tag(MetricNames.TAG_REASON, "validation_failed").counter();
    assertEquals(2, invalid.count());
    assertEquals(1, registry.get(MetricNames.INGEST_REJECTED).tag(MetricNames.TAG_REASON, "overloaded").counter().count());
  }
}
