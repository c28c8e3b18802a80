package dev.argus.feedback;

import dev.argus.model.RiskLevel;

import java.util.List;
import java.util.Locale;

/**
 * An operator's verdict on an assessment and how it compares. The operator gives a level, or
 * {@code none} for a false alarm; agreement is {@code agree} (same level), {@code too_high} /
 * {@code too_low} (the assessment was above / below it) or {@code false_alarm}. Each level maps to the
 * middle of its score band ({@link RiskLevel#fromScore}), so the error of a risk score is measurable.
 */
public record Verdict(RiskLevel assessed, double assessedScore, String operatorLevel) {
  public static final String NONE = "none";
  public static final String AGREE = "agree";
  public static final String TOO_HIGH = "too_high";
  public static final String TOO_LOW = "too_low";
  public static final String FALSE_ALARM = "false_alarm";
  public static final List<String> AGREEMENTS = List.of(AGREE, TOO_HIGH, TOO_LOW, FALSE_ALARM);

  /** The operator's level in wire form ({@code low..critical} or {@code none}); null when it is neither. */
  public static String parseOperatorLevel(String s) {
    if (s == null) return null;
    if (s.trim().toLowerCase(Locale.ROOT).equals(NONE)) return NONE;
    RiskLevel l = RiskLevel.parse(s);
    return l == null ? null : l.wire();
  }

  public String agreement() {
    if (operatorLevel.equals(NONE)) return FALSE_ALARM;
    int c = assessed.compareTo(RiskLevel.parse(operatorLevel));
    return c == 0 ? AGREE : c > 0 ? TOO_HIGH : TOO_LOW;
  }

  /** The operator's level as a score: the middle of its band, 0 for a false alarm. */
  public double operatorScore() {
    return switch (operatorLevel) {
      case NONE -> 0.0;
      case "low" -> 0.15;
      case "medium" -> 0.45;
      case "high" -> 0.725;
      default -> 0.925;
    };
  }

  public double absoluteError() {
    return Math.abs(assessedScore - operatorScore());
  }
}
