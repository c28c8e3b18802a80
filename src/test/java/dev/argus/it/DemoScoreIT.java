package dev.argus.it;

import dev.argus.MainVerticle;
import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import dev.argus.config.EnvOverrides;
import dev.argus.demo.DemoSetup;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.metrics.MetricsSetup;
import dev.argus.model.BusAddresses;
import dev.argus.model.Times;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The demo as a user starts it (50 scripted cameras, the simulated model, the default alert rules),
 * in direct mode, with the script's times scaled down so a whole cycle of incidents (fire, weapon,
 * intrusion, crowd, silent camera) fits in about two minutes. The alerts must mean something: the
 * goals of issue 12. Run alone: {@code mvn -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DemoScoreIT}.
 */
class DemoScoreIT {
  /** The script's times × 0.6: its 220 s cycle in 132 s. */
  private static final double TIME_SCALE = 0.6;
  /** Silence is told after 5 s here (30 s by default), in proportion to the shorter incident. */
  private static final long SILENT_AFTER_MS = 5000;

  @Test
  void demoAlertsArePreciseCompleteFastAndFew() throws Exception {
    JsonObject conf = ConfigLoader.defaults();
    conf.mergeIn(new JsonObject()
        .put("http", new JsonObject().put("port", Ports.free()).put("instances", 1))
        .put("kafka", new JsonObject().put("mode", "direct"))
        .put("quality", new JsonObject().put("silentAfterMs", SILENT_AFTER_MS))
        .put("demo", new JsonObject().put("enabled", true).put("llmPort", Ports.free()).put("timeScale", TIME_SCALE)
            .put("scoreGraceMs", 20_000)), true);
    EnvOverrides.apply(conf, Map.of());
    DemoSetup.addZones(conf);
    ArgusConfig config = SimulatedLlmVerticle.withDemoProvider(ArgusConfig.from(conf));
    PrometheusMeterRegistry registry = MetricsSetup.newRegistry();
    Vertx vertx = MetricsSetup.vertxBuilder(new VertxOptions(), registry).build();
    MainVerticle main = new MainVerticle(config, registry);
    try {
      vertx.deployVerticle(main).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
      JsonObject score = waitForFirstCycle(vertx);
      System.out.println("demo score: " + score.encodePrettily());
      assertEquals(1.0, score.getDouble("recall"), "every incident gets an alert: " + score.encode());
      assertTrue(score.getDouble("precision") >= 0.9, "precision: " + score.encode());
      assertTrue(score.getLong("time_to_alert_p95_ms") < 5000, "time to alert p95: " + score.encode());
      assertTrue(score.getDouble("max_open_share") <= 0.2, "open alerts on at most 20% of cameras: " + score.encode());
    } finally {
      main.shutdown().transform(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
  }

  /**
   * The score once every incident of the first cycle is decided (alerted, or its window and grace over)
   * and the last one ended 10 s ago (so the open-alert share saw it all).
   */
  private static JsonObject waitForFirstCycle(Vertx vertx) throws Exception {
    for (int i = 0; i < 120; i++) {
      JsonObject s = vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_DEMO_SCORE, null)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
      JsonArray incidents = s.getJsonArray("incidents");
      if (incidents.size() >= 5 && incidents.stream().limit(5).allMatch(o -> ((JsonObject) o).getBoolean("decided"))
          && Times.parse(incidents.getJsonObject(4).getString("end")) < System.currentTimeMillis() - 10_000) {
        return s;
      }
      TimeUnit.SECONDS.sleep(2);
    }
    fail("the first cycle of the script never finished");
    return null;
  }
}
