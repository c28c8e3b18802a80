package dev.argus.config;

import io.vertx.core.json.JsonObject;

/** Rule books for tests: the built-in {@code detection} defaults with a test's overrides merged in. */
public final class TestRules {
  private TestRules() {}

  public static RuleBook book(String overrides) {
    return RuleBook.from(detection(overrides));
  }

  public static JsonObject detection(String overrides) {
    return ConfigLoader.defaults().getJsonObject("detection").mergeIn(new JsonObject(overrides), true);
  }
}
