package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The stage metrics of issue 11 on the real Kafka backbone: published, processing time, lag in seconds. */
class StageMetricsIT {

  /** Polls {@code /metrics} until every line fragment appears (the lag gauges appear after the first lag probe). */
  private static String metricsWith(Gateway gw, List<String> fragments) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String metrics = "";
    while (System.nanoTime() < deadline) {
      metrics = gw.get("/metrics").body();
      String m = metrics;
      if (fragments.stream().allMatch(m::contains)) return metrics;
      Thread.sleep(200);
    }
    String last = metrics;
    fail("missing " + fragments.stream().filter(f -> !last.contains(f)).toList());
    return metrics;
  }

  @Test
  void aFrameThroughThePipelineIsCountedPublishedTimedPerStageAndItsGroupsReportLagInSeconds() throws Exception {
    try (Gateway gw = Gateway.start(Gateway.onTestKafka()
        .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0)))) {
      String frame = "{\"camera_id\":\"stage-metrics-1\",\"frame_id\":1,\"detections\":"
          + "[{\"label\":\"fire\",\"confidence\":0.9,\"bbox\":[0,0,10,10]}]}";
      assertEquals(202, gw.post("/api/v1/detections", "application/json", frame).statusCode());
      String detections = gw.topic("detections");
      String tasks = gw.topic("tasks");
      String metrics = metricsWith(gw, List.of(
          "kafka_events_published_total{event_type=\"dev.argus.detection\",topic=\"" + detections + "\"}",
          "kafka_events_published_total{event_type=\"dev.argus.task\",topic=\"" + tasks + "\"}",
          "kafka_event_processing_duration_seconds_count{stage=\"bridge\"}",
          "kafka_event_processing_duration_seconds_count{stage=\"aggregate\"}",
          "kafka_consumer_lag_seconds{group=\"" + gw.config.kafka().group("bridge") + "\",topic=\"" + detections + "\"}"));
      assertTrue(metrics.contains("kafka_event_processing_duration_seconds_bucket{stage=\"bridge\""), "a histogram");
    }
  }
}
