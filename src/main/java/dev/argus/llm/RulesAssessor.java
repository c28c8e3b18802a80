package dev.argus.llm;

import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import dev.argus.model.Hazards;
import dev.argus.model.RiskLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The assessor of last resort, used when no LLM can answer in time: scores a frame from its
 * detections alone. Weapons and fire are critical, knives and smoke high, crowds medium.
 */
public final class RulesAssessor {
  private static final Map<String, Double> WEIGHTS = Hazards.SEVERITY;
  private static final int CROWD = 10;

  private RulesAssessor() {}

  public static ParsedReply assess(Detection frame) {
    double score = 0.05;
    String worst = null;
    Map<String, Integer> counts = new TreeMap<>();
    for (DetectedObject o : frame.objects()) {
      String label = o.label().toLowerCase(Locale.ROOT);
      counts.merge(label, 1, Integer::sum);
      double s = WEIGHTS.getOrDefault(label, 0.0) * o.confidence();
      if (s > score) {
        score = s;
        worst = label;
      }
    }
    int people = counts.getOrDefault("person", 0);
    if (people >= CROWD && score < 0.45) {
      score = Math.min(0.55, 0.3 + people * 0.01);
      worst = "crowd";
    }
    RiskLevel level = RiskLevel.fromScore(score);
    List<String> recs = new ArrayList<>();
    String summary;
    if (worst == null) {
      summary = counts.isEmpty() ? "No objects detected." : "Routine scene: " + describe(counts) + ".";
    } else if (worst.equals("crowd")) {
      summary = "Crowd of " + people + " people: " + describe(counts) + ".";
      recs.add("Monitor crowd density");
    } else {
      summary = "Detected " + worst + " (" + describe(counts) + ").";
      recs.add("Review the camera feed now");
      if (level.atLeast(RiskLevel.HIGH)) recs.add("Notify on-site security");
    }
    return new ParsedReply(level, Math.round(score * 1000) / 1000.0, summary, recs);
  }

  private static String describe(Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    counts.forEach((label, n) -> {
      if (!sb.isEmpty()) sb.append(", ");
      sb.append(n).append(' ').append(label);
    });
    return sb.toString();
  }
}
