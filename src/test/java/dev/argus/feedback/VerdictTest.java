package dev.argus.feedback;

import dev.argus.model.RiskLevel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VerdictTest {
  @Test
  void theSameLevelIsAgreement() {
    assertEquals(Verdict.AGREE, new Verdict(RiskLevel.HIGH, 0.7, "high").agreement());
  }

  @Test
  void anAssessmentAboveTheOperatorsLevelWasTooHighAndBelowTooLow() {
    assertEquals(Verdict.TOO_HIGH, new Verdict(RiskLevel.CRITICAL, 0.9, "medium").agreement());
    assertEquals(Verdict.TOO_LOW, new Verdict(RiskLevel.LOW, 0.1, "high").agreement());
  }

  @Test
  void noneIsAFalseAlarmWhateverWasAssessed() {
    assertEquals(Verdict.FALSE_ALARM, new Verdict(RiskLevel.LOW, 0.1, "none").agreement());
    assertEquals(Verdict.FALSE_ALARM, new Verdict(RiskLevel.CRITICAL, 0.9, "none").agreement());
  }

  @Test
  void theErrorIsAgainstTheMiddleOfTheOperatorsScoreBand() {
    assertEquals(0.725, new Verdict(RiskLevel.LOW, 0.0, "high").absoluteError(), 1e-9);
    assertEquals(0.9, new Verdict(RiskLevel.CRITICAL, 0.9, "none").absoluteError(), 1e-9);
    for (String l : new String[] {"low", "medium", "high", "critical"}) {
      double s = new Verdict(RiskLevel.LOW, 0, l).operatorScore();
      assertEquals(l, RiskLevel.fromScore(s).wire(), "the mapped score lies in its level's band");
    }
  }

  @Test
  void operatorLevelsAreTheRiskLevelsOrNoneAnythingElseIsRefused() {
    assertEquals("high", Verdict.parseOperatorLevel(" HIGH "));
    assertEquals("none", Verdict.parseOperatorLevel("None"));
    assertNull(Verdict.parseOperatorLevel("severe"));
    assertNull(Verdict.parseOperatorLevel(null));
  }
}
