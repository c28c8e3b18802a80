package dev.argus.metrics;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveStampTest {
  @Test
  void theStampIsTakenOutOfTheMessageAndAnEmptyHeadersObjectWithIt() {
    JsonObject raw = new JsonObject().put("type", "rec").put("address", "argus.detections").put("body", new JsonObject())
        .put("headers", new JsonObject().put(LiveStamp.HEADER, "1700000000000123"));
    assertEquals(1_700_000_000_000_123L, LiveStamp.take(raw));
    assertFalse(raw.containsKey("headers"));
  }

  @Test
  void otherHeadersStay() {
    JsonObject raw = new JsonObject().put("headers", new JsonObject().put(LiveStamp.HEADER, "5").put("x", "y"));
    assertEquals(5, LiveStamp.take(raw));
    assertEquals(new JsonObject().put("x", "y"), raw.getJsonObject("headers"));
  }

  @Test
  void noStampOrABadOneReadsMinusOne() {
    assertEquals(-1, LiveStamp.take(new JsonObject().put("body", 1)));
    assertEquals(-1, LiveStamp.take(null));
    assertEquals(-1, LiveStamp.take(new JsonObject().put("headers", new JsonObject().put(LiveStamp.HEADER, "soon"))));
  }

  @Test
  void theOptionsCarryNowAndTheTimeSinceIsMeasuredFromIt() {
    Instant t = Instant.parse("2026-11-30T10:00:00.000500Z");
    long stamp = LiveStamp.micros(t);
    assertEquals(1_500_000, LiveStamp.nanosSince(stamp, t.plusNanos(1_500_000)));
    assertEquals(0, LiveStamp.nanosSince(stamp, t.minusSeconds(1)), "a clock behind the publisher's reads 0");
    long fresh = Long.parseLong(LiveStamp.now().getHeaders().get(LiveStamp.HEADER));
    assertTrue(Math.abs(fresh - LiveStamp.micros(Instant.now())) < TimeUnit.SECONDS.toMicros(5));
  }

  @Test
  void everyStageTimerExistsFromTheStartAndUnknownStagesAreRefused() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StageTimers timers = new StageTimers(registry);
    new StageTimers(registry).record(MetricNames.StageTimes.BRIDGE, 2_000_000);
    for (String stage : MetricNames.StageTimes.ALL) {
      assertTrue(registry.find(MetricNames.STAGE_SECONDS).tag(MetricNames.TAG_STAGE, stage).timer() != null, stage);
    }
    timers.recordMillis(MetricNames.StageTimes.AGGREGATE, 1000, 900);
    assertEquals(2, registry.get(MetricNames.STAGE_SECONDS).tag(MetricNames.TAG_STAGE, MetricNames.StageTimes.BRIDGE).timer()
        .totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(0, registry.get(MetricNames.STAGE_SECONDS).tag(MetricNames.TAG_STAGE, MetricNames.StageTimes.AGGREGATE).timer()
        .totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> timers.record("nope", 1));
  }
}
