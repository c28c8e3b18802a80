package dev.argus.http;

import dev.argus.model.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The one error shape of the HTTP API: {@code {"error": code, "message": sentence, "details": [...]}}. */
public record ApiError(ErrorCode code, String message, List<JsonObject> details) {
  /** A batch of thousands of bad frames must not make an answer of megabytes. */
  public static final int MAX_DETAILS = 100;

  public static ApiError validation(String message, List<FieldError> errors) {
    return new ApiError(ErrorCode.VALIDATION_FAILED, message,
        errors.stream().limit(MAX_DETAILS).map(FieldError::toJson).toList());
  }

  public static ApiError of(ErrorCode code, String message) {
    return new ApiError(code, message, List.of());
  }

  public int status() {
    return code.status();
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", code.wire()).put("message", message)
        .put("details", new JsonArray(List.copyOf(details)));
  }
}
