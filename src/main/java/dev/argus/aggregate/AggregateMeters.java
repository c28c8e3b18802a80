package dev.argus.aggregate;

import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.metrics.StageTimers;
import dev.argus.model.MetricNames;
import dev.argus.model.RiskLevel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The aggregator's meters, created once: assessments stored (by source and level), duplicates,
 * alert events (by level and status) and the pipeline latency. Labelled counters are made on first
 * use and cached; every label value is from a fixed list.
 */
public final class AggregateMeters {
  private final MeterRegistry registry;
  private final StageTimers stages;
  private final Map<String, Counter> assessments = new ConcurrentHashMap<>();
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
  private final Counter duplicates;
  private final Map<String, Counter> predictions = new ConcurrentHashMap<>();
  private final Counter statesRestored;
  private final Counter stateConflicts;
  private final Timer pipelineLatency;

  public AggregateMeters(MeterRegistry registry) {
    this.stages = new StageTimers(registry);
    this.registry = registry;
    duplicates = Counter.builder(MetricNames.ASSESSMENTS_DUPLICATE).register(registry);
    statesRestored = Counter.builder(MetricNames.ALERT_STATES_RESTORED)
        .description("Camera alert states with an open alert taken over from the store").register(registry);
    stateConflicts = Counter.builder(MetricNames.ALERT_STATE_CONFLICTS)
        .description("Camera alert states found written by another owner").register(registry);
    pipelineLatency = Timer.builder(MetricNames.PIPELINE_LATENCY)
        .description("From a frame's detection time to its assessment being published")
        .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
    // Every alert series exists from the start at 0: a rule or panel that names the metric finds it before
    // the first alert, and increase() counts the first one.
    for (RiskLevel level : RiskLevel.values()) {
      for (String status : Alert.STATUSES) alertCounter(level.wire(), status);
    }
    for (TrackPredictor.Outcome o : TrackPredictor.Outcome.values()) predictionCounter(TrackPredictor.RULE, o.wire());
    for (String o : List.of(AlertEngine.TREND_CONFIRMED, AlertEngine.TREND_WITHDRAWN)) predictionCounter(AlertEngine.RULE_TREND, o);
  }

  /** A new assessment stored; a source outside the known two is counted as rules (a fallback). */
  void stored(Assessment a) {
    String source = Assessment.SOURCE_LLM.equals(a.source()) ? Assessment.SOURCE_LLM : Assessment.SOURCE_RULES;
    String level = a.riskLevel().wire();
    assessments.computeIfAbsent(source + '\u0000' + level, k -> Counter.builder(MetricNames.ASSESSMENTS)
        .tag(MetricNames.TAG_SOURCE, source).tag(MetricNames.TAG_LEVEL, level).register(registry)).increment();
  }

  /** A predictive alert ended: it came true ({@code entered}) or was withdrawn; precision = entered / all. */
  void prediction(TrackPredictor.Outcome outcome) {
    predictionCounter(TrackPredictor.RULE, outcome.wire()).increment();
  }

  /** A risk-trend prediction ended: {@code confirmed} (high came within the horizon) or {@code withdrawn}. */
  void trendPrediction(String outcome) {
    predictionCounter(AlertEngine.RULE_TREND, outcome).increment();
  }

  private Counter predictionCounter(String rule, String outcome) {
    return predictions.computeIfAbsent(rule + '\u0000' + outcome, k -> Counter.builder(MetricNames.PREDICTIONS)
        .description("Predictive alerts that ended, by rule and outcome").tag(MetricNames.TAG_RULE, rule)
        .tag(MetricNames.TAG_OUTCOME, outcome).register(registry));
  }

  void alertStateRestored() {
    statesRestored.increment();
  }

  void alertStateConflict() {
    stateConflicts.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  /** An alert event published; statuses come from {@link Alert#STATUSES} only. */
  void alert(Alert alert) {
    if (!Alert.STATUSES.contains(alert.status())) return;
    alertCounter(alert.level().wire(), alert.status()).increment();
  }

  private Counter alertCounter(String level, String status) {
    return alerts.computeIfAbsent(level + '\u0000' + status, k -> Counter.builder(MetricNames.ALERTS)
        .description("Alert events published, by level and status")
        .tag(MetricNames.TAG_LEVEL, level).tag(MetricNames.TAG_STATUS, status).register(registry));
  }

  void published(long latencyMs) {
    pipelineLatency.record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
  }

  /** A result handled (stored and published, or found a duplicate): from its record's timestamp to now. */
  public void handled(long recordTimeMs, long nowMs) {
    stages.recordMillis(MetricNames.StageTimes.AGGREGATE, recordTimeMs, nowMs);
  }
}
