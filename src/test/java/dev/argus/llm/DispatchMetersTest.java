package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DispatchMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DispatchMeters meters = new DispatchMeters(registry, List.of(
      new LlmKeySpec("a", "sk-a-SECRETSECRET", 1, 0, 0, 1, null, "own-model"),
      new LlmKeySpec("b", "sk-b-SECRETSECRET", 1, 0, 0, 1, null, null)), "default-model");

  @Test
  void everyKeyHasACounterPerOutcomeFromTheStartLabelledWithItsModel() {
    assertEquals(2 * CallOutcome.values().length, registry.find(MetricNames.LLM_REQUESTS).counters().size());
    assertEquals(CallOutcome.values().length,
        registry.find(MetricNames.LLM_REQUESTS).tag(MetricNames.TAG_MODEL, "own-model").counters().size());
    assertEquals(CallOutcome.values().length, registry.find(MetricNames.LLM_REQUESTS).tag(MetricNames.TAG_KEY, "b")
        .tag(MetricNames.TAG_MODEL, "default-model").counters().size());
  }

  @Test
  void aRequestIncrementsOnlyItsKeysOutcome() {
    meters.request("a", CallOutcome.TIMEOUT);
    assertEquals(1.0, registry.get(MetricNames.LLM_REQUESTS).tag(MetricNames.TAG_KEY, "a")
        .tag(MetricNames.TAG_STATUS, "timeout").counter().count());
    assertEquals(1.0, registry.find(MetricNames.LLM_REQUESTS).counters().stream().mapToDouble(c -> c.count()).sum());
  }

  @Test
  void theGaugesReadWhatTheyWereGiven() {
    meters.observe(() -> 3, () -> 7);
    meters.keys(Map.of("a", "cooling"), Map.of("a", 0.5));
    assertEquals(3.0, registry.get(MetricNames.LLM_INFLIGHT).gauge().value());
    assertEquals(7.0, registry.get(MetricNames.LLM_QUEUE_DEPTH).gauge().value());
    assertEquals(1.0, registry.get(MetricNames.LLM_KEY_STATE).tag(MetricNames.TAG_KEY, "a")
        .tag(MetricNames.TAG_STATE, "cooling").gauge().value());
    assertEquals(0.0, registry.get(MetricNames.LLM_KEY_STATE).tag(MetricNames.TAG_KEY, "a")
        .tag(MetricNames.TAG_STATE, "active").gauge().value());
    assertEquals(0.5, registry.get(MetricNames.API_KEY_SUCCESS_RATE).tag(MetricNames.TAG_KEY, "a").gauge().value());
  }
}
