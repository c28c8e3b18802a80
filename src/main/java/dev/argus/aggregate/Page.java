package dev.argus.aggregate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** One page of a listing, newest first; {@code next} is the cursor of the following page, or null. */
public record Page(List<JsonObject> items, String next) {
  public JsonObject toJson() {
    return new JsonObject().put("items", new JsonArray(List.copyOf(items))).put("count", items.size()).put("next", next);
  }
}
