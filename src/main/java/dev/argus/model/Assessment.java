package dev.argus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The judgement of one task. {@code source} is {@code llm} or {@code rules}; for {@code rules},
 * {@code fallbackReason} says why the LLM was not used. The wire form is the
 * {@code argus.assessments} payload described in the README.
 */
public record Assessment(String taskId, String cameraId, String frameId, RiskLevel riskLevel,
                         double riskScore, String summary, List<String> recommendations,
                         String source, String model, String apiKeyId, long latencyMs,
                         long detectedAtMs, long assessedAtMs, String fallbackReason, JsonObject context) {

  public static final String SOURCE_LLM = "llm";
  public static final String SOURCE_RULES = "rules";

  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("task_id", taskId).put("camera_id", cameraId).put("frame_id", frameId)
        .put("risk_level", riskLevel.wire()).put("risk_score", riskScore).put("summary", summary)
        .put("recommendations", new JsonArray(List.copyOf(recommendations)))
        .put("source", source).put("model", model).put("api_key_id", apiKeyId)
        .put("latency_ms", latencyMs)
        .put("detected_at", Times.iso(detectedAtMs)).put("assessed_at", Times.iso(assessedAtMs));
    if (fallbackReason != null) o.put("fallback_reason", fallbackReason);
    if (AssessmentTask.isReplay(taskId)) o.put("replay", true);
    if (context != null) o.put("context", context);
    return o;
  }

  /** The camera's frame rate as the bridge saw it, when the task carried it. */
  public Double framesPerSecond() {
    return context == null ? null : context.getDouble("frames_per_s");
  }

  /** Decodes an assessment; throws IllegalArgumentException (with the reason) when it is not one. */
  public static Assessment fromJson(JsonObject o) {
    try {
      RiskLevel level = RiskLevel.parse(o.getString("risk_level"));
      if (level == null) throw new IllegalArgumentException("bad risk_level " + o.getValue("risk_level"));
      Number score = AssessmentTask.require(o.getNumber("risk_score"), "risk_score");
      JsonArray recs = o.getJsonArray("recommendations", new JsonArray());
      return new Assessment(
          AssessmentTask.require(o.getString("task_id"), "task_id"),
          AssessmentTask.require(o.getString("camera_id"), "camera_id"),
          o.getString("frame_id"), level, score.doubleValue(), o.getString("summary", ""),
          recs.stream().map(String::valueOf).toList(),
          o.getString("source", SOURCE_RULES), o.getString("model"), o.getString("api_key_id"),
          o.getLong("latency_ms", 0L),
          Times.parse(AssessmentTask.require(o.getString("detected_at"), "detected_at")),
          Times.parse(AssessmentTask.require(o.getString("assessed_at"), "assessed_at")),
          o.getString("fallback_reason"), o.getJsonObject("context"));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("not an assessment: " + e.getMessage(), e);
    }
  }
}
