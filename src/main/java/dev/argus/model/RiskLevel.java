package dev.argus.model;

import java.util.Locale;

/**
 * Ordered risk levels; the wire form is the lower-case name. {@link #PREDICTED} is an alert's level
 * only (a track heading into a zone, not yet there), never an assessment's: {@link #parse} refuses it,
 * {@link #parseAlertLevel} accepts it.
 */
public enum RiskLevel {
  LOW, MEDIUM, HIGH, CRITICAL, PREDICTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The lowest score {@link #fromScore} calls high (what a rising risk trend predicts reaching). */
  public static final double HIGH_SCORE = 0.6;

  /** The level a score in [0,1] falls into, used where only a score is known. */
  public static RiskLevel fromScore(double score) {
    if (score >= 0.85) return CRITICAL;
    if (score >= HIGH_SCORE) return HIGH;
    if (score >= 0.3) return MEDIUM;
    return LOW;
  }

  /** Parses the wire form, case-insensitively; null when it is not a level. */
  public static RiskLevel parse(String s) {
    RiskLevel level = parseAlertLevel(s);
    return level == PREDICTED ? null : level;
  }

  /** As {@link #parse}, and {@code predicted} too: the levels an alert may carry. */
  public static RiskLevel parseAlertLevel(String s) {
    if (s == null) return null;
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean atLeast(RiskLevel other) {
    return compareTo(other) >= 0;
  }
}
