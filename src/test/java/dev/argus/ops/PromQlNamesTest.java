package dev.argus.ops;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromQlNamesTest {

  @Test
  void aBareSelectorIsItsName() {
    assertEquals(Set.of("llm_key_state"), PromQlNames.of("llm_key_state{state=\"disabled\"} == 1"));
  }

  @Test
  void functionsGroupingLabelsRangesAndVariablesAreNotNames() {
    assertEquals(Set.of("llm_latency_seconds_bucket"), PromQlNames.of(
        "histogram_quantile(0.95, sum by (job, instance, le) (rate(llm_latency_seconds_bucket{job=~\"$job\",instance=~\"$instance\"}[$__rate_interval]))) > 10"));
  }

  @Test
  void bothSidesOfABinaryOperatorAreRead() {
    assertEquals(Set.of("api_key_success_rate", "llm_key_state"), PromQlNames.of(
        "api_key_success_rate < 0.95 unless on (job, instance, api_key_id) (llm_key_state{state=\"disabled\"} == 1)"));
  }

  @Test
  void aGroupingClauseAfterTheAggregationAndAnOffsetAreSkipped() {
    assertEquals(Set.of("argus_dlq_total"), PromQlNames.of("sum(increase(argus_dlq_total[10m] offset 5m)) by (topic, reason) > 0"));
  }

  @Test
  void vectorLiteralsAreNotNames() {
    assertEquals(Set.of("argus_alerts_total"), PromQlNames.of(
        "(sum(argus_alerts_total{status=\"open\"}) or vector(0)) - (sum(argus_alerts_total{status=\"resolved\"}) or vector(0))"));
  }
}
