package dev.argus.demo;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic cameras fed through the real ingest path (HTTP, NDJSON batches), following the demo's
 * {@link DemoScript} (frames from {@link DemoScene}); the alerts that come back are scored against the
 * script ({@link DemoScore}), answered on {@code argus.internal.demo.score}.
 */
public final class CameraSimulatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CameraSimulatorVerticle.class);
  private static final long TICK_MS = 100;
  /** Frames a camera may owe after the gateway pushed back, so its rate holds without a flood after. */
  private static final double MAX_CREDIT_S = 5;

  private final ArgusConfig config;
  private final List<String> cameras = new ArrayList<>();
  private final List<Double> credit = new ArrayList<>();
  private DemoScript script;
  private DemoScene scene;
  private DemoScore score;
  private long startMs;
  private WebClient client;
  private long timer;
  private boolean inFlight;
  private MessageConsumer<JsonObject> alerts;
  private MessageConsumer<JsonObject> scoreRequests;

  /** The id of the i-th simulated camera (from 1). */
  public static String cameraId(int i) {
    return DemoScript.cameraId(i);
  }

  public CameraSimulatorVerticle(ArgusConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Demo demo = config.demo();
    script = new DemoScript(demo.cameras(), demo.seed(), demo.timeScale());
    scene = new DemoScene(script, demo.cameras(), demo.seed());
    score = new DemoScore(demo.cameras(), demo.scoreGraceMs(), config.quality().silentAfterMs());
    for (int i = 1; i <= demo.cameras(); i++) {
      cameras.add(DemoScript.cameraId(i));
      credit.add(0.0);
    }
    startMs = System.currentTimeMillis();
    alerts = vertx.eventBus().localConsumer(BusAddresses.ALERTS, msg -> onAlert(msg.body()));
    scoreRequests = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_DEMO_SCORE, msg -> {
      long elapsed = System.currentTimeMillis() - startMs;
      msg.reply(score.report(script.startedBy(elapsed), elapsed, startMs));
    });
    client = WebClient.create(vertx);
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    log.info("Camera simulator: {} cameras at {} fps, script seed {} at time scale {} (a cycle every {} s)",
        cameras.size(), demo.fps(), demo.seed(), demo.timeScale(), script.cycleMs() / 1000);
    return Future.join(alerts.completion(), scoreRequests.completion());
  }

  private void onAlert(JsonObject json) {
    try {
      score.onAlert(Alert.fromJson(json), System.currentTimeMillis() - startMs);
    } catch (IllegalArgumentException e) {
      log.debug("not an alert: {}", e.getMessage());
    }
  }

  private void tick() {
    double perTick = config.demo().fps() * TICK_MS / 1000.0;
    for (int i = 0; i < credit.size(); i++) credit.set(i, Math.min(config.demo().fps() * MAX_CREDIT_S, credit.get(i) + perTick));
    if (inFlight) return; // the gateway is pushing back: the frames wait (a little) rather than queue up
    StringBuilder ndjson = new StringBuilder();
    long now = System.currentTimeMillis();
    long elapsed = now - startMs;
    for (int i = 0; i < cameras.size(); i++) {
      while (credit.get(i) >= 1) {
        credit.set(i, credit.get(i) - 1);
        JsonObject frame = scene.frame(cameras.get(i), elapsed, now);
        if (frame != null) ndjson.append(frame.encode()).append('\n');
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

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    client.close();
    return Future.join(alerts.unregister(), scoreRequests.unregister());
  }
}
