package dev.argus.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DemoSceneTest {
  private static final long FRAME_MS = 500;
  private final DemoScript script = new DemoScript(50, 7, 1.0);
  private final DemoScene scene = new DemoScene(script, 50, 7);

  private DemoScript.Incident incident(DemoScript.Kind kind) {
    return script.cycle(0).stream().filter(i -> i.kind() == kind).findFirst().orElseThrow();
  }

  /** The camera's frames from {@code fromMs} to {@code toMs}, one every 500 ms (null while silent). */
  private List<JsonObject> frames(String camera, long fromMs, long toMs) {
    List<JsonObject> out = new ArrayList<>();
    for (long t = fromMs; t < toMs; t += FRAME_MS) out.add(scene.frame(camera, t, 1_000_000 + t));
    return out;
  }

  private static long count(JsonObject frame, String label) {
    JsonArray d = frame.getJsonArray("detections");
    return d.stream().filter(o -> label.equals(((JsonObject) o).getString("label"))).count();
  }

  @Test
  void aCalmCameraShowsAFewPeopleAndNoHazard() {
    DemoScript.Incident fire = incident(DemoScript.Kind.FIRE);
    for (JsonObject f : frames(fire.cameraId(), 0, fire.startMs())) {
      assertTrue(count(f, "person") <= DemoScene.CALM_MAX, f.encode());
      assertEquals(f.getJsonArray("detections").size(), count(f, "person"), f.encode());
    }
  }

  @Test
  void calmWalkersKeepOutOfTheRestrictedZone() {
    DemoScript.Incident intrusion = incident(DemoScript.Kind.INTRUSION);
    for (JsonObject f : frames(intrusion.cameraId(), 0, intrusion.startMs())) {
      for (Object o : f.getJsonArray("detections")) {
        JsonArray box = ((JsonObject) o).getJsonArray("bbox");
        assertTrue((box.getInteger(0) + box.getInteger(2)) / 2 < 1000, f.encode());
      }
    }
  }

  @Test
  void anIntruderStandsInTheZoneDuringTheIntrusion() {
    DemoScript.Incident intrusion = incident(DemoScript.Kind.INTRUSION);
    JsonObject f = frames(intrusion.cameraId(), intrusion.startMs(), intrusion.startMs() + 1).get(0);
    boolean inZone = f.getJsonArray("detections").stream().map(o -> ((JsonObject) o).getJsonArray("bbox"))
        .anyMatch(b -> (b.getInteger(0) + b.getInteger(2)) / 2 >= 1000 && (b.getInteger(1) + b.getInteger(3)) / 2 >= 480);
    assertTrue(inZone, f.encode());
  }

  @Test
  void aFireShowsFlamesForItsWholeWindow() {
    DemoScript.Incident fire = incident(DemoScript.Kind.FIRE);
    frames(fire.cameraId(), 0, fire.startMs());
    for (JsonObject f : frames(fire.cameraId(), fire.startMs(), fire.endMs())) assertEquals(1, count(f, "fire"));
  }

  @Test
  void aCrowdStartsAtItsStartSizeAndGrowsToItsMax() {
    DemoScript.Incident crowd = incident(DemoScript.Kind.CROWD_BUILDING);
    List<JsonObject> during = frames(crowd.cameraId(), crowd.startMs(), crowd.endMs());
    assertTrue(count(during.get(0), "person") >= DemoScene.CROWD_START);
    assertTrue(count(during.get(during.size() - 1), "person") >= DemoScene.CROWD_MAX);
    assertTrue(count(scene.frame(crowd.cameraId(), crowd.endMs(), 0), "person") <= DemoScene.CALM_MAX);
  }

  @Test
  void aSilentCameraSendsNothingUntilItsIncidentEnds() {
    DemoScript.Incident silent = incident(DemoScript.Kind.SILENT);
    assertTrue(frames(silent.cameraId(), silent.startMs(), silent.endMs()).stream().allMatch(f -> f == null));
    assertNotNull(scene.frame(silent.cameraId(), silent.endMs(), 0));
  }
}
