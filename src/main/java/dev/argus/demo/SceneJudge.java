package dev.argus.demo;

import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Random;

/**
 * How the simulated model judges a frame: from what the prompt says is in it, as a careful analyst
 * would, with a little noise on the score. A gun or a weapon, fire: critical. A knife, smoke, a person
 * in a restricted zone: high. A crowd (a cluster of at least {@link #CROWD} people) is medium when it
 * forms and high as it grows past about 15. A few people walking about: low, a little higher with each
 * person. The level follows the noisy score ({@link RiskLevel#fromScore}), so a crowd near a boundary
 * may come out either side of it, as a real model's would.
 */
public final class SceneJudge {
  /** The judgement: what the reply's JSON says. */
  public record Verdict(RiskLevel level, double score, String summary) {}

  static final int CROWD = 8;
  /** The score's noise (standard deviation): small enough that a calm scene never reads as medium. */
  static final double NOISE = 0.02;

  private final Random random;
  private final double noise;

  public SceneJudge(Random random) {
    this(random, NOISE);
  }

  /** With another noise (the tuning test asks how the rules fare with a sloppier model). */
  public SceneJudge(Random random, double noise) {
    this.random = random;
    this.noise = noise;
  }

  /** Judges a chat-completions request body (the prompt {@code llm.PromptBuilder} writes). */
  public Verdict judge(String requestBody) {
    String text = userText(requestBody);
    JsonArray detections = detections(text);
    JsonObject context = context(text);
    int people = 0;
    boolean gun = false, fire = false, knife = false, smoke = false;
    for (int i = 0; i < detections.size(); i++) {
      if (!(detections.getValue(i) instanceof JsonObject d)) continue;
      switch (d.getString("label", "").toLowerCase(Locale.ROOT)) {
        case "person" -> people++;
        case "gun", "weapon" -> gun = true;
        case "fire" -> fire = true;
        case "knife" -> knife = true;
        case "smoke" -> smoke = true;
        default -> { }
      }
    }
    int cluster = largestCluster(context);
    boolean inZone = !context.getJsonArray("zone_hits", new JsonArray()).isEmpty();
    double base;
    String summary;
    if (gun || fire) {
      base = 0.92;
      summary = gun ? "A person is holding a gun." : "Flames are visible in the scene.";
    } else if (knife || smoke || inZone) {
      base = 0.74;
      summary = inZone ? "A person is inside a restricted zone." : "A dangerous object or smoke is visible.";
    } else if (cluster >= CROWD) {
      base = Math.min(0.8, 0.42 + 0.03 * (cluster - CROWD));
      summary = "A crowd of " + cluster + " people has gathered; watch its density.";
    } else {
      base = 0.05 + 0.02 * Math.min(people, 8);
      summary = people == 0 ? "The scene is empty." : "Routine activity, " + people + " people passing.";
    }
    double score = Math.max(0, Math.min(1, base + noise * random.nextGaussian()));
    score = Math.round(score * 100) / 100.0;
    return new Verdict(RiskLevel.fromScore(score), score, summary);
  }

  private static int largestCluster(JsonObject context) {
    int max = 0;
    JsonArray clusters = context.getJsonArray("clusters", new JsonArray());
    for (int i = 0; i < clusters.size(); i++) {
      if (clusters.getValue(i) instanceof JsonObject c) max = Math.max(max, c.getInteger("size", 0));
    }
    return max;
  }

  /** The user message's text (a plain string, or the text part of a vision message); empty if none. */
  static String userText(String body) {
    try {
      JsonArray messages = new JsonObject(body).getJsonArray("messages", new JsonArray());
      for (int i = messages.size() - 1; i >= 0; i--) {
        JsonObject m = messages.getJsonObject(i);
        if (!"user".equals(m.getString("role"))) continue;
        Object content = m.getValue("content");
        if (content instanceof String s) return s;
        if (content instanceof JsonArray parts) {
          for (int p = 0; p < parts.size(); p++) {
            JsonObject part = parts.getJsonObject(p);
            if ("text".equals(part.getString("type"))) return part.getString("text", "");
          }
        }
      }
    } catch (RuntimeException e) {
      // not a chat request we can read: judged as an empty scene
    }
    return "";
  }

  /** The detections: the line of the prompt that is a JSON array. */
  private static JsonArray detections(String text) {
    for (String line : text.split("\n")) {
      if (!line.startsWith("[")) continue;
      try {
        return new JsonArray(line);
      } catch (RuntimeException e) {
        return new JsonArray();
      }
    }
    return new JsonArray();
  }

  /** The context: the JSON object on the prompt's line that starts with "Context". */
  private static JsonObject context(String text) {
    for (String line : text.split("\n")) {
      int brace = line.indexOf('{');
      if (!line.startsWith("Context") || brace < 0) continue;
      try {
        return new JsonObject(line.substring(brace));
      } catch (RuntimeException e) {
        return new JsonObject();
      }
    }
    return new JsonObject();
  }
}
