package dev.argus.metrics;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-stage timers ({@code argus_stage_seconds{stage}}, stages in {@link MetricNames.StageTimes}): where a
 * detection's time goes, ingest to browser. Every stage's timer exists from the start (a stage that never ran
 * reads 0, not absent). Instances are cheap: Micrometer hands every instance the same meters.
 */
public final class StageTimers {
  private final Map<String, Timer> timers = new HashMap<>();

  public StageTimers(MeterRegistry registry) {
    for (String stage : MetricNames.StageTimes.ALL) {
      timers.put(stage, Timer.builder(MetricNames.STAGE_SECONDS)
          .description("Time a detection spends in each pipeline stage (see the README's latency section)")
          .tag(MetricNames.TAG_STAGE, stage).publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofMinutes(2)).register(registry));
    }
  }

  /** Records {@code nanos} for {@code stage} (one of {@link MetricNames.StageTimes}); a negative time (clocks apart) counts as 0. */
  public void record(String stage, long nanos) {
    Timer t = timers.get(stage);
    if (t == null) throw new IllegalArgumentException("unknown stage " + stage);
    t.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** As {@link #record}, between two wall-clock times in milliseconds (Kafka record timestamps). */
  public void recordMillis(String stage, long fromMs, long toMs) {
    record(stage, TimeUnit.MILLISECONDS.toNanos(toMs - fromMs));
  }
}
