package dev.argus.model;

import io.vertx.core.json.JsonObject;

/** One reason a frame was refused: which frame of the request (0-based), which field, and why. */
public record FieldError(int index, String field, String message) {
  public JsonObject toJson() {
    return new JsonObject().put("index", index).put("field", field).put("message", message);
  }
}
