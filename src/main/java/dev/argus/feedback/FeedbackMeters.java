package dev.argus.feedback;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How assessments fare against operators, per model: verdicts by agreement, the confusion matrix of
 * levels (assessed x operator), and the running mean absolute error of risk scores. Labels are model
 * names (configured) and fixed level/agreement sets, so they stay bounded. One instance per process
 * (every HTTP instance records into it); thread-safe.
 */
public final class FeedbackMeters {
  /** Running totals of one model, also the source of the periodic summary. */
  private static final class ModelTally {
    final Map<String, Long> agreements = new TreeMap<>();
    long verdicts;
    double errorSum;

    synchronized void add(Verdict v) {
      agreements.merge(v.agreement(), 1L, Long::sum);
      verdicts++;
      errorSum += v.absoluteError();
    }

    synchronized double mae() {
      return verdicts == 0 ? 0 : errorSum / verdicts;
    }

    synchronized JsonObject toJson() {
      JsonObject a = new JsonObject();
      agreements.forEach(a::put);
      double agree = agreements.getOrDefault(Verdict.AGREE, 0L);
      return new JsonObject().put("verdicts", verdicts).put("agreement", a)
          .put("agreement_rate", verdicts == 0 ? 0 : agree / verdicts).put("mean_absolute_error", mae());
    }
  }

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, ModelTally> tallies = new ConcurrentHashMap<>();

  public FeedbackMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One verdict on an assessment made by {@code model} ({@code rules} or {@code unknown} when no LLM judged). */
  public void record(String model, Verdict v) {
    String m = model == null || model.isEmpty() ? "unknown" : model;
    counter(MetricNames.FEEDBACK, m, MetricNames.TAG_AGREEMENT, v.agreement(), null, null).increment();
    counter(MetricNames.FEEDBACK_LEVELS, m, MetricNames.TAG_ASSESSED, v.assessed().wire(),
        MetricNames.TAG_OPERATOR, v.operatorLevel()).increment();
    tallies.computeIfAbsent(m, k -> {
      ModelTally t = new ModelTally();
      Gauge.builder(MetricNames.FEEDBACK_MAE, t, ModelTally::mae)
          .description("Mean absolute error of risk_score against the operator's level as a score, per model")
          .tag(MetricNames.TAG_MODEL, k).register(registry);
      return t;
    }).add(v);
  }

  private Counter counter(String name, String model, String k1, String v1, String k2, String v2) {
    return counters.computeIfAbsent(name + '\u0000' + model + '\u0000' + v1 + '\u0000' + v2, key -> {
      Counter.Builder b = Counter.builder(name).tag(MetricNames.TAG_MODEL, model).tag(k1, v1);
      if (k2 != null) b.tag(k2, v2);
      return b.description(name.equals(MetricNames.FEEDBACK) ? "Operator verdicts on assessments, by model and agreement"
          : "Operator verdicts by assessed and operator level (a confusion matrix), per model").register(registry);
    });
  }

  /** {@code {"<model>": {"verdicts", "agreement": {...}, "agreement_rate", "mean_absolute_error"}}} */
  public JsonObject summary() {
    JsonObject out = new JsonObject();
    new TreeMap<>(tallies).forEach((m, t) -> out.put(m, t.toJson()));
    return out;
  }
}
