package dev.argus.model;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The one error shape of the HTTP API: {@code {"error": code, "message": sentence, "details": [...]}}
 * with its status; 429 and 503 always carry {@code Retry-After}.
 */
public record ApiError(int status, String code, String message, List<JsonObject> details) {
  public static final int MAX_DETAILS = 100;

  public static ApiError validation(String message, List<FieldError> errors) {
    return new ApiError(400, "validation_failed", message,
        errors.stream().limit(MAX_DETAILS).map(FieldError::toJson).toList());
  }

  public static ApiError of(int status, String code, String message) {
    return new ApiError(status, code, message, List.of());
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", code).put("message", message).put("details", new JsonArray(List.copyOf(details)));
  }

  public void send(HttpServerResponse response, int retryAfterSeconds) {
    if (response.ended() || response.closed()) return;
    response.setStatusCode(status).putHeader("Content-Type", "application/json");
    if (status == 429 || status == 503) response.putHeader("Retry-After", String.valueOf(retryAfterSeconds));
    response.end(toJson().toBuffer());
  }
}
