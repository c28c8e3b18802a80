package dev.argus.demo;

import dev.argus.aggregate.AlertEngine;
import dev.argus.config.ArgusConfig;
import dev.argus.config.CameraRules;
import dev.argus.config.ConfigLoader;
import dev.argus.detection.FrameGate;
import dev.argus.detection.SceneFacts;
import dev.argus.llm.PromptBuilder;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.Detection;
import dev.argus.model.FrameParser;
import dev.argus.quality.CameraHealth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The alert defaults, measured on the demo script without the gateway: the real gate
 * ({@link FrameGate}, {@link SceneFacts}, the demo's rules), the simulated model's judgement
 * ({@link SceneJudge} on the real prompt), the real {@link AlertEngine} and {@link CameraHealth}, and
 * {@link DemoScore}, on simulated time (each model call answers {@link #LATENCY_MS} later). Several
 * cycles and seeds run in seconds, so the defaults are chosen from numbers; {@code DemoScoreIT}
 * confirms them on the running gateway. The sweep prints a table: {@code mvn -B -ntp -q test-compile exec:java
 * -Dexec.mainClass=dev.argus.demo.DemoTuningTest -Dexec.classpathScope=test}.
 */
class DemoTuningTest {
  private static final int CAMERAS = 50;
  private static final long FRAME_MS = 500;
  private static final long LATENCY_MS = 1000;
  private static final int CYCLES = 2;
  private static final long[] SEEDS = {42, 7, 2026};

  private record Pending(long atMs, String cameraId, AssessmentTask task) {}

  /** A task as the bridge holds it: with the scene facts the gate compares the next frames to. */
  private record Candidate(AssessmentTask task, SceneFacts facts) {}

  private static ArgusConfig defaults() {
    JsonObject conf = ConfigLoader.defaults();
    conf.getJsonObject("demo").put("enabled", true);
    DemoSetup.addZones(conf);
    return ArgusConfig.from(conf);
  }

  /** One simulated demo run: the score after {@link #CYCLES} cycles. */
  static JsonObject run(ArgusConfig config, AlertEngine.Settings settings, long seed, double noise) {
    DemoScript script = new DemoScript(CAMERAS, seed, 1.0);
    DemoScene scene = new DemoScene(script, CAMERAS, seed);
    SceneJudge judge = new SceneJudge(new Random(seed), noise);
    AlertEngine engine = new AlertEngine(settings);
    CameraHealth health = new CameraHealth(config.quality());
    DemoScore score = new DemoScore(CAMERAS, config.demo().scoreGraceMs(), config.quality().silentAfterMs());
    FrameGate gate = new FrameGate(config.detection().pendingTimeoutMs());
    PriorityQueue<Pending> calls = new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
    long end = CYCLES * script.cycleMs();
    for (long t = 0; t < end; t += FRAME_MS) {
      while (!calls.isEmpty() && calls.peek().atMs() <= t) {
        Pending p = calls.poll();
        SceneJudge.Verdict v = judge.judge(PromptBuilder.request(p.task(), "sim").encode());
        Assessment a = new Assessment(p.task().taskId(), p.cameraId(), p.task().frameId(), v.level(), v.score(),
            v.summary(), List.of(), "llm", "sim", "k", LATENCY_MS, p.task().detectedAtMs(), p.atMs(), null, null);
        for (Alert al : engine.onAssessment(a, p.atMs())) score.onAlert(al, p.atMs());
        FrameGate.Held<Candidate> h = gate.completed(p.cameraId(), p.task().taskId(), p.atMs());
        if (h != null) emit(gate, calls, h.token(), p.atMs());
      }
      for (int i = 1; i <= CAMERAS; i++) {
        String cam = DemoScript.cameraId(i);
        JsonObject frame = scene.frame(cam, t, t);
        if (frame == null) continue;
        Detection d = FrameParser.parse(frame, 0).detection();
        for (Alert al : health.onFrame(cam, d.timestampMs(), t, meanConfidence(frame))) score.onAlert(al, t);
        CameraRules rules = config.detection().rules().rules(cam);
        FrameGate.Decision decision = gate.decide(cam, SceneFacts.forGating(d, rules), rules, t, t);
        if (decision.action() == FrameGate.Action.DROP) {
          gate.unchanged(cam);
          continue;
        }
        SceneFacts facts = SceneFacts.of(d, rules, 1280, 720);
        JsonObject context = new JsonObject().put("counts", new JsonObject(new LinkedHashMap<>(facts.counts())))
            .put("clusters", new JsonArray(facts.clusters())).put("zone_hits", new JsonArray(facts.zoneDetails()));
        AssessmentTask task = new AssessmentTask(cam + ":" + d.frameId(), cam, d.frameId(), t, t, t + 30_000,
            decision.reason().wire(), 1, 0, frame, context);
        if (decision.kept()) gate.hold(cam, new Candidate(task, facts), decision.reason(), decision.dueMs());
        else emit(gate, calls, new Candidate(task, facts), t);
      }
      if (t % 1000 == 0) {
        for (Alert al : engine.tick(t)) score.onAlert(al, t);
        for (Alert al : health.tick(t)) score.onAlert(al, t);
        long now = t;
        gate.<Candidate>ready(t).forEach((cam, h) -> emit(gate, calls, h.token(), now));
      }
    }
    return score.report(script.startedBy(end), end, 0);
  }

  private static void emit(FrameGate gate, PriorityQueue<Pending> calls, Candidate c, long t) {
    AssessmentTask task = c.task();
    gate.emitted(task.cameraId(), task.taskId(), task.detectedAtMs(), c.facts(), t);
    calls.add(new Pending(t + LATENCY_MS, task.cameraId(), task));
  }

  private static double meanConfidence(JsonObject frame) {
    JsonArray d = frame.getJsonArray("detections");
    double sum = 0;
    for (int i = 0; i < d.size(); i++) sum += d.getJsonObject(i).getDouble("confidence");
    return d.isEmpty() ? Double.NaN : sum / d.size();
  }

  private static AlertEngine.Settings settings(ArgusConfig.Aggregate a) {
    return new AlertEngine.Settings(a.alertLevel(), a.sustainedCount(), a.riseDelta(), a.riseWindowMs(),
        a.republishMs(), a.resolveAfterMs());
  }

  @Test
  void theDefaultAlertRulesMeetTheDemoGoalsOnEverySeed() {
    ArgusConfig config = defaults();
    for (long seed : SEEDS) {
      JsonObject s = run(config, settings(config.aggregate()), seed, SceneJudge.NOISE);
      assertTrue(s.getDouble("precision") >= 0.9, "seed " + seed + ": " + s.encode());
      assertEquals(1.0, s.getDouble("recall"), "seed " + seed + ": " + s.encode());
      assertTrue(s.getLong("time_to_alert_p95_ms") < 5000, "seed " + seed + ": " + s.encode());
      assertTrue(s.getDouble("max_open_share") <= 0.2, "seed " + seed + ": " + s.encode());
    }
  }

  /** Not a test: the sweep that chose the defaults, run by hand (command in the class comment). */
  public static void main(String[] args) {
    ArgusConfig config = defaults();
    ArgusConfig.Aggregate a = config.aggregate();
    System.out.println("noise sustained rise resolveMs | precision recall p50 p95 maxOpenShare alerts (worst seed)");
    for (double noise : new double[] {0.02, 0.05}) {
      for (int sustained : new int[] {3, 5}) {
        for (double rise : new double[] {0.2, 0.25, 0.3, 0.4}) {
          for (long resolve : new long[] {30_000}) {
            double precision = 1, recall = 1, share = 0;
            long p50 = 0, p95 = 0;
            int alerts = 0;
            for (long seed : SEEDS) {
              JsonObject s = run(config, new AlertEngine.Settings(a.alertLevel(), sustained, rise, a.riseWindowMs(),
                  a.republishMs(), resolve), seed, noise);
              precision = Math.min(precision, s.getDouble("precision"));
              recall = Math.min(recall, s.getDouble("recall"));
              p50 = Math.max(p50, s.getLong("time_to_alert_p50_ms"));
              p95 = Math.max(p95, s.getLong("time_to_alert_p95_ms"));
              share = Math.max(share, s.getDouble("max_open_share"));
              alerts = Math.max(alerts, s.getInteger("alerts"));
            }
            System.out.printf("%.2f %2d %.2f %5d | %.2f %.2f %5d %5d %.2f %3d%n", noise, sustained, rise, resolve,
                precision, recall, p50, p95, share, alerts);
          }
        }
      }
    }
  }
}
