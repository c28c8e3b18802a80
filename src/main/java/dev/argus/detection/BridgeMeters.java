package dev.argus.detection;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge's meters, each created once (by reason on first use): tasks made and frames folded into a
 * held task.
 */
public final class BridgeMeters {
  private final MeterRegistry registry;
  private final Map<FrameGate.Reason, Counter> tasks = new ConcurrentHashMap<>();
  private final Counter coalesced;

  public BridgeMeters(MeterRegistry registry) {
    this.registry = registry;
    coalesced = Counter.builder(MetricNames.TASKS_COALESCED).register(registry);
  }

  void taskMade(FrameGate.Reason reason) {
    tasks.computeIfAbsent(reason, r -> Counter.builder(MetricNames.TASKS).tag(MetricNames.TAG_REASON, r.wire())
        .register(registry)).increment();
  }

  void frameHeld() {
    coalesced.increment();
  }
}
