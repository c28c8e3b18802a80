package dev.argus.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo cameras' frames, following a {@link DemoScript}. A calm camera shows at most
 * {@link #CALM_MAX} people walking along tracks with stable ids (on a camera with a restricted zone
 * they keep out of it); an incident adds what it is about: flames, a person with a gun, a person
 * inside the zone, a crowd that grows from {@link #CROWD_START} to {@link #CROWD_MAX} people in one
 * place, or no frames at all. Deterministic for a seed. Not thread-safe.
 */
public final class DemoScene {
  static final int WIDTH = 1280;
  static final int HEIGHT = 720;
  static final int CALM_MAX = 5;
  static final int CROWD_START = 8;
  static final int CROWD_MAX = 24;
  /** Walkers on a zone camera stay left of this x (the zone starts at 1000; a box is 60 wide). */
  private static final int ZONE_FREE_MAX_X = 900;

  private static final class Person {
    int track;
    double x, y, vx, vy;
  }

  private static final class Camera {
    final String id;
    final boolean zone;
    final Random random;
    long frame;
    int nextTrack = 1;
    final List<Person> walkers = new ArrayList<>();
    final List<Person> crowd = new ArrayList<>();
    Person intruder;
    Person armed;

    Camera(String id, boolean zone, Random random) {
      this.id = id;
      this.zone = zone;
      this.random = random;
    }
  }

  private final DemoScript script;
  private final Map<String, Camera> cameras = new HashMap<>();

  public DemoScene(DemoScript script, int cameras, long seed) {
    this.script = script;
    for (int i = 1; i <= cameras; i++) {
      Camera c = new Camera(DemoScript.cameraId(i), DemoScript.hasZone(i), new Random(seed * 1_000_003L + i));
      for (int p = c.random.nextInt(CALM_MAX + 1); p > 0; p--) c.walkers.add(walker(c));
      this.cameras.put(c.id, c);
    }
  }

  /** The camera's next frame at {@code elapsedMs} into the script, stamped {@code nowMs}; null while it is silent. */
  public JsonObject frame(String cameraId, long elapsedMs, long nowMs) {
    Camera c = cameras.get(cameraId);
    DemoScript.Incident incident = script.activeOn(cameraId, elapsedMs);
    DemoScript.Kind kind = incident == null ? null : incident.kind();
    if (kind == DemoScript.Kind.SILENT) return null;
    c.frame++;
    walk(c);
    JsonArray detections = new JsonArray();
    for (Person p : c.walkers) detections.add(person(c, p));
    crowd(c, incident, elapsedMs);
    for (Person p : c.crowd) detections.add(person(c, p));
    if (kind == DemoScript.Kind.INTRUSION) {
      if (c.intruder == null) c.intruder = placed(c, 1080 + c.random.nextInt(100), 440 + c.random.nextInt(60));
      c.intruder.x += c.random.nextGaussian() * 3;
      detections.add(person(c, c.intruder));
    } else {
      c.intruder = null;
    }
    if (kind == DemoScript.Kind.WEAPON) {
      if (c.armed == null) c.armed = placed(c, 300 + c.random.nextInt(400), 200 + c.random.nextInt(200));
      detections.add(person(c, c.armed));
      detections.add(box("gun", 0.55 + c.random.nextDouble() * 0.4, c.armed.x + 40, c.armed.y + 60, 30, 20));
    } else {
      c.armed = null;
    }
    if (kind == DemoScript.Kind.FIRE) {
      detections.add(box("fire", 0.6 + c.random.nextDouble() * 0.35, 640 + c.random.nextGaussian() * 5, 300, 120, 120));
      if (c.random.nextDouble() < 0.5) detections.add(box("smoke", 0.5 + c.random.nextDouble() * 0.3, 620, 150, 200, 150));
    }
    return new JsonObject().put("camera_id", c.id).put("frame_id", c.frame).put("timestamp", nowMs)
        .put("model_type", "yolov8n").put("image_width", WIDTH).put("image_height", HEIGHT).put("detections", detections);
  }

  /** People come and go (at most {@link #CALM_MAX}) and walk, bouncing off the edges (and the zone). */
  private void walk(Camera c) {
    double maxX = c.zone ? ZONE_FREE_MAX_X : WIDTH - 60;
    for (Person p : c.walkers) {
      p.x = Math.max(0, Math.min(maxX, p.x + p.vx));
      p.y = Math.max(0, Math.min(HEIGHT - 160, p.y + p.vy));
      if (p.x <= 0 || p.x >= maxX) p.vx = -p.vx;
      if (p.y <= 0 || p.y >= HEIGHT - 160) p.vy = -p.vy;
    }
    double r = c.random.nextDouble();
    if (r < 0.03 && c.walkers.size() < CALM_MAX) c.walkers.add(walker(c));
    else if (r < 0.06 && !c.walkers.isEmpty()) c.walkers.remove(c.random.nextInt(c.walkers.size()));
  }

  /** A crowd incident: {@link #CROWD_START} people at once, growing to {@link #CROWD_MAX} by 60% of it; gone after. */
  private static void crowd(Camera c, DemoScript.Incident incident, long elapsedMs) {
    if (incident == null || incident.kind() != DemoScript.Kind.CROWD_BUILDING) {
      c.crowd.clear();
      return;
    }
    // the incident's progress, not the wall clock: the same script at any time scale builds the same crowd
    double progress = (double) (elapsedMs - incident.startMs()) / (incident.endMs() - incident.startMs());
    int target = CROWD_START + (int) Math.round((CROWD_MAX - CROWD_START) * Math.min(1, progress / 0.6));
    while (c.crowd.size() < target) {
      c.crowd.add(placed(c, 470 + c.random.nextGaussian() * 40, 260 + c.random.nextGaussian() * 30));
    }
    for (Person p : c.crowd) {
      p.x += c.random.nextGaussian() * 2;
      p.y += c.random.nextGaussian() * 2;
    }
  }

  private Person walker(Camera c) {
    Person p = placed(c, c.random.nextDouble() * (c.zone ? ZONE_FREE_MAX_X : WIDTH - 60),
        c.random.nextDouble() * (HEIGHT - 160));
    p.vx = (c.random.nextDouble() - 0.5) * 30;
    p.vy = (c.random.nextDouble() - 0.5) * 10;
    return p;
  }

  private static Person placed(Camera c, double x, double y) {
    Person p = new Person();
    p.track = c.nextTrack++;
    p.x = x;
    p.y = y;
    return p;
  }

  private static JsonObject person(Camera c, Person p) {
    return box("person", 0.6 + c.random.nextDouble() * 0.39, p.x, p.y, 60, 160).put("track_id", p.track);
  }

  private static JsonObject box(String label, double conf, double x, double y, double w, double h) {
    return new JsonObject().put("label", label).put("confidence", Math.round(conf * 100) / 100.0)
        .put("bbox", new JsonArray().add(Math.round(x)).add(Math.round(y)).add(Math.round(x + w)).add(Math.round(y + h)));
  }
}
