package dev.argus.feedback;

import dev.argus.model.MetricNames;
import dev.argus.model.RiskLevel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FeedbackMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FeedbackMeters meters = new FeedbackMeters(registry);

  @Test
  void verdictsAreCountedPerModelAndAgreement() {
    meters.record("m1", new Verdict(RiskLevel.HIGH, 0.7, "high"));
    meters.record("m1", new Verdict(RiskLevel.HIGH, 0.7, "low"));
    meters.record("m2", new Verdict(RiskLevel.HIGH, 0.7, "high"));
    assertEquals(1, registry.get(MetricNames.FEEDBACK).tag("model", "m1").tag("agreement", "agree").counter().count());
    assertEquals(1, registry.get(MetricNames.FEEDBACK).tag("model", "m1").tag("agreement", "too_high").counter().count());
    assertEquals(1, registry.get(MetricNames.FEEDBACK).tag("model", "m2").tag("agreement", "agree").counter().count());
  }

  @Test
  void theConfusionMatrixCountsAssessedAgainstOperatorLevels() {
    meters.record("m1", new Verdict(RiskLevel.MEDIUM, 0.4, "none"));
    meters.record("m1", new Verdict(RiskLevel.MEDIUM, 0.4, "none"));
    assertEquals(2, registry.get(MetricNames.FEEDBACK_LEVELS).tag("model", "m1").tag("assessed", "medium")
        .tag("operator", "none").counter().count());
  }

  @Test
  void theMeanAbsoluteErrorIsPerModel() {
    meters.record("m1", new Verdict(RiskLevel.HIGH, 0.725, "high"));   // error 0
    meters.record("m1", new Verdict(RiskLevel.HIGH, 0.5, "none"));     // error 0.5
    assertEquals(0.25, registry.get(MetricNames.FEEDBACK_MAE).tag("model", "m1").gauge().value(), 1e-9);
  }

  @Test
  void theSummaryHasAgreementRateAndErrorPerModel() {
    meters.record("m1", new Verdict(RiskLevel.HIGH, 0.725, "high"));
    meters.record("m1", new Verdict(RiskLevel.HIGH, 0.725, "medium"));
    JsonObject m1 = meters.summary().getJsonObject("m1");
    assertEquals(2, m1.getLong("verdicts"));
    assertEquals(0.5, m1.getDouble("agreement_rate"), 1e-9);
    assertEquals(1, m1.getJsonObject("agreement").getLong("too_high"));
  }
}
