package dev.argus.model;

import java.util.List;

/**
 * The detector labels Argus treats as hazards, most severe first: a frame with one gets a task at once
 * (the default of {@code detection.highRiskLabels}), the rules fallback scores them, and the page
 * highlights them. The only list of them in Java.
 */
public final class Hazards {
  private Hazards() {}

  public static final List<String> LABELS = List.of("gun", "weapon", "fire", "knife", "smoke");
}
