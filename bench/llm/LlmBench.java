import dev.argus.MainVerticle;
import dev.argus.metrics.MetricsSetup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import dev.argus.config.LlmKeySpec;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.demo.provider.ProviderModel;
import dev.argus.llm.PromptBuilder;
import dev.argus.model.AssessmentTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The LLM-dispatch benchmark (issue 3, "Benchmark"). One JVM: the simulated OpenAI-compatible provider on
 * its own Vert.x, a whole Argus gateway (the real MainVerticle, kafka.mode=direct) on another, a load
 * generator posting NDJSON over HTTP, and a local consumer of argus.assessments on the gateway's bus.
 *
 * <p>Runs (BENCH_LLM_RUNS, default "quota,revoked,overhead"):
 * <ul>
 *   <li>quota: 5 keys x 10 QPS, lognormal latency median 800 ms (sigma 0.4), 2% 5xx; demand 3x the quota.</li>
 *   <li>revoked: the same with a sixth key in the key file that the provider has revoked.</li>
 *   <li>overhead: a fast provider (20 ms, sigma 0.05, no errors), 50 frames/s, then the same provider called
 *       directly at 50 req/s with java.net.http.</li>
 * </ul>
 * Run through bench/llm/run.sh; see bench/llm/README.md for the meaning of every number.
 */
public class LlmBench {
  /** One registry for every gateway this benchmark starts, so counters are cumulative across runs. */
  static final PrometheusMeterRegistry REGISTRY = MetricsSetup.newRegistry();

  // ------------------------------------------------------------------ parameters

  static final class Params {
    final int keys = intEnv("BENCH_LLM_KEYS", 5);
    final int keyQps = intEnv("BENCH_LLM_KEY_QPS", 10);
    final double rate = dblEnv("BENCH_LLM_RATE", 150);
    final int seconds = intEnv("BENCH_LLM_SECONDS", 60);
    final int warmupS = intEnv("BENCH_LLM_WARMUP_S", 5);
    final int batchMs = intEnv("BENCH_LLM_BATCH_MS", 100);
    final double medianMs = dblEnv("BENCH_LLM_MEDIAN_MS", 800);
    final double sigma = dblEnv("BENCH_LLM_SIGMA", 0.4);
    final double errorRate = dblEnv("BENCH_LLM_ERROR_RATE", 0.02);
    final int maxConcurrent = intEnv("BENCH_LLM_MAX_CONCURRENT", 100);
    final int queueCapacity = intEnv("BENCH_LLM_QUEUE", 6000);
    final long deadlineMs = intEnv("BENCH_LLM_DEADLINE_MS", 30000);
    final String strategy = strEnv("BENCH_LLM_STRATEGY", "least_loaded");
    final double ovhRate = dblEnv("BENCH_LLM_OVH_RATE", 50);
    final int ovhSeconds = intEnv("BENCH_LLM_OVH_SECONDS", 25);
    final int ovhWarmupS = intEnv("BENCH_LLM_OVH_WARMUP_S", 8);
    final int ovhKeyQps = intEnv("BENCH_LLM_OVH_KEY_QPS", 100);
    final double ovhMedianMs = dblEnv("BENCH_LLM_OVH_MEDIAN_MS", 20);
    final double ovhSigma = dblEnv("BENCH_LLM_OVH_SIGMA", 0.05);
    final int ovhSliceMs = intEnv("BENCH_LLM_OVH_SLICE_MS", 100);
    // dispatch run (issue 10 point 4): the dispatcher's own time at 500 tasks/s against a 5 ms provider
    final double dispRate = dblEnv("BENCH_LLM_DISP_RATE", 500);
    final int dispSeconds = intEnv("BENCH_LLM_DISP_SECONDS", 20);
    final int dispWarmupS = intEnv("BENCH_LLM_DISP_WARMUP_S", 5);
    final int dispBatchMs = intEnv("BENCH_LLM_DISP_BATCH_MS", 10);
    final double dispMedianMs = dblEnv("BENCH_LLM_DISP_MEDIAN_MS", 5);
    final double dispSigma = dblEnv("BENCH_LLM_DISP_SIGMA", 0.05);
    final List<String> runs = Arrays.asList(strEnv("BENCH_LLM_RUNS", "quota,revoked,overhead").split("\\s*,\\s*"));

    String describe() {
      return String.format(Locale.ROOT,
          "keys=%d x %d qps, demand=%.0f frames/s (NDJSON every %d ms), window=%d s after %d s warm-up, provider median=%.0f ms sigma=%.2f 5xx=%.1f%%,%n"
              + "  llm.maxConcurrent=%d llm.queueCapacity=%d llm.deadlineMs=%d selection=%s; overhead: %.0f/s each side in %d ms slices, %d s measured after %d s, "
              + "keys %d x %d qps, provider median=%.0f ms sigma=%.2f; runs=%s",
          keys, keyQps, rate, batchMs, seconds, warmupS, medianMs, sigma, errorRate * 100, maxConcurrent, queueCapacity,
          deadlineMs, strategy, ovhRate, ovhSliceMs, ovhSeconds, ovhWarmupS, keys, ovhKeyQps, ovhMedianMs, ovhSigma,
          String.join(",", runs));
    }
  }

  static int intEnv(String name, int dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
  }

  static double dblEnv(String name, double dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : Double.parseDouble(v.trim());
  }

  static String strEnv(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  // ------------------------------------------------------------------ report

  static final StringBuilder REPORT = new StringBuilder();
  static final List<String> GOALS = new ArrayList<>();

  static void out(String s) {
    System.out.println(s);
    REPORT.append(s).append('\n');
  }

  static void out(String fmt, Object... args) {
    out(String.format(Locale.ROOT, fmt, args));
  }

  static void goal(String what, String measured, String target, boolean met) {
    GOALS.add(String.format(Locale.ROOT, "  %-4s %-52s %-22s goal %s", met ? "MET" : "MISS", what, measured, target));
  }

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    Path outFile = null;
    boolean part = false; // one of several JVMs of run.sh: it prints the combined goals itself
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) outFile = Path.of(args[++i]);
      else if (args[i].equals("--part")) part = true;
    }
    Params p = new Params();
    out("Argus LLM-dispatch benchmark  %s", Instant.now());
    out("machine: %d cores, %s %s, max heap %d MB; gateway %s", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, strEnv("BENCH_LLM_GIT", "(unknown revision)"));
    out("params: " + p.describe());
    out("load average at start: %s (other processes share this machine: every figure below moves with them; each run prints its CPU split)",
        Cpu.now().load());
    int failures = 0;
    for (String run : p.runs) {
      try {
        switch (run) {
          case "quota" -> rateRun(p, false);
          case "revoked" -> rateRun(p, true);
          case "overhead" -> overheadRun(p);
          case "dispatch" -> dispatchRun(p);
          default -> {
            if (!run.startsWith("limit:")) {
              throw new IllegalArgumentException("unknown run '" + run + "' (quota, revoked, overhead, limit:<variant>)");
            }
            LimitRuns.run(p, run.substring("limit:".length()));
          }
        }
      } catch (Exception e) {
        failures++;
        out("");
        out("RUN %s FAILED: %s", run, e);
        e.printStackTrace();
      }
    }
    if (part) {
      GOALS.forEach(g -> REPORT.append(g).append('\n')); // collected by run.sh into one goals section
      GOALS.forEach(System.out::println);
    } else {
      out("");
      out("== goals ==");
      GOALS.forEach(LlmBench::out);
    }
    if (outFile != null) {
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, REPORT.toString());
      System.out.println("report written to " + outFile);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  // ------------------------------------------------------------------ provider

  static final class Provider implements AutoCloseable {
    final Vertx vertx;     // the provider on a Vert.x of this JVM; null when it runs in its own
    final Process process; // the provider's own JVM (ProviderProcess); null when it runs in this one
    final int port;

    Provider(List<LlmKeySpec> keys, List<String> revoked, double medianMs, double sigma, double errorRate) throws Exception {
      this(keys, revoked, medianMs, sigma, errorRate, ProviderModel.legacyModel());
    }

    Provider(List<LlmKeySpec> keys, List<String> revoked, double medianMs, double sigma, double errorRate,
             ProviderModel model) throws Exception {
      vertx = Vertx.vertx();
      process = null;
      SimulatedLlmVerticle sim = new SimulatedLlmVerticle(
          new SimulatedLlmVerticle.Options(0, keys, revoked, medianMs, sigma, errorRate, 0.0, model));
      await(vertx.deployVerticle(sim), 30);
      port = sim.actualPort();
    }

    private Provider(Process process, int port) {
      this.vertx = null;
      this.process = process;
      this.port = port;
    }

    /**
     * The provider in a JVM of its own (bench/llm/ProviderProcess.java, which says why), with the same keys,
     * latency and model; its log goes to {@code log}.
     */
    static Provider separate(List<LlmKeySpec> keys, List<String> revoked, double medianMs, double sigma, double errorRate,
                             String modelName, JsonObject modelSpec, Path log) throws Exception {
      JsonArray ks = new JsonArray();
      keys.forEach(k -> ks.add(new JsonObject().put("id", k.id()).put("secret", k.secret()).put("qps", k.qpsLimit())));
      JsonObject spec = new JsonObject().put("keys", ks).put("revoked", new JsonArray(revoked)).put("medianMs", medianMs)
          .put("sigma", sigma).put("errorRate", errorRate).put("model", modelName).put("modelSpec", modelSpec);
      Path dir = Files.createTempDirectory("argus-provider");
      Path specFile = Files.writeString(dir.resolve("spec.json"), spec.encode());
      Path portFile = dir.resolve("port");
      String java = ProcessHandle.current().info().command().orElse("java");
      Process proc = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
          "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
          "-DBENCH_LOG_FILE=" + log, "-cp", System.getProperty("java.class.path"),
          Path.of(strEnv("BENCH_LLM_HOME", "bench/llm"), "ProviderProcess.java").toString(), specFile.toString(),
          portFile.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (!Files.exists(portFile)) {
        if (!proc.isAlive()) throw new IllegalStateException("the provider process exited with " + proc.exitValue() + "; see " + log);
        if (System.nanoTime() > deadline) {
          proc.destroyForcibly();
          throw new IllegalStateException("the provider process did not listen within 90 s; see " + log);
        }
        Thread.sleep(50);
      }
      return new Provider(proc, Integer.parseInt(Files.readString(portFile).trim()));
    }

    String baseUrl() {
      return "http://127.0.0.1:" + port + "/v1";
    }

    JsonObject stats() throws Exception {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/stats"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("provider /v1/stats answered " + r.statusCode());
      return new JsonObject(r.body());
    }

    @Override
    public void close() {
      try {
        if (vertx != null) await(vertx.close(), 20);
        if (process != null) {
          process.destroy();
          if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
      } catch (Exception e) {
        System.err.println("provider close: " + e);
      }
    }
  }

  static List<LlmKeySpec> keySpecs(int n, int qps) {
    List<LlmKeySpec> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      keys.add(new LlmKeySpec(String.format("key-%02d", i), String.format("sk-bench-%02d-0123456789abcdef", i), 1, qps,
          0, 1, null, null));
    }
    return keys;
  }

  static final String REVOKED_ID = "key-revoked";
  static final String REVOKED_SECRET = "sk-bench-revoked-00000000000000";

  // ------------------------------------------------------------------ gateway

  static final class Gateway implements AutoCloseable {
    final Vertx vertx;
    final MainVerticle main;
    final int port;
    final ConcurrentLinkedQueue<Rec> assessments = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Rec> poolStates = new ConcurrentLinkedQueue<>();
    /** When each frame of the overhead run appeared on argus.detections (ingest publishes it once accepted). */
    final Map<String, Long> detectionSeen = new ConcurrentHashMap<>();
    final Path tmp;

    Gateway(String providerUrl, List<LlmKeySpec> keys, Params p) throws Exception {
      this(providerUrl, keys, p, k -> "    qps_limit: " + (long) k.qpsLimit() + "\n");
    }

    /** {@code declare}: the YAML lines after {@code priority} that declare a key's limits (or none). */
    Gateway(String providerUrl, List<LlmKeySpec> keys, Params p, Function<LlmKeySpec, String> declare)
        throws Exception {
      tmp = Files.createTempDirectory("argus-llm-bench");
      StringBuilder yaml = new StringBuilder("# written by bench/llm/LlmBench.java\nkeys:\n");
      for (LlmKeySpec k : keys) {
        yaml.append("  - id: ").append(k.id()).append('\n')
            .append("    api_key: \"").append(k.secret()).append("\"\n")
            .append("    priority: 1\n")
            .append(declare.apply(k));
      }
      yaml.append("selection_strategy: ").append(p.strategy).append('\n');
      Path keyFile = tmp.resolve("keys.yaml");
      Files.writeString(keyFile, yaml.toString());
      port = freePort();
      JsonObject conf = ConfigLoader.defaults();
      conf.mergeIn(new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
          .put("kafka", new JsonObject().put("mode", "direct"))
          .put("redis", new JsonObject().put("url", ""))
          .put("detection", new JsonObject().put("minIntervalMs", 0))
          .put("demo", new JsonObject().put("enabled", false))
          .put("llm", new JsonObject().put("baseUrl", providerUrl).put("model", "argus-sim-1").put("apiKeys", "")
              .put("keysFile", keyFile.toString()).put("maxConcurrent", p.maxConcurrent)
              .put("queueCapacity", p.queueCapacity).put("deadlineMs", p.deadlineMs)), true);
      ArgusConfig config = ArgusConfig.from(conf); // no environment overrides: the run is always this one
      vertx = MetricsSetup.vertxBuilder(new VertxOptions(), REGISTRY).build();
      main = new MainVerticle(config, REGISTRY);
      try {
        await(vertx.deployVerticle(main), 60);
        MessageConsumer<JsonObject> c = vertx.eventBus().consumer("argus.assessments",
            m -> assessments.add(new Rec(System.nanoTime(), m.body())));
        await(c.completion(), 10);
        MessageConsumer<JsonObject> k = vertx.eventBus().consumer("argus.llm.keys",
            m -> poolStates.add(new Rec(System.nanoTime(), m.body())));
        await(k.completion(), 10);
        // The gateway publishes each frame as it came (a Buffer); older ones published a JsonObject.
        MessageConsumer<Object> d = vertx.eventBus().consumer("argus.detections", m -> {
          String cam = (m.body() instanceof Buffer b ? b.toJsonObject() : (JsonObject) m.body()).getString("camera_id");
          if (cam != null && cam.startsWith("ocam-")) detectionSeen.putIfAbsent(cam, System.nanoTime());
        });
        await(d.completion(), 10);
      } catch (Exception e) {
        vertx.close();
        throw e;
      }
      HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (ready.statusCode() != 200) {
        throw new IllegalStateException("gateway /health/ready answered " + ready.statusCode() + ": " + ready.body());
      }
    }

    URI ingest() {
      return URI.create("http://127.0.0.1:" + port + "/api/v1/detections");
    }

    @Override
    public void close() {
      try {
        await(main.shutdown(), 20);
      } catch (Exception e) {
        System.err.println("gateway shutdown: " + e);
      }
      try {
        await(vertx.close(), 20);
      } catch (Exception e) {
        System.err.println("gateway vertx close: " + e);
      }
      try (var files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // temp dir: best effort
      }
    }
  }

  /** One argus.assessments message and when the bench consumer got it. */
  record Rec(long recvNanos, JsonObject a) {
    long detectedMs() {
      return Instant.parse(a.getString("detected_at")).toEpochMilli();
    }

    long assessedMs() {
      return Instant.parse(a.getString("assessed_at")).toEpochMilli();
    }

    boolean llm() {
      return "llm".equals(a.getString("source"));
    }
  }

  // ------------------------------------------------------------------ load generator

  /**
   * Posts {@code rate} frames/s as NDJSON batches every {@code batchMs}, each frame its own camera (so each
   * becomes a task), with {@code timestamp} = the wall-clock time of the post. Open loop: it never waits for
   * an answer before sending the next batch.
   */
  static final class Poster extends Thread {
    final URI uri;
    final String prefix;
    final double rate;
    final long batchNanos;
    final long totalNanos;
    final long startNanos;
    final AtomicLongArray postNanos;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Map<String, AtomicLong> codes = new ConcurrentHashMap<>();
    volatile boolean stop;

    Poster(URI uri, String prefix, double rate, int batchMs, long startNanos, long totalNanos) {
      super("bench-poster-" + prefix);
      setDaemon(true);
      this.uri = uri;
      this.prefix = prefix;
      this.rate = rate;
      this.batchNanos = batchMs * 1_000_000L;
      this.startNanos = startNanos;
      this.totalNanos = totalNanos;
      this.postNanos = new AtomicLongArray((int) Math.ceil(rate * totalNanos / 1e9) + 16);
    }

    /** 0: every frame its own camera; else frames cycle over this many cameras. */
    int cameras;

    String camera(long i) {
      return String.format("%s-%06d", prefix, cameras > 0 ? i % cameras : i);
    }

    @Override
    public void run() {
      long n = 0;
      for (long tick = 0; !stop; tick++) {
        long at = startNanos + tick * batchNanos;
        if (at - startNanos >= totalNanos) break;
        long wait;
        while ((wait = at - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
        long due = Math.min(postNanos.length(), Math.round(rate * (tick + 1) * batchNanos / 1e9));
        if (due <= n) continue;
        long wallMs = System.currentTimeMillis();
        StringBuilder body = new StringBuilder();
        for (long i = n; i < due; i++) body.append(frameJson(camera(i), i, wallMs)).append('\n');
        int frames = (int) (due - n);
        long nanos = System.nanoTime();
        for (long i = n; i < due; i++) postNanos.set((int) i, nanos);
        n = due;
        sent.addAndGet(frames);
        HTTP.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString())
            .whenComplete((r, err) -> {
              String code = err != null ? err.getClass().getSimpleName() : String.valueOf(r.statusCode());
              codes.computeIfAbsent(code, k -> new AtomicLong()).addAndGet(frames);
              if (err == null && r.statusCode() == 202) accepted.addAndGet(frames);
              else failed.addAndGet(frames);
            });
      }
    }
  }

  static final String WARM_PREFIX = "wcam";

  /**
   * The dispatch load, on cameras of its own, until this JVM's JIT settles (under 1 s of compilation in 10 s,
   * at most BENCH_LLM_JIT_MAX_S, 360 s); returns the frames it sent. A fresh JVM's C2 compiler takes one of
   * the two cores for 2–3 minutes of load (measured 2026-12-01 on the gateway): a window inside that measures
   * the compiler.
   */
  static long warmUntilJitSettles(Gateway gw, Params p) throws Exception {
    long maxS = intEnv("BENCH_LLM_JIT_MAX_S", 360);
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long t0 = System.nanoTime();
    Poster warm = new Poster(gw.ingest(), WARM_PREFIX, p.dispRate, p.dispBatchMs, t0 + 50_000_000L, maxS * 1_000_000_000L);
    warm.cameras = (int) Math.ceil(p.dispRate);
    warm.start();
    long last = jit.getTotalCompilationTime();
    long grew;
    do {
      Thread.sleep(10_000);
      long now = jit.getTotalCompilationTime();
      grew = now - last;
      last = now;
    } while (grew >= 1000 && (System.nanoTime() - t0) / 1_000_000_000L < maxS);
    warm.stop = true;
    warm.join(20_000);
    long secs = (System.nanoTime() - t0) / 1_000_000_000L;
    out("JIT warm-up: %d s at the same load, %s (%d ms compiled in the last 10 s)", secs, grew < 1000 ? "settled" : "NOT settled", grew);
    return warm.sent.get();
  }

  /**
   * A limit run's JIT warm-up, on a gateway and provider of its own that are closed before the run starts:
   * the dispatch load against a fast provider without limits until the JIT settles. (Measured 2026-12-01 with a
   * 5 s warm-up: the calls arrived up to a few ms early while both JVMs were compiling, the refusals widened the
   * margins, and the 30 s window measured their slow narrowing rather than the pool: bucket-capacity-1 0.88–0.92
   * with all but three of its refusals in the warm-up.) The run's own pool then starts fresh, as a restarted
   * gateway's would on a warm machine. BENCH_LLM_LIMIT_JIT=no skips it.
   */
  static void warmJitApart(Params p) throws Exception {
    List<LlmKeySpec> keys = keySpecs(p.keys, (int) Math.ceil(p.dispRate));
    try (Provider provider = new Provider(keys, List.of(), p.dispMedianMs, p.dispSigma, 0.0);
         Gateway gw = new Gateway(provider.baseUrl(), keys, p)) {
      warmUntilJitSettles(gw, p);
    }
  }

  static void sleepUntil(long nanos) {
    long wait;
    while ((wait = nanos - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
  }

  // ------------------------------------------------------------------ quota runs (1, 2)

  static void rateRun(Params p, boolean withRevoked) throws Exception {
    String name = withRevoked ? "revoked" : "quota";
    List<LlmKeySpec> keys = new ArrayList<>(keySpecs(p.keys, p.keyQps));
    List<String> revoked = new ArrayList<>();
    if (withRevoked) {
      keys.add(new LlmKeySpec(REVOKED_ID, REVOKED_SECRET, 1, p.keyQps, 0, 1, null, null));
      revoked.add(REVOKED_SECRET);
    }
    double quota = (double) p.keys * p.keyQps;
    out("");
    out("== run %s: %d keys x %d qps (quota %.0f/s)%s, demand %.0f frames/s = %.1fx quota, provider %.0f ms median, %.1f%% 5xx ==",
        name, p.keys, p.keyQps, quota, withRevoked ? " + 1 revoked key (" + REVOKED_ID + ")" : "", p.rate, p.rate / quota,
        p.medianMs, p.errorRate * 100);
    try (Provider provider = new Provider(keys, revoked, p.medianMs, p.sigma, p.errorRate);
         Gateway gw = new Gateway(provider.baseUrl(), keys, p)) {
      long warmNanos = p.warmupS * 1_000_000_000L;
      long windowNanos = p.seconds * 1_000_000_000L;
      long start = System.nanoTime() + 50_000_000L;
      Poster poster = new Poster(gw.ingest(), name.charAt(0) + "cam", p.rate, p.batchMs, start, warmNanos + windowNanos);
      poster.start();
      sleepUntil(start + warmNanos);
      JsonObject s1 = provider.stats();
      long w1 = System.currentTimeMillis();
      long n1 = System.nanoTime();
      Map<String, Double> g1 = gatewayCounters();
      long sent1 = poster.sent.get();
      Cpu c1 = Cpu.now();
      sleepUntil(start + warmNanos + windowNanos);
      JsonObject s2 = provider.stats();
      long w2 = System.currentTimeMillis();
      long n2 = System.nanoTime();
      Map<String, Double> g2 = gatewayCounters();
      long sent2 = poster.sent.get();
      Cpu c2 = Cpu.now();
      poster.stop = true;
      poster.join(5000);
      Thread.sleep(1000); // the last posts' answers
      JsonObject sEnd = provider.stats();
      double secs = (n2 - n1) / 1e9;

      // --- provider side, measured window
      long admitted = 0, limited = 0, unauth = 0, s5xx = 0;
      StringBuilder perKey = new StringBuilder();
      for (String id : new TreeMap<>(s2.getMap()).keySet()) {
        JsonObject a = s2.getJsonObject(id), b = s1.getJsonObject(id, new JsonObject());
        long ad = a.getLong("admitted") - b.getLong("admitted", 0L);
        long rl = a.getLong("rate_limited") - b.getLong("rate_limited", 0L);
        long un = a.getLong("unauthorized") - b.getLong("unauthorized", 0L);
        long se = a.getLong("server_errors") - b.getLong("server_errors", 0L);
        admitted += ad;
        limited += rl;
        unauth += un;
        s5xx += se;
        perKey.append(String.format(Locale.ROOT, "    %-12s admitted %5d (%.2f/s)  429 %3d  401 %2d  5xx %3d%n", id, ad, ad / secs, rl, un, se));
      }
      long calls = admitted + limited + unauth;
      double ratio = admitted / (quota * secs);
      double share429 = calls == 0 ? 0 : (double) limited / calls;
      out("demand: %d frames posted in the window (%.1f/s); whole run %d posted, %d accepted (202), %d refused/failed %s",
          sent2 - sent1, (sent2 - sent1) / secs, poster.sent.get(), poster.accepted.get(), poster.failed.get(), poster.codes);
      out(c1.until(c2));
      out("provider, measured window %.2f s (after %d s warm-up):", secs, p.warmupS);
      out("  admitted calls          %6d  = %.2f/s  ->  admitted / (quota x s) = %d / (%.0f x %.2f) = %.4f", admitted,
          admitted / secs, admitted, quota, secs, ratio);
      out("  answered 429            %6d  = %.3f%% of %d calls", limited, share429 * 100, calls);
      out("  answered 401            %6d", unauth);
      out("  5xx (admitted, failed)  %6d  = %.2f%% of admitted", s5xx, admitted == 0 ? 0 : 100.0 * s5xx / admitted);
      out("  per key:");
      REPORT.append(perKey);
      System.out.print(perKey);

      // --- gateway side (its own counters, same window)
      out("gateway counters, same window: llm_requests_total by status %s; llm_tasks_expired_total %.0f; argus_dlq_total %.0f",
          diffByPrefix(g1, g2, "llm_requests|"), diff(g1, g2, "llm_tasks_expired"), diff(g1, g2, "argus_dlq"));

      // --- the pool as the gateway published it (argus.llm.keys, once a second)
      Map<String, double[]> eff = new TreeMap<>(); // sum, samples, min, below-limit samples
      Map<String, Long> states = new TreeMap<>();
      long samples = 0, inFlightSum = 0, inFlightMax = 0, atCap = 0;
      for (Rec r : gw.poolStates) {
        if (r.recvNanos() < n1 || r.recvNanos() > n2) continue;
        samples++;
        long inFlight = r.a().getLong("in_flight", 0L);
        inFlightSum += inFlight;
        inFlightMax = Math.max(inFlightMax, inFlight);
        if (inFlight >= p.maxConcurrent) atCap++;
        for (Object o : r.a().getJsonArray("keys", new JsonArray())) {
          JsonObject k = (JsonObject) o;
          String id = k.getString("id");
          states.merge(id + ":" + k.getString("state"), 1L, Long::sum);
          Double q = k.getDouble("effective_qps");
          if (q == null) continue;
          double[] e = eff.computeIfAbsent(id, x -> new double[] {0, 0, Double.MAX_VALUE, 0});
          e[0] += q;
          e[1]++;
          e[2] = Math.min(e[2], q);
          if (q < p.keyQps - 1e-9) e[3]++;
        }
      }
      StringBuilder pool = new StringBuilder();
      eff.forEach((id, e) -> pool.append(String.format(Locale.ROOT, " %s mean %.2f min %.2f below-limit %d/%d;", id,
          e[0] / e[1], e[2], (long) e[3], (long) e[1])));
      out("key pool (argus.llm.keys, %d one-second samples in the window): effective_qps%s", samples, pool);
      Map<String, Long> notActive = new TreeMap<>();
      states.forEach((k, v) -> {
        if (!k.endsWith(":active")) notActive.put(k, v);
      });
      out("  samples in a state other than active: %s", notActive.isEmpty() ? "none" : notActive);
      out("  calls in flight: mean %.1f, max %d, samples at llm.maxConcurrent (%d): %d", samples == 0 ? 0.0 : (double) inFlightSum / samples,
          inFlightMax, p.maxConcurrent, atCap);

      // --- assessments
      List<Rec> all = new ArrayList<>(gw.assessments);
      List<Rec> inWindow = all.stream().filter(r -> {
        long t = r.assessedMs();
        return t >= w1 && t < w2;
      }).toList();
      long[] llmLat = inWindow.stream().filter(Rec::llm).mapToLong(r -> r.assessedMs() - r.detectedMs()).sorted().toArray();
      long[] provLat = inWindow.stream().filter(Rec::llm).mapToLong(r -> r.a().getLong("latency_ms", 0L)).sorted().toArray();
      Map<String, Long> reasons = new TreeMap<>();
      inWindow.stream().filter(r -> !r.llm()).forEach(r -> reasons.merge(reasonKind(r.a().getString("fallback_reason")), 1L, Long::sum));
      long rules = inWindow.size() - llmLat.length;
      out("assessments published in the window (assessed_at inside it): %d = %.1f/s", inWindow.size(), inWindow.size() / secs);
      out("  source llm    %6d = %.2f/s", llmLat.length, llmLat.length / secs);
      out("  source rules  %6d = %.2f/s  (fallback reasons: %s)", rules, rules / secs, reasons);
      out("  LLM task latency, detected_at -> assessed_at, ms:  %s", pct(llmLat));
      out("  of which the provider call (latency_ms), ms:       %s", pct(provLat));
      out("  timeline (10 s buckets from the first post; llm/s, rules/s, llm task latency p50 in s):");
      long t0 = w1 - p.warmupS * 1000L;
      StringBuilder tl = new StringBuilder("   ");
      for (long b = t0; b < w2; b += 10_000) {
        final long lo = b, hi = Math.min(b + 10_000, w2);
        long[] lat = all.stream().filter(r -> r.llm() && r.assessedMs() >= lo && r.assessedMs() < hi)
            .mapToLong(r -> r.assessedMs() - r.detectedMs()).sorted().toArray();
        long nr = all.stream().filter(r -> !r.llm() && r.assessedMs() >= lo && r.assessedMs() < hi).count();
        double span = (hi - lo) / 1000.0;
        tl.append(String.format(Locale.ROOT, " [%3ds %4.1f %5.1f %5.1f]", (lo - t0) / 1000, lat.length / span, nr / span,
            lat.length == 0 ? Double.NaN : percentile(lat, 50) / 1000.0));
      }
      out(tl.toString());
      goal(name + ": admitted / (quota x s)", String.format(Locale.ROOT, "%.4f", ratio), ">= 0.97", ratio >= 0.97);
      goal(name + ": share of calls answered 429", String.format(Locale.ROOT, "%.3f%%", share429 * 100), "< 1%", share429 < 0.01);

      out(registryLine());
      if (withRevoked) {
        JsonObject r = sEnd.getJsonObject(REVOKED_ID, new JsonObject());
        long toRevoked = r.getLong("admitted", 0L) + r.getLong("rate_limited", 0L) + r.getLong("unauthorized", 0L);
        out("revoked key %s, whole run (from the first post to the end): %d call(s) received (401: %d)", REVOKED_ID, toRevoked,
            r.getLong("unauthorized", 0L));
        goal("revoked: calls the revoked key received", String.valueOf(toRevoked), "exactly 1", toRevoked == 1);
      }
    }
  }

  static String reasonKind(String reason) {
    if (reason == null) return "none";
    if (reason.startsWith("deadline passed")) return "deadline";
    if (reason.startsWith("the dispatch queue is full")) return "queue_full";
    if (reason.startsWith("LLM failed after")) return "attempts_exhausted";
    if (reason.startsWith("no LLM key left")) return "no_key_left";
    if (reason.startsWith("no LLM API keys")) return "no_keys";
    return "other";
  }

  /** Counter values of the process's Argus registry, keyed "name|tag=value,..." (cumulative across runs). */
  static Map<String, Double> gatewayCounters() {
    MeterRegistry reg = REGISTRY;
    Map<String, Double> m = new TreeMap<>();
    for (Counter c : reg.find("llm_requests").counters()) {
      m.merge("llm_requests|" + c.getId().getTag("status"), c.count(), Double::sum);
    }
    for (String n : List.of("llm_tasks_expired", "argus_dlq")) {
      double sum = 0;
      for (Counter c : reg.find(n).counters()) sum += c.count();
      m.put(n, sum);
    }
    return m;
  }

  /** How many meters the process's registry holds (it is static: one per JVM, shared by every gateway). */
  static String registryLine() {
    long all = REGISTRY.getMeters().size();
    long det = REGISTRY.find("detection").meters().size();
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "JVM: Prometheus registry holds %d meters, %d of them detection_total (one per camera_id); heap used %d MB",
        all, det, (rt.totalMemory() - rt.freeMemory()) >> 20);
  }

  static double diff(Map<String, Double> a, Map<String, Double> b, String key) {
    return b.getOrDefault(key, 0.0) - a.getOrDefault(key, 0.0);
  }

  static Map<String, Long> diffByPrefix(Map<String, Double> a, Map<String, Double> b, String prefix) {
    Map<String, Long> m = new TreeMap<>();
    b.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        long d = Math.round(v - a.getOrDefault(k, 0.0));
        if (d != 0) m.put(k.substring(prefix.length()), d);
      }
    });
    return m;
  }

  // ------------------------------------------------------------------ overhead run (3)

  /**
   * Argus and the direct reference take turns in slices of BENCH_LLM_OVH_SLICE_MS (100 ms): in an Argus slice
   * the generator posts one frame every 1/rate s to the gateway; in a direct slice it calls the provider
   * itself at the same rate. Both thus see the same machine (this one is shared, and other processes' load
   * moves by the second), which sequential runs would not; slices shorter than a stretched GC pause make a
   * pause hit both sides rather than whichever slice it fell in. Each side gets BENCH_LLM_OVH_SECONDS of
   * measured slices after BENCH_LLM_OVH_WARMUP_S of warm-up slices.
   */
  static void overheadRun(Params p) throws Exception {
    List<LlmKeySpec> keys = keySpecs(p.keys, p.ovhKeyQps);
    out("");
    out("== run overhead: provider median %.0f ms sigma %.2f, no errors, %d keys x %d qps; Argus and direct calls take turns in %d ms slices, "
            + "each %.0f/s, %d s measured each after %d s warm-up each ==",
        p.ovhMedianMs, p.ovhSigma, p.keys, p.ovhKeyQps, p.ovhSliceMs, p.ovhRate, p.ovhSeconds, p.ovhWarmupS);
    try (Provider provider = new Provider(keys, List.of(), p.ovhMedianMs, p.ovhSigma, 0.0);
         Gateway gw = new Gateway(provider.baseUrl(), keys, p)) {
      // The direct side sends what Argus sends: PromptBuilder's request for a task from the same kind of frame.
      JsonObject frame = new JsonObject(frameJson("direct-000001", 1, System.currentTimeMillis()));
      // (built from its wire form, which is more stable than the record's constructor)
      String nowIso = Instant.now().toString();
      AssessmentTask task = AssessmentTask.fromJson(new JsonObject().put("task_id", "direct-000001:f1")
          .put("camera_id", "direct-000001").put("frame_id", "f1").put("detected_at", nowIso).put("created_at", nowIso)
          .put("deadline", Instant.now().plusSeconds(30).toString()).put("reason", "first_frame").put("priority", 5)
          .put("coalesced", 0).put("frame", frame));
      byte[] directBody = PromptBuilder.request(task, "argus-sim-1").toBuffer().getBytes();
      URI directUri = URI.create(provider.baseUrl() + "/chat/completions");
      URI ingest = gw.ingest();

      long period = Math.round(1e9 / p.ovhRate);
      long perSlice = Math.max(1, Math.round(p.ovhSliceMs * 1e6 / period));
      long warmTicks = 2 * Math.round(p.ovhRate * p.ovhWarmupS);          // both sides' warm-up
      long ticks = warmTicks + 2 * Math.round(p.ovhRate * p.ovhSeconds);  // + both sides' measured calls
      int capacity = (int) ticks + 8;
      AtomicLongArray argusSent = new AtomicLongArray(capacity);      // by frame index
      AtomicLongArray argusAcked = new AtomicLongArray(capacity);     // when its 202 came back
      boolean[] argusMeasured = new boolean[capacity];
      double[] directLat = new double[capacity];
      long[] directStart = new long[capacity];
      boolean[] directMeasured = new boolean[capacity];
      AtomicLong directBad = new AtomicLong(), argusBad = new AtomicLong(), argusAccepted = new AtomicLong();
      int frames = 0, calls = 0;
      java.util.concurrent.Phaser pending = new java.util.concurrent.Phaser(1);
      long start = System.nanoTime() + 50_000_000L;
      Cpu c1 = null;
      for (long tick = 0; tick < ticks; tick++) {
        sleepUntil(start + tick * period);
        if (tick == warmTicks) c1 = Cpu.now();
        boolean measured = tick >= warmTicks;
        if ((tick / perSlice) % 2 == 0) {
          int i = frames++;
          argusMeasured[i] = measured;
          String body = frameJson("ocam-" + String.format("%06d", i), i, System.currentTimeMillis()) + "\n";
          argusSent.set(i, System.nanoTime());
          pending.register();
          HTTP.sendAsync(HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(15))
                  .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, err) -> {
                argusAcked.set(i, System.nanoTime());
                if (err == null && r.statusCode() == 202) argusAccepted.incrementAndGet();
                else argusBad.incrementAndGet();
                pending.arriveAndDeregister();
              });
        } else {
          int j = calls++;
          directMeasured[j] = measured;
          LlmKeySpec key = keys.get(j % keys.size());
          pending.register();
          long t = System.nanoTime();
          directStart[j] = t;
          HTTP.sendAsync(HttpRequest.newBuilder(directUri).timeout(Duration.ofSeconds(15))
                  .header("Content-Type", "application/json").header("Authorization", "Bearer " + key.secret())
                  .POST(HttpRequest.BodyPublishers.ofByteArray(directBody)).build(), HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, err) -> {
                directLat[j] = (System.nanoTime() - t) / 1e6;
                if (err != null || r.statusCode() != 200) directBad.incrementAndGet();
                pending.arriveAndDeregister();
              });
        }
      }
      Cpu c2 = Cpu.now();
      pending.arriveAndDeregister();
      try {
        pending.awaitAdvanceInterruptibly(0, 15, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        out("(some requests had no answer after 15 s)");
      }
      long measuredFrames = 0;
      for (int i = 0; i < frames; i++) if (argusMeasured[i]) measuredFrames++;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (gw.assessments.size() < frames && System.nanoTime() < deadline) Thread.sleep(100);

      List<Rec> mine = new ArrayList<>();
      long notLlm = 0;
      for (Rec r : gw.assessments) {
        int idx = frameIndex(r.a().getString("camera_id"));
        if (idx < 0 || !argusMeasured[idx]) continue;
        if (!r.llm()) notLlm++;
        else mine.add(r);
      }
      double[] argusTotal = mine.stream().mapToDouble(r ->
          (r.recvNanos() - argusSent.get(frameIndex(r.a().getString("camera_id")))) / 1e6).sorted().toArray();
      long[] payloadOverhead = mine.stream().mapToLong(r -> r.assessedMs() - r.detectedMs() - r.a().getLong("latency_ms")).sorted().toArray();
      long[] provLat = mine.stream().mapToLong(r -> r.a().getLong("latency_ms")).sorted().toArray();
      double[] ingestAck = mine.stream().mapToDouble(r -> {
        int i = frameIndex(r.a().getString("camera_id"));
        return (argusAcked.get(i) - argusSent.get(i)) / 1e6;
      }).sorted().toArray();
      // Split at argus.detections: ingest (HTTP, parse, validation, hand-over to the bridge) and the rest.
      double[] toDetection = mine.stream().map(r -> r.a().getString("camera_id")).filter(gw.detectionSeen::containsKey)
          .mapToDouble(c -> (gw.detectionSeen.get(c) - argusSent.get(frameIndex(c))) / 1e6).sorted().toArray();
      double[] afterIngest = mine.stream().filter(r -> gw.detectionSeen.containsKey(r.a().getString("camera_id")))
          .mapToDouble(r -> (r.recvNanos() - gw.detectionSeen.get(r.a().getString("camera_id"))) / 1e6
              - r.a().getLong("latency_ms")).sorted().toArray();
      List<Double> d = new ArrayList<>();
      for (int j = 0; j < calls; j++) if (directMeasured[j]) d.add(directLat[j]);
      double[] direct = d.stream().mapToDouble(Double::doubleValue).sorted().toArray();

      out("Argus: %d frames posted (%d accepted, %d not), %d measured, LLM-answered %d, not LLM %d, missing %d", frames,
          argusAccepted.get(), argusBad.get(), measuredFrames, mine.size(), notLlm, measuredFrames - mine.size() - notLlm);
      out("direct: %d calls, %d measured, %d not 200", calls, direct.length, directBad.get());
      out(c1.until(c2));
      out("Argus, per task (from the argus.assessments payload, ms resolution):");
      out("  overhead = (assessed_at - detected_at) - latency_ms, ms:   %s", pct(payloadOverhead));
      out("  provider call as the gateway timed it (latency_ms), ms:  %s", pct(provLat));
      out("  ingest: frame POST sent -> its 202 received (in-JVM), ms:  %s", pctD(ingestAck));
      out("  split: POST sent -> frame published on argus.detections (ingest), ms:  %s", pctD(toDetection));
      out("         argus.detections -> assessment received, minus latency_ms (bridge, dispatch, aggregator), ms:  %s", pctD(afterIngest));
      out("Argus total, in-JVM: frame POST sent -> assessment received on the bench's bus consumer, ms:  %s", pctD(argusTotal));
      out("Direct: the same provider called with java.net.http (send -> full response), ms:               %s", pctD(direct));
      StringBuilder tl = new StringBuilder("timeline (5 s of measured run each; Argus total p50/max | direct p50/max, ms):");
      long measuredStart = start + warmTicks * period;
      for (long b = 0; b < 2L * p.ovhSeconds; b += 5) {
        final long lo = measuredStart + b * 1_000_000_000L, hi = lo + 5_000_000_000L;
        double[] a = mine.stream().filter(r -> {
          long t = argusSent.get(frameIndex(r.a().getString("camera_id")));
          return t >= lo && t < hi;
        }).mapToDouble(r -> (r.recvNanos() - argusSent.get(frameIndex(r.a().getString("camera_id")))) / 1e6).sorted().toArray();
        List<Double> dd = new ArrayList<>();
        for (int j = 0; j < calls; j++) {
          long t = directStart[j];
          if (directMeasured[j] && t >= lo && t < hi) dd.add(directLat[j]);
        }
        double[] dv = dd.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        tl.append(String.format(Locale.ROOT, "%n   %3d-%3d s: %7.1f %8.1f | %7.1f %8.1f", b, b + 5, percentile(a, 50),
            a.length == 0 ? Double.NaN : a[a.length - 1], percentile(dv, 50), dv.length == 0 ? Double.NaN : dv[dv.length - 1]));
      }
      out(tl.toString());
      out(registryLine());
      double addP50 = percentile(argusTotal, 50) - percentile(direct, 50);
      double addP99 = percentile(argusTotal, 99) - percentile(direct, 99);
      out("Added by Argus: p50(Argus total) - p50(direct) = %.2f ms;  p99(Argus total) - p99(direct) = %.2f ms", addP50, addP99);
      goal("overhead: p99(Argus total) - p99(direct)", String.format(Locale.ROOT, "%.2f ms", addP99), "< 2 ms", addP99 < 2);
      goal("overhead: p99 of per-task overhead (payload)", payloadOverhead.length == 0 ? "n/a"
          : percentile(payloadOverhead, 99) + " ms", "< 2 ms", payloadOverhead.length > 0 && percentile(payloadOverhead, 99) < 2);
    }
  }

  // ------------------------------------------------------------------ dispatch overhead run (issue 10, point 4)

  /**
   * The dispatcher's own time ({@code argus_llm_dispatch_overhead_seconds}: task leaving the queue -> request
   * written, plus reply arrived -> result handed on) at BENCH_LLM_DISP_RATE (500) tasks/s against a provider
   * answering in BENCH_LLM_DISP_MEDIAN_MS (5 ms), with limits far above the demand. Read from the gateway's
   * registry as the difference of two snapshots around the measured window. Separately, end to end: ingest ->
   * assessment minus the provider call. Reference, same JVM, same window: how late a 10 ms timer on the gateway's
   * Vert.x fires (the machine's scheduling delay, which every figure above includes). One line DISPATCH-ROW
   * for bench/llm/dispatch.sh's median of three.
   */
  static void dispatchRun(Params p) throws Exception {
    int keyQps = (int) Math.ceil(p.dispRate); // each key alone could take all the demand: limits never bind
    List<LlmKeySpec> keys = keySpecs(p.keys, keyQps);
    out("");
    out("== run dispatch: %.0f tasks/s (NDJSON every %d ms, one camera per frame) for %d s after %d s warm-up; provider median %.1f ms sigma %.2f, "
        + "no errors, %d keys x %d qps ==", p.dispRate, p.dispBatchMs, p.dispSeconds, p.dispWarmupS, p.dispMedianMs, p.dispSigma, p.keys, keyQps);
    try (Provider provider = new Provider(keys, List.of(), p.dispMedianMs, p.dispSigma, 0.0);
         Gateway gw = new Gateway(provider.baseUrl(), keys, p)) {
      io.micrometer.core.instrument.Timer timer = REGISTRY.get(dev.argus.model.MetricNames.LLM_DISPATCH_OVERHEAD).timer();
      long warm = p.dispWarmupS * 1_000_000_000L;
      long total = warm + p.dispSeconds * 1_000_000_000L;
      long warmSent = warmUntilJitSettles(gw, p);
      long start = System.nanoTime() + 50_000_000L;
      Poster poster = new Poster(gw.ingest(), "dcam", p.dispRate, p.dispBatchMs, start, total);
      // One camera per frame would grow the gateway's per-camera state (and detection_total's series) by 500 a
      // second; cycling over as many cameras as frames a second gives each camera a frame a second, and each
      // frame a new track id, so the bridge's gate still makes every frame a task (the report counts them).
      poster.cameras = (int) Math.ceil(p.dispRate);
      // the reference: lateness of a 10 ms periodic timer on the gateway's Vert.x, in the window
      List<Long> lagNanos = java.util.Collections.synchronizedList(new ArrayList<>());
      long[] last = {0};
      boolean[] measuring = {false};
      long lagTimer = gw.vertx.setPeriodic(10, id -> {
        long now = System.nanoTime();
        if (last[0] != 0 && measuring[0]) lagNanos.add(Math.max(0, now - last[0] - 10_000_000L));
        last[0] = now;
      });
      poster.start();
      sleepUntil(start + warm);
      var before = timer.takeSnapshot();
      measuring[0] = true;
      Cpu c1 = Cpu.now();
      sleepUntil(start + total);
      Cpu c2 = Cpu.now();
      var after = timer.takeSnapshot();
      measuring[0] = false;
      poster.join(20_000);
      gw.vertx.cancelTimer(lagTimer);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (gw.assessments.size() < warmSent + poster.sent.get() && System.nanoTime() < deadline) Thread.sleep(100);

      long n = after.count() - before.count();
      double meanMs = n == 0 ? Double.NaN : (after.total(TimeUnit.NANOSECONDS) - before.total(TimeUnit.NANOSECONDS)) / n / 1e6;
      double[] hist = histogramQuantilesMs(before, after, 0.5, 0.99, 0.999);
      List<Rec> mine = new ArrayList<>();
      long notLlm = 0;
      long from = start + warm;
      for (Rec r : gw.assessments) {
        if (r.a().getString("camera_id", "").startsWith(WARM_PREFIX)) continue; // the JIT warm-up's frames
        int idx = frameNumber(r);
        if (idx < 0 || idx >= poster.postNanos.length()) continue;
        long posted = poster.postNanos.get(idx);
        if (posted - from < 0 || posted - (start + total) >= 0) continue;
        if (r.llm()) mine.add(r);
        else notLlm++;
      }
      long[] payload = mine.stream().mapToLong(r -> r.assessedMs() - r.detectedMs() - r.a().getLong("latency_ms")).sorted().toArray();
      double[] inJvm = mine.stream().mapToDouble(r -> (r.recvNanos() - poster.postNanos.get(frameNumber(r))) / 1e6
          - r.a().getLong("latency_ms")).sorted().toArray();
      double[] lag = lagNanos.stream().mapToDouble(l -> l / 1e6).sorted().toArray();
      out("frames posted %d (accepted %d, refused %d %s) over %d cameras; in the window: %d LLM answers, %d not LLM; calls measured by the histogram %d (%.0f/s)",
          poster.sent.get(), poster.accepted.get(), poster.failed.get(), poster.codes, poster.cameras, mine.size(), notLlm, n, n / (double) p.dispSeconds);
      out(c1.until(c2));
      out("dispatch overhead (argus_llm_dispatch_overhead_seconds, window): mean %.3f ms; p50 <= %.3f ms, p99 <= %.3f ms, p99.9 <= %.3f ms "
          + "(upper bounds of the histogram's buckets)", meanMs, hist[0], hist[1], hist[2]);
      double over1ms = n == 0 ? Double.NaN : 1 - countAtMostMs(before, after, 1.0) / (double) n;
      out("dispatch overhead above 1 ms (the histogram's 1 ms bucket): %.3f%% of the window's calls (p99 < 1 ms holds when under 1%%)",
          over1ms * 100);
      out("end to end, ingest -> assessment minus the provider call:");
      out("  (assessed_at - detected_at) - latency_ms (payload, whole ms), ms:              %s", pct(payload));
      out("  POST sent -> assessment received (in-JVM) - latency_ms (truncated ms), ms:     %s", pctD(inJvm));
      out("reference: lateness of a 10 ms timer on the gateway's Vert.x in the window, ms:   %s", pctD(lag));
      out(registryLine());
      out("DISPATCH-ROW hist_p99_ms=%.3f over_1ms_pct=%.3f hist_mean_ms=%.3f e2e_payload_p50_ms=%d e2e_payload_p99_ms=%d e2e_jvm_p50_ms=%.2f e2e_jvm_p99_ms=%.2f "
          + "timer_lag_p99_ms=%.2f calls=%d load=%s",
          hist[1], over1ms * 100, meanMs, percentile(payload, 50), percentile(payload, 99), percentile(inJvm, 50), percentile(inJvm, 99),
          percentile(lag, 99), n, c2.load());
      goal("dispatch overhead p99 (histogram, " + (int) p.dispRate + "/s, " + fmtMs(p.dispMedianMs) + " ms provider)",
          String.format(Locale.ROOT, "<= %.3f ms", hist[1]), "< 1 ms", hist[1] < 1);
    }
  }

  /** The frame's number from its {@code frame_id} ("f<n>"), or -1. */
  static int frameNumber(Rec r) {
    String f = r.a().getString("frame_id");
    try {
      return f != null && f.startsWith("f") ? Integer.parseInt(f.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

    static String fmtMs(double ms) {
    return ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms);
  }

  /** Calls recorded between two snapshots in the histogram bucket whose upper bound is {@code boundMs} (cumulative). */
  static long countAtMostMs(io.micrometer.core.instrument.distribution.HistogramSnapshot before,
                            io.micrometer.core.instrument.distribution.HistogramSnapshot after, double boundMs) {
    var b = before.histogramCounts();
    var a = after.histogramCounts();
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i].bucket(TimeUnit.MILLISECONDS) - boundMs) < 1e-9) return (long) (a[i].count() - (i < b.length ? b[i].count() : 0));
    }
    throw new IllegalStateException("no histogram bucket at " + boundMs + " ms");
  }

  /**
   * Quantiles of what a timer recorded between two snapshots, from its (cumulative) histogram buckets: for each
   * quantile the upper bound of the first bucket holding it, in ms.
   */
  static double[] histogramQuantilesMs(io.micrometer.core.instrument.distribution.HistogramSnapshot before,
                                       io.micrometer.core.instrument.distribution.HistogramSnapshot after, double... qs) {
    var b = before.histogramCounts();
    var a = after.histogramCounts();
    long n = after.count() - before.count();
    double[] out = new double[qs.length];
    java.util.Arrays.fill(out, Double.NaN);
    for (int q = 0; q < qs.length; q++) {
      if (n == 0) continue;
      double want = qs[q] * n;
      for (int i = 0; i < a.length; i++) {
        double cum = a[i].count() - (i < b.length ? b[i].count() : 0);
        if (cum >= want) {
          out[q] = a[i].bucket(TimeUnit.MILLISECONDS);
          break;
        }
      }
      if (Double.isNaN(out[q])) out[q] = after.max(TimeUnit.MILLISECONDS);
    }
    return out;
  }

  // ------------------------------------------------------------------ limit-model runs (issue 10)

  /**
   * One run per limit variant: the simulator with one of conf.json's demo.provider.models, 5 keys (+ a revoked
   * one) and demand 3x what the model allows. Reports admitted / allowed, the share of calls answered 429, the
   * age of served tasks (detected_at -> assessed_at of LLM answers) and the calls the revoked key received.
   */
  static final class LimitRuns {
    /** A run: the provider model, how the key file declares the limits, what the provider allows. */
    /** A run: the provider model, how the key file declares the limits ({qps}/{rpm}/{tpm}: scaled), its unit. */
    record Variant(String name, String model, boolean known, String declare, String unit, int seconds) {}

    static final List<Variant> VARIANTS = List.of(
        new Variant("token-bucket", "token-bucket", true, "qps_limit: {qps}", "requests", 0),
        new Variant("token-bucket-undeclared", "token-bucket", false, "", "requests", 0),
        new Variant("bucket-capacity-1", "bucket-capacity-1", true, "qps_limit: {qps}", "requests", 0),
        new Variant("fixed-minute", "fixed-minute", true, "rpm_limit: {rpm}", "requests", 60),
        new Variant("quantized-second", "quantized-second", true, "rpm_limit: {rpm}", "requests", 0),
        new Variant("sliding-10s", "sliding-10s", true, "rpm_limit: {rpm}", "requests", 0),
        new Variant("concurrency", "concurrency", true, "qps_limit: {qps}", "requests", 0),
        new Variant("tpm", "tpm", true, "tpm_limit: {tpm}", "tokens", 0),
        new Variant("shared-account", "shared-account", true, "qps_limit: {qps}\n    account: org-1", "requests", 0),
        new Variant("hostile", "hostile", true, "rpm_limit: {rpm}", "requests", 0));

    /**
     * BENCH_LLM_LIMIT_SCALE (default 1) multiplies every rate of the model (bucket capacities and refill,
     * window limits, quotas; concurrency caps rounded up) and the declarations: on a starved machine a
     * smaller scale measures the pool rather than the CPU. Every model is at scale 1 as conf.json writes it.
     */
    static JsonObject scaled(JsonObject spec, double scale) {
      for (String list : List.of("key", "account")) {
        for (Object o : spec.getJsonArray(list, new JsonArray())) {
          JsonObject l = (JsonObject) o;
          for (String f : List.of("capacity", "limit", "total", "floor")) {
            if (l.containsKey(f)) l.put(f, Math.max(1, Math.round(l.getDouble(f) * scale)));
          }
          for (String f : List.of("perSecond", "perMinute")) if (l.containsKey(f)) l.put(f, l.getDouble(f) * scale);
          if (l.containsKey("max")) l.put("max", (long) Math.ceil(l.getDouble("max") * scale));
        }
      }
      return spec;
    }

    static final String QUOTA_KEY = "key-05";
    static final int QUOTA_CALLS = 300;

    static void run(Params p, String name) throws Exception {
      Variant v = VARIANTS.stream().filter(x -> x.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown limit variant '" + name + "'"));
      JsonObject spec = ConfigLoader.defaults().getJsonObject("demo").getJsonObject("provider").getJsonObject("models")
          .getJsonObject(v.model()).copy();
      if (v.model().equals("hostile")) { // one key's credit runs out for good: insufficient_quota
        spec.put("keyLimits", new JsonObject().put(QUOTA_KEY, new JsonArray().add(new JsonObject().put("type", "quota")
            .put("total", QUOTA_CALLS))));
      }
      double scale = dblEnv("BENCH_LLM_LIMIT_SCALE", 1.0);
      int quotaCalls = (int) Math.max(1, Math.round(QUOTA_CALLS * scale));
      if (spec.containsKey("keyLimits")) spec.getJsonObject("keyLimits").getJsonArray(QUOTA_KEY).getJsonObject(0).put("total", quotaCalls);
      scaled(spec, scale);
      ProviderModel model = ProviderModel.parse(v.model(), spec);
      String declared = v.declare().replace("{qps}", fmtNum(10 * scale)).replace("{rpm}", fmtNum(600 * scale))
          .replace("{tpm}", fmtNum(240000 * scale));
      Function<LlmKeySpec, String> declare = k -> declared.isEmpty() ? "" : "    " + declared + "\n";
      int seconds = v.seconds() > 0 ? v.seconds() : intEnv("BENCH_LLM_LIMIT_SECONDS", 30);
      List<LlmKeySpec> keys = new ArrayList<>(keySpecs(p.keys, p.keyQps));
      keys.add(new LlmKeySpec(REVOKED_ID, REVOKED_SECRET, 1, p.keyQps, 0, 1, null, null));
      double meanLatencyS = p.medianMs * Math.exp(p.sigma * p.sigma / 2) / 1000;
      long tokensPerCall = tokensPerCall();
      // What the provider allows per second, in the variant's unit (requests or tokens)
      double allowedPerS = switch (v.model()) {
        case "concurrency" -> p.keys * Math.min(10 * scale, Math.ceil(4 * scale) / meanLatencyS);
        case "tpm" -> p.keys * 240000 * scale / 60.0;
        default -> p.keys * 10.0 * scale;
      };
      double demand = 3 * (v.unit().equals("tokens") ? allowedPerS / tokensPerCall : allowedPerS);
      out("");
      out("== run limit:%s: model %s (%s), keys %s, %d keys + %s; allowed %.1f %s/s, demand %.0f frames/s; %d s after %d s warm-up ==",
          v.name(), v.model(), spec.encode(), v.known() ? "declare " + declared.replace("\n    ", ", ") : "declare nothing",
          p.keys, REVOKED_ID, allowedPerS, v.unit(), demand, seconds, p.warmupS);
      if (!strEnv("BENCH_LLM_LIMIT_JIT", "yes").equals("no")) warmJitApart(p);
      // BENCH_LLM_PROVIDER: "process" (default) runs the provider in its own JVM (ProviderProcess says why),
      // "inproc" on a Vert.x of this JVM as before 2026-12-01.
      boolean separate = !strEnv("BENCH_LLM_PROVIDER", "process").equals("inproc");
      out("provider: %s", separate ? "its own JVM (bench/llm/ProviderProcess.java)" : "in the benchmark's JVM");
      try (Provider provider = separate
               ? Provider.separate(keys, List.of(REVOKED_SECRET), p.medianMs, p.sigma, p.errorRate, v.model(), spec,
                   Path.of(strEnv("BENCH_LLM_PROVIDER_LOG", "/tmp/argus-provider-" + v.name() + ".log")))
               : new Provider(keys, List.of(REVOKED_SECRET), p.medianMs, p.sigma, p.errorRate, model);
           Gateway gw = new Gateway(provider.baseUrl(), keys, p, declare)) {
        // The window starts on a second (fixed-minute: a minute) boundary, so that it covers whole windows of
        // the provider's fixed-window limits and "allowed" is exactly their sum.
        long alignMs = v.seconds() >= 60 ? 60_000 : 1_000;
        long nowMs = System.currentTimeMillis();
        long startOfWindowMs = ((nowMs + p.warmupS * 1000L + 50) / alignMs + 1) * alignMs;
        long start = System.nanoTime() + 50_000_000L;
        long warm = (startOfWindowMs - nowMs) * 1_000_000L - 50_000_000L, window = seconds * 1_000_000_000L;
        Poster poster = new Poster(gw.ingest(), "lcam", demand, p.batchMs, start, warm + window);
        poster.start();
        sleepUntil(start + warm);
        JsonObject s1 = provider.stats();
        long w1 = System.currentTimeMillis(), n1 = System.nanoTime();
        Cpu c1 = Cpu.now();
        sleepUntil(start + warm + window);
        JsonObject s2 = provider.stats();
        long w2 = System.currentTimeMillis(), n2 = System.nanoTime();
        Cpu c2 = Cpu.now();
        poster.stop = true;
        poster.join(5000);
        Thread.sleep(1000);
        JsonObject sEnd = provider.stats();
        double secs = (n2 - n1) / 1e9;
        Map<String, Long> sum = new TreeMap<>();
        for (String id : s2.fieldNames()) {
          JsonObject a = s2.getJsonObject(id), b = s1.getJsonObject(id, new JsonObject());
          for (String f : a.fieldNames()) sum.merge(f, a.getLong(f) - b.getLong(f, 0L), Long::sum);
        }
        double allowed = allowedPerS * secs;
        if (v.model().equals("hostile")) { // the quota key is allowed what it got before its credit ran out
          JsonObject a = s2.getJsonObject(QUOTA_KEY), b = s1.getJsonObject(QUOTA_KEY);
          allowed = (p.keys - 1) * 10.0 * scale * secs + (a.getLong("admitted") - b.getLong("admitted"));
        }
        long admitted = v.unit().equals("tokens") ? sum.get("tokens") : sum.get("admitted");
        long calls = sum.get("admitted") + sum.get("rate_limited") + sum.get("unauthorized") + sum.get("overloaded");
        double ratio = admitted / allowed;
        double share = calls == 0 ? 0 : (double) sum.get("rate_limited") / calls;
        List<Rec> llm = gw.assessments.stream().filter(r -> r.llm() && r.assessedMs() >= w1 && r.assessedMs() < w2).toList();
        long rules = gw.assessments.stream().filter(r -> !r.llm() && r.assessedMs() >= w1 && r.assessedMs() < w2).count();
        long[] age = llm.stream().mapToLong(r -> r.assessedMs() - r.detectedMs()).sorted().toArray();
        JsonObject rv = sEnd.getJsonObject(REVOKED_ID, new JsonObject());
        long revokedCalls = rv.getLong("admitted", 0L) + rv.getLong("rate_limited", 0L) + rv.getLong("unauthorized", 0L)
            + rv.getLong("overloaded", 0L);
        out("demand: whole run %d frames posted, %d accepted (202), %d refused/failed %s", poster.sent.get(),
            poster.accepted.get(), poster.failed.get(), poster.codes);
        out(c1.until(c2));
        out("provider, window %.2f s: %s", secs, sum);
        out("  admitted %d %s / allowed %.0f = %.4f; 429 %d of %d calls = %.3f%% (rate %d, of them on tokens %d; concurrency %d, "
                + "quota %d, slow_down %d); overloaded %d; tokens/admitted call %.0f (estimate used for demand %d)",
            admitted, v.unit(), allowed, ratio, sum.get("rate_limited"), calls, share * 100, sum.get("rate_limited")
                - sum.get("concurrency_limited") - sum.get("quota_exhausted") - sum.get("slow_down"),
            sum.getOrDefault("token_limited", 0L),
            sum.get("concurrency_limited"), sum.get("quota_exhausted"), sum.get("slow_down"), sum.get("overloaded"),
            sum.get("admitted") == 0 ? 0.0 : (double) sum.get("tokens") / sum.get("admitted"), tokensPerCall);
        out("  assessments in the window: llm %d, rules %d; served-task age (detected_at -> assessed_at), ms: %s", llm.size(), rules,
            pct(age));
        out("  revoked key: %d call(s) over the whole run", revokedCalls);
        String row = String.format(Locale.ROOT, "ROW | %-24s | %-5s | %7.4f | %7.3f%% | %6d | %6d | %d |", v.name(),
            v.known() ? "yes" : "no", ratio, share * 100, percentile(age, 50), percentile(age, 95), revokedCalls);
        out(row);
        double minRatio = v.known() ? 0.97 : 0.90, maxShare = v.known() ? 0.01 : 0.02;
        goal("limit:" + v.name() + " admitted / allowed", String.format(Locale.ROOT, "%.4f", ratio), ">= " + minRatio, ratio >= minRatio);
        goal("limit:" + v.name() + " share answered 429", String.format(Locale.ROOT, "%.3f%%", share * 100),
            "< " + (int) (maxShare * 100) + "%", share < maxShare);
        goal("limit:" + v.name() + " revoked key calls", String.valueOf(revokedCalls), "exactly 1", revokedCalls == 1);
      }
    }

    static String fmtNum(double d) {
      return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    /** About what one call costs the provider in tokens: the prompt (chars / 4) plus a short reply. */
    static long tokensPerCall() {
      String nowIso = Instant.now().toString();
      AssessmentTask task = AssessmentTask.fromJson(new JsonObject().put("task_id", "t:f1").put("camera_id", "lcam-000001")
          .put("frame_id", "f1").put("detected_at", nowIso).put("created_at", nowIso)
          .put("deadline", Instant.now().plusSeconds(30).toString()).put("reason", "first_frame").put("priority", 5)
          .put("coalesced", 0).put("frame", new JsonObject(frameJson("lcam-000001", 1, System.currentTimeMillis()))));
      // + the bridge's context and the reply: the provider counted about 270 a call in a trial run
      return PromptBuilder.request(task, "argus-sim-1").encode().length() / 4 + 85;
    }
  }

  static int frameIndex(String cameraId) {
    return cameraId != null && cameraId.startsWith("ocam-") ? Integer.parseInt(cameraId.substring(5)) : -1;
  }

  // ------------------------------------------------------------------ helpers

  /** One frame: its own camera, two ordinary detections, {@code timestamp} in epoch ms. */
  static String frameJson(String camera, long i, long wallMs) {
    return "{\"camera_id\":\"" + camera + "\",\"frame_id\":\"f" + i + "\",\"timestamp\":" + wallMs
        + ",\"model_type\":\"yolov8n\",\"detections\":[{\"label\":\"person\",\"confidence\":0.87,\"bbox\":[12,40,118,260],\"track_id\":"
        + (i % 97) + "},{\"label\":\"car\",\"confidence\":0.66,\"bbox\":[220,60,410,180]}]}";
  }

  /** CPU use of this JVM and of the rest of the machine between two moments (Linux /proc), and the load average. */
  record Cpu(long machineBusy, long machineTotal, long self, long nanos, String load, long gcCount, long gcMs) {
    static Cpu now() {
      long gcCount = 0, gcMs = 0;
      for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        gcCount += Math.max(0, gc.getCollectionCount());
        gcMs += Math.max(0, gc.getCollectionTime());
      }
      long busy = 0, total = 0, self = 0;
      String load = "?";
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]);
        busy = total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        String st = Files.readString(Path.of("/proc/self/stat"));
        String[] g = st.substring(st.lastIndexOf(')') + 2).split(" ");
        self = Long.parseLong(g[11]) + Long.parseLong(g[12]); // utime + stime, after the state field
        load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      } catch (Exception e) {
        // not Linux: reported as unknown
      }
      return new Cpu(busy, total, self, System.nanoTime(), load, gcCount, gcMs);
    }

    /** "bench JVM x cores, everything else y cores (of n); load avg a -> b" from this moment to {@code later}. */
    String until(Cpu later) {
      if (later.machineTotal == machineTotal) return "cpu: unknown";
      int cores = Runtime.getRuntime().availableProcessors();
      double secs = (later.nanos - nanos) / 1e9;
      double ticksPerCore = (double) (later.machineTotal - machineTotal) / cores; // jiffies per core over the window
      double mine = (later.self - self) / ticksPerCore * 1.0;
      double all = (later.machineBusy - machineBusy) / ticksPerCore;
      return String.format(Locale.ROOT, "cpu over %.0f s: this benchmark JVM (gateway + provider + load) %.2f cores, other processes %.2f cores, of %d; "
              + "load average %s -> %s; GC: %d collections, %d ms in total",
          secs, mine, Math.max(0, all - mine), cores, load, later.load, later.gcCount - gcCount, later.gcMs - gcMs);
    }
  }

  static long percentile(long[] sorted, double pct) {
    if (sorted.length == 0) return -1;
    int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double percentile(double[] sorted, double pct) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static String pct(long[] s) {
    if (s.length == 0) return "n=0";
    return String.format(Locale.ROOT, "n=%d p50 %d  p95 %d  p99 %d  max %d", s.length, percentile(s, 50), percentile(s, 95),
        percentile(s, 99), s[s.length - 1]);
  }

  static String pctD(double[] s) {
    if (s.length == 0) return "n=0";
    return String.format(Locale.ROOT, "n=%d p50 %.2f  p95 %.2f  p99 %.2f  max %.2f", s.length, percentile(s, 50),
        percentile(s, 95), percentile(s, 99), s[s.length - 1]);
  }

  static <T> T await(Future<T> f, int seconds) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
