package dev.argus.detection;

import dev.argus.metrics.StageTimers;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge's meters, each created once (by reason on first use): tasks made and frames folded into a
 * held task.
 */
public final class BridgeMeters {
  private final MeterRegistry registry;
  private final StageTimers stages;
  private final Map<FrameGate.Reason, Counter> tasks = new ConcurrentHashMap<>();
  private final Counter coalesced;
  private volatile FrameGate gate;

  public BridgeMeters(MeterRegistry registry) {
    this.stages = new StageTimers(registry);
    this.registry = registry;
    coalesced = Counter.builder(MetricNames.TASKS_COALESCED).register(registry);
    FunctionCounter.builder(MetricNames.BRIDGE_CAMERAS_FORGOTTEN, this, m -> m.gate == null ? 0 : m.gate.forgotten())
        .register(registry);
  }

  void taskMade(FrameGate.Reason reason) {
    tasks.computeIfAbsent(reason, r -> Counter.builder(MetricNames.TASKS).tag(MetricNames.TAG_REASON, r.wire())
        .register(registry)).increment();
  }

  /** The bridge's gate, whose count of forgotten cameras the counter reads when scraped. */
  void watch(FrameGate gate) {
    this.gate = gate;
  }

  void frameHeld() {
    coalesced.increment();
  }

  /** A task acknowledged: from its frame's record timestamp (set by ingest's producer) to now. */
  public void taskProduced(long frameRecordTimeMs, long nowMs) {
    stages.recordMillis(MetricNames.StageTimes.BRIDGE, frameRecordTimeMs, nowMs);
  }
}
