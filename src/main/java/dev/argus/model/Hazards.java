package dev.argus.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detector labels Argus treats as hazards, most severe first: a frame with one gets a task at once
 * (the default of {@code detection.highRiskLabels}), the rules fallback scores them, and the page
 * highlights them. The only list of them in Java.
 */
public final class Hazards {
  private Hazards() {}

  /** Each hazard's severity (0..1, a risk score at full confidence), as the rules fallback scores it. */
  public static final Map<String, Double> SEVERITY = severities();

  public static final List<String> LABELS = List.copyOf(SEVERITY.keySet());

  private static Map<String, Double> severities() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("gun", 0.95);
    m.put("weapon", 0.95);
    m.put("fire", 0.92);
    m.put("knife", 0.8);
    m.put("smoke", 0.7);
    return Collections.unmodifiableMap(m);
  }
}
