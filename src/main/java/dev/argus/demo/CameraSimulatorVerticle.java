package dev.argus.demo;

import dev.argus.config.ArgusConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic cameras fed through the real ingest path (HTTP, NDJSON batches): people walking along
 * tracks with stable ids, groups forming and dispersing, and now and then a hazard.
 */
public final class CameraSimulatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CameraSimulatorVerticle.class);
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 720;
  private static final long TICK_MS = 100;

  private final ArgusConfig config;
  private final Random random = new Random(42);
  private final List<Camera> cameras = new ArrayList<>();
  private WebClient client;
  private long timer;
  private boolean inFlight;

  private static final class Person {
    int track;
    double x, y, vx, vy;
  }

  private static final class Camera {
    String id;
    long frame;
    double credit;
    int nextTrack = 1;
    List<Person> people = new ArrayList<>();
    String hazard;
    int hazardFrames;
  }

  /** The id of the i-th simulated camera (from 1). */
  public static String cameraId(int i) {
    return String.format("cam-%03d", i);
  }

  public CameraSimulatorVerticle(ArgusConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    for (int i = 1; i <= config.demo().cameras(); i++) {
      Camera c = new Camera();
      c.id = cameraId(i);
      for (int p = random.nextInt(5); p > 0; p--) c.people.add(newPerson(c));
      cameras.add(c);
    }
    client = WebClient.create(vertx);
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    log.info("Camera simulator: {} cameras at {} fps", cameras.size(), config.demo().fps());
    return Future.succeededFuture();
  }

  private void tick() {
    if (inFlight) return; // the gateway is pushing back: skip this tick rather than queue frames
    StringBuilder ndjson = new StringBuilder();
    long now = System.currentTimeMillis();
    for (Camera c : cameras) {
      c.credit += config.demo().fps() * TICK_MS / 1000.0;
      while (c.credit >= 1) {
        c.credit -= 1;
        step(c);
        ndjson.append(frame(c, now).encode()).append('\n');
      }
    }
    if (ndjson.isEmpty()) return;
    inFlight = true;
    client.post(config.http().port(), "127.0.0.1", "/api/v1/detections")
        .putHeader("Content-Type", "application/x-ndjson")
        .sendBuffer(Buffer.buffer(ndjson.toString()))
        .onComplete(ar -> {
          inFlight = false;
          if (ar.failed()) log.debug("simulator post failed: {}", ar.cause().getMessage());
        });
  }

  private void step(Camera c) {
    c.frame++;
    for (Person p : c.people) {
      p.x = Math.max(0, Math.min(WIDTH - 60, p.x + p.vx));
      p.y = Math.max(0, Math.min(HEIGHT - 160, p.y + p.vy));
      if (p.x <= 0 || p.x >= WIDTH - 60) p.vx = -p.vx;
      if (p.y <= 0 || p.y >= HEIGHT - 160) p.vy = -p.vy;
    }
    double r = random.nextDouble();
    if (r < 0.08 && c.people.size() < 18) c.people.add(newPerson(c));
    else if (r < 0.15 && !c.people.isEmpty()) c.people.remove(random.nextInt(c.people.size()));
    if (random.nextDouble() < 0.004 && c.people.size() < 10) {
      // a group forms: several people arrive together
      for (int i = 0; i < 6; i++) c.people.add(newPerson(c));
    }
    if (c.hazardFrames > 0) {
      c.hazardFrames--;
      if (c.hazardFrames == 0) c.hazard = null;
    } else if (random.nextDouble() < 0.0015) {
      String[] hazards = {"fire", "smoke", "knife"};
      c.hazard = hazards[random.nextInt(hazards.length)];
      c.hazardFrames = 4 + random.nextInt(8);
    }
  }

  private Person newPerson(Camera c) {
    Person p = new Person();
    p.track = c.nextTrack++;
    p.x = random.nextDouble() * (WIDTH - 60);
    p.y = random.nextDouble() * (HEIGHT - 160);
    p.vx = (random.nextDouble() - 0.5) * 30;
    p.vy = (random.nextDouble() - 0.5) * 10;
    return p;
  }

  private JsonObject frame(Camera c, long now) {
    JsonArray detections = new JsonArray();
    for (Person p : c.people) {
      detections.add(box("person", 0.6 + random.nextDouble() * 0.39, p.x, p.y, 60, 160).put("track_id", p.track));
    }
    if (c.hazard != null) {
      detections.add(box(c.hazard, 0.55 + random.nextDouble() * 0.4, 200 + random.nextDouble() * 600,
          150 + random.nextDouble() * 300, 90, 90));
    }
    return new JsonObject().put("camera_id", c.id).put("frame_id", c.frame).put("timestamp", now)
        .put("model_type", "yolov8n").put("image_width", WIDTH).put("image_height", HEIGHT).put("detections", detections);
  }

  private static JsonObject box(String label, double conf, double x, double y, double w, double h) {
    return new JsonObject().put("label", label).put("confidence", Math.round(conf * 100) / 100.0)
        .put("bbox", new JsonArray().add(Math.round(x)).add(Math.round(y)).add(Math.round(x + w)).add(Math.round(y + h)));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    client.close();
    return Future.succeededFuture();
  }
}
