package dev.argus.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What demo mode adds to the configuration before it is checked: a restricted zone (the lower right
 * corner) on every fifth simulated camera. Calm walkers keep out of it; the script's intrusions walk
 * into it. A camera the operator configured is left alone.
 */
public final class DemoSetup {
  private DemoSetup() {}

  public static void addZones(JsonObject conf) {
    JsonObject demo = conf.getJsonObject("demo", new JsonObject());
    int cameras = Integer.parseInt(String.valueOf(demo.getValue("cameras", 50)));
    JsonObject detection = conf.getJsonObject("detection");
    JsonObject perCamera = detection.getJsonObject("cameras");
    if (perCamera == null) {
      perCamera = new JsonObject();
      detection.put("cameras", perCamera);
    }
    for (int i = 1; i <= cameras; i++) {
      if (!DemoScript.hasZone(i)) continue;
      String id = DemoScript.cameraId(i);
      if (perCamera.containsKey(id)) continue;
      perCamera.put(id, new JsonObject().put("zones", new JsonArray().add(new JsonObject()
          .put("name", "restricted").put("labels", new JsonArray().add("person"))
          .put("polygon", new JsonArray().add(point(1000, 480)).add(point(1280, 480)).add(point(1280, 720)).add(point(1000, 720))))));
    }
  }

  private static JsonArray point(int x, int y) {
    return new JsonArray().add(x).add(y);
  }
}
