package dev.argus.llm;

import dev.argus.model.AssessmentTask;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The chat-completions request body for a task: system + user message, the image as a vision part. */
public final class PromptBuilder {
  static final String SYSTEM = """
      You are a security analyst judging camera detections. Answer with one JSON object only:
      {"risk_level": "low|medium|high|critical", "risk_score": <number 0..1>,
       "summary": "<one sentence>", "recommendations": ["<short action>", ...]}""";

  /** The reply's budget; providers count it against TPM at admission. */
  static final int MAX_TOKENS = 300;

  private PromptBuilder() {}

  /**
   * The tokens a provider charges a call at admission, estimated as providers do before the call: about four
   * bytes of the encoded request a token, plus {@code max_tokens}. The reply's {@code usage} corrects it.
   */
  public static long estimateTokens(Buffer encodedRequest) {
    return (encodedRequest.length() + 3) / 4 + MAX_TOKENS;
  }

  public static JsonObject request(AssessmentTask task, String model) {
    JsonObject frame = task.frame();
    String text = "Camera " + task.cameraId() + " at " + frame.getValue("timestamp", "(no timestamp)")
        + ", detector " + frame.getString("model_type", "unknown") + ", flagged because: " + task.reason()
        + ".\nDetections (label, confidence, bbox x1,y1,x2,y2, track):\n"
        + frame.getJsonArray("detections", new JsonArray()).encode()
        + (task.context() == null ? "" : "\nContext (counts per label, crowd clusters, zone intrusions, trend over recent frames): "
            + task.context().encode())
        + "\nHow risky is this scene?";
    Object content = text;
    String image = task.imageUrl();
    if (image != null && !image.isBlank()) {
      content = new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", text))
          .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", image)));
    }
    return new JsonObject()
        .put("model", model)
        .put("temperature", 0.1)
        .put("max_tokens", MAX_TOKENS)
        .put("response_format", new JsonObject().put("type", "json_object"))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", SYSTEM))
            .add(new JsonObject().put("role", "user").put("content", content)));
  }
}
