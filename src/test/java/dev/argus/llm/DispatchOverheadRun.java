package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import dev.argus.config.LlmKeySpec;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.demo.provider.ProviderModel;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatcher alone (issue 10, point 4): tasks go straight into {@link Dispatcher#submit} on its own event
 * loop at a fixed rate, through the real key pool, breakers and HTTP client, to the simulated provider (a second
 * Vert.x in the same JVM) answering in about 5 ms. No ingest, Kafka, bridge or Redis: what
 * {@code argus_llm_dispatch_overhead_seconds} records here is Argus's own time around the call and nothing that
 * competes with it for the CPU but the provider and this feeder. The whole gateway's figure is
 * {@code bench/llm/dispatch.sh}. Run by {@code bench/llm/dispatch-only.sh}; prints one {@code DISPATCH-ONLY} row.
 *
 * <p>Args: rate (tasks/s, 500), warm-up s (5), window s (20), provider median ms (5).
 */
public final class DispatchOverheadRun {
  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int warmupS = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int windowS = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    double medianMs = args.length > 3 ? Double.parseDouble(args[3]) : 5;

    List<LlmKeySpec> keys = new ArrayList<>();
    StringBuilder yaml = new StringBuilder("keys:\n");
    for (int i = 1; i <= 5; i++) {
      String id = String.format(Locale.ROOT, "key-%02d", i);
      String secret = "sk-bench-" + id + "-0123456789abcdef";
      keys.add(new LlmKeySpec(id, secret, 1, rate, 0, 1, null, null));
      yaml.append("  - id: ").append(id).append("\n    api_key: \"").append(secret).append("\"\n    qps_limit: ")
          .append(rate).append('\n');
    }
    Vertx providerVertx = Vertx.vertx();
    SimulatedLlmVerticle sim = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0, keys, List.of(), medianMs,
        0.05, 0.0, 0.0, ProviderModel.legacyModel()));
    providerVertx.deployVerticle(sim).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Path keyFile = Files.createTempFile("argus-dispatch-only", ".yaml");
    Files.writeString(keyFile, yaml.toString());
    JsonObject conf = ConfigLoader.defaults();
    conf.mergeIn(new JsonObject().put("llm", new JsonObject()
        .put("baseUrl", "http://127.0.0.1:" + sim.actualPort() + "/v1").put("model", "argus-sim-1").put("apiKeys", "")
        .put("keysFile", keyFile.toString()).put("maxConcurrent", 100).put("queueCapacity", 6000)), true);
    ArgusConfig config = ArgusConfig.from(conf);
    // the production registry: its histogram buckets are the ones /metrics serves
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LlmDispatchVerticleBench verticle = new LlmDispatchVerticleBench(config, registry, rate);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Timer overhead = registry.get(MetricNames.LLM_DISPATCH_OVERHEAD).timer();
    Thread.sleep(warmupS * 1000L);
    CountAtBucket[] before = overhead.takeSnapshot().histogramCounts();
    long answered0 = verticle.answered.get();
    verticle.lagWindow = true;
    Thread.sleep(windowS * 1000L);
    CountAtBucket[] after = overhead.takeSnapshot().histogramCounts();
    verticle.lagWindow = false;
    long answered = verticle.answered.get() - answered0;
    long calls = 0;
    double[] upper = new double[after.length];
    long[] counts = new long[after.length];
    for (int i = 0; i < after.length; i++) {
      upper[i] = after[i].bucket(TimeUnit.MILLISECONDS);
      counts[i] = (long) (after[i].count() - (i < before.length ? before[i].count() : 0));
    }
    calls = counts.length == 0 ? 0 : counts[counts.length - 1]; // cumulative: the last bucket holds all
    double p50 = upper(upper, counts, calls, 0.50), p99 = upper(upper, counts, calls, 0.99), p999 = upper(upper, counts, calls, 0.999);
    long atMost1ms = 0;
    for (int i = 0; i < upper.length; i++) if (Math.abs(upper[i] - 1.0) < 1e-9) atMost1ms = counts[i];
    double over1msPct = calls == 0 ? Double.NaN : 100.0 * (calls - atMost1ms) / calls;
    long[] lags = verticle.lags();
    java.util.Arrays.sort(lags);
    double lagP99 = lags.length == 0 ? Double.NaN : lags[(int) Math.min(lags.length - 1, Math.ceil(lags.length * 0.99) - 1)] / 1e6;
    System.out.printf(Locale.ROOT, "dispatcher alone: %d tasks/s for %d s after %d s; provider median %.1f ms; answered %d (%.0f/s), "
            + "calls measured %d, rules answers %d%n", rate, windowS, warmupS, medianMs, answered, answered / (double) windowS,
        calls, verticle.rules.get());
    System.out.printf(Locale.ROOT, "overhead (argus_llm_dispatch_overhead_seconds, window, bucket upper bounds): p50 <= %.3f ms, "
        + "p99 <= %.3f ms, p99.9 <= %.3f ms; above 1 ms: %.3f%% of calls; reference: 10 ms timer lateness p99 %.3f ms (n=%d)%n",
        p50, p99, p999, over1msPct, lagP99, lags.length);
    System.out.printf(Locale.ROOT, "DISPATCH-ONLY hist_p50_ms=%.3f hist_p99_ms=%.3f over_1ms_pct=%.3f hist_p999_ms=%.3f timer_lag_p99_ms=%.3f "
        + "calls=%d answered_per_s=%.0f%n", p50, p99, over1msPct, p999, lagP99, calls, answered / (double) windowS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    providerVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Files.deleteIfExists(keyFile);
  }

  private static double upper(double[] upper, long[] cumulative, long total, double q) {
    long need = (long) Math.ceil(total * q);
    for (int i = 0; i < upper.length; i++) if (cumulative[i] >= need) return upper[i];
    return Double.POSITIVE_INFINITY;
  }

  /** The dispatcher wired as {@link LlmDispatchVerticle} wires it, fed by a timer instead of Kafka. */
  static final class LlmDispatchVerticleBench extends AbstractVerticle {
    private final ArgusConfig config;
    private final MeterRegistry registry;
    private final int rate;
    final AtomicLong answered = new AtomicLong();
    final AtomicLong rules = new AtomicLong();
    volatile boolean lagWindow;
    private final List<Long> lagList = new ArrayList<>();
    private long seq;

    LlmDispatchVerticleBench(ArgusConfig config, MeterRegistry registry, int rate) {
      this.config = config;
      this.registry = registry;
      this.rate = rate;
    }

    private void submit(Dispatcher dispatcher, long n) {
      long now = System.currentTimeMillis();
      String camera = String.format(Locale.ROOT, "dcam-%06d", n % 100_000);
      AssessmentTask task = AssessmentTask.fromJson(new JsonObject().put("task_id", camera + ":f" + n)
          .put("camera_id", camera).put("frame_id", "f" + n).put("detected_at", Instant.ofEpochMilli(now).toString())
          .put("created_at", Instant.ofEpochMilli(now).toString())
          .put("deadline", Instant.ofEpochMilli(now + 30_000).toString()).put("reason", "first_frame").put("priority", 5)
          .put("coalesced", 0).put("frame", new JsonObject().put("camera_id", camera).put("frame_id", "f" + n)
              .put("timestamp", now).put("model_type", "yolov8n").put("detections", new JsonArray()
                  .add(new JsonObject().put("label", "person").put("confidence", 0.87)
                      .put("bbox", new JsonArray().add(12).add(40).add(118).add(260))))));
      dispatcher.submit(task, null).whenComplete((a, err) -> {
        if (a != null && Assessment.SOURCE_LLM.equals(a.source())) answered.incrementAndGet();
        else rules.incrementAndGet();
      });
    }

    private void armLagProbe(long armedAt) {
      vertx.setTimer(10, id -> {
        long now = System.nanoTime();
        if (lagWindow) {
          synchronized (this) {
            lagList.add(Math.max(0, now - armedAt - 10_000_000L));
          }
        }
        armLagProbe(now);
      });
    }

    synchronized long[] lags() {
      return lagList.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void start(Promise<Void> started) {
      ArgusConfig.Llm llm = config.llm();
      Dispatcher.Clock clock = Dispatcher.Clock.system();
      KeyPool pool = new KeyPool(llm.keys(), KeyPool.Settings.of(llm), clock::nanos, new java.util.Random());
      var client = io.vertx.ext.web.client.WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
          .setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(100));
      GuardedProvider provider = new GuardedProvider(vertx, new ProviderClient(client, llm), llm);
      DispatchMeters meters = new DispatchMeters(registry, llm.keys(), llm.model());
      Dispatcher dispatcher = new Dispatcher(pool, llm.queueCapacity(), Dispatcher.Settings.of(llm), clock,
          (ms, action) -> vertx.setTimer(ms, id -> action.run()), provider, provider::allows, meters, new java.util.Random());
      vertx.setPeriodic(Dispatcher.TICK_MS, id -> dispatcher.pump());
      // Open loop on the clock: every 10 ms tick submits what the rate owes since the start (a late tick does
      // not lose tasks, and a periodic timer's catch-up after a stall cannot bunch them beyond what is owed).
      long startNanos = System.nanoTime();
      vertx.setPeriodic(10, id -> {
        long owed = (System.nanoTime() - startNanos) * rate / 1_000_000_000L;
        while (seq < owed) submit(dispatcher, seq++);
      });
      // The reference: lateness of a one-shot 10 ms timer, re-armed each time (a periodic one catches up).
      armLagProbe(System.nanoTime());
      started.complete();
    }
  }

  private DispatchOverheadRun() {}
}
