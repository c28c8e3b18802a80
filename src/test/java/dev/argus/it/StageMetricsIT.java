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

  /**
   * Issue 14 point 6: one frame through the pipeline, watched over SockJS, is timed in every stage of
   * argus_stage_seconds; the live messages reach the browser without the publish stamp the live_push timer reads.
   */
  @Test
  void aFrameIsTimedInEveryStageAndTheLiveStampNeverReachesTheBrowser() throws Exception {
    try (Gateway gw = Gateway.start(Gateway.onTestKafka()
        .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0)));
         SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.detections");
      bus.register("argus.assessments");
      String frame = "{\"camera_id\":\"stage-times-1\",\"frame_id\":1,\"detections\":"
          + "[{\"label\":\"fire\",\"confidence\":0.9,\"bbox\":[0,0,10,10]}]}";
      assertEquals(202, gw.post("/api/v1/detections", "application/json", frame).statusCode());
      JsonObject live = bus.next("argus.detections", 30);
      JsonObject assessment = bus.next("argus.assessments", 60);
      assertEquals("stage-times-1", live.getJsonObject("body").getString("camera_id"));
      assertEquals("stage-times-1", assessment.getJsonObject("body").getString("camera_id"));
      assertFalse(live.containsKey("headers"), "the live stamp is stripped: " + live);
      assertFalse(assessment.containsKey("headers"), "the live stamp is stripped: " + assessment);
      // Every stage this frame passes counted (no LLM keys here: the rules answer, so no llm_call or
      // task_queue, whose series exist from the start all the same). The aggregate stage is recorded just
      // after the live publish: polled, not read once.
      List<String> stages = List.of("ingest_ack", "bridge", "aggregate", "live_push");
      String metrics = "";
      List<String> missing = stages;
      for (int i = 0; i < 300 && !missing.isEmpty(); i++) {
        String m = gw.get("/metrics").body();
        metrics = m;
        missing = stages.stream().filter(st -> m.lines()
            .filter(l -> l.startsWith("argus_stage_seconds_count{stage=\"" + st + "\"}"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() < 1).toList();
        if (!missing.isEmpty()) TimeUnit.MILLISECONDS.sleep(100);
      }
      assertTrue(missing.isEmpty(), "stages never timed: " + missing);
      assertTrue(metrics.contains("argus_stage_seconds_count{stage=\"task_queue\"}"), "every stage's series exists from the start");
      assertTrue(metrics.contains("argus_stage_seconds_count{stage=\"llm_call\"}"), "every stage's series exists from the start");
    }
  }
}
