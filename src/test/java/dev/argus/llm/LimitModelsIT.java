package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.demo.provider.ProviderModel;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.Detection;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The key pool (the real {@link Dispatcher}, {@link KeyPool}, {@link GuardedProvider} and HTTP client) against the
 * simulated provider, once per limit model of conf.json's {@code demo.provider.models}: 5 keys plus a revoked one,
 * demand 3x what the model allows, a short measured window. Asserts the goals: admitted ÷ allowed and the
 * share of calls answered 429, and exactly one call on the revoked key.
 */
class LimitModelsIT {
  static final int KEYS = 5;
  static final String REVOKED_ID = "key-revoked";
  static final String REVOKED_SECRET = "sk-it-revoked-0000000000000000";
  static final String QUOTA_KEY = "key-05";
  static final long WARMUP_MS = 3_000;
  static final long MEASURE_MS = 8_000;
  /**
   * Every rate of the models and the declarations times this (as bench/llm's BENCH_LLM_LIMIT_SCALE): the ITs
   * share a starved 2-core machine, and at a fifth of conf.json's rates they measure the pool, not the CPU.
   */
  static final double SCALE = Double.parseDouble(System.getProperty("argus.it.limitScale", "0.2"));

  /**
   * A run: the provider model, what the key file declares, the unit that is limited, what the provider allows per
   * key and second, the measured window's alignment (fixed windows are measured whole), the provider's latency.
   */
  record Variant(String name, String model, boolean known, String declare, boolean tokens, double allowedPerKey,
                 long alignMs, double latencyMs) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** -Dargus.it.limitVariants=a,b runs only those variants (exploration); all by default. */
  static Stream<Variant> variants() {
    String only = System.getProperty("argus.it.limitVariants", "");
    return allVariants().filter(v -> only.isBlank() || List.of(only.split(",")).contains(v.name()));
  }

  static Stream<Variant> allVariants() {
    return Stream.of(
        new Variant("token-bucket", "token-bucket", true, "qps_limit: 10", false, 10, 1000, 50),
        new Variant("token-bucket-undeclared", "token-bucket", false, "", false, 10, 1000, 50),
        new Variant("bucket-capacity-1", "bucket-capacity-1", true, "qps_limit: 10", false, 10, 1000, 50),
        // conf.json's minute windows, shortened to 6 s (same 10/s) so that a short run covers two whole windows
        new Variant("fixed-minute", "fixed-minute", true, "rpm_limit: 600", false, 10, 6000, 50),
        new Variant("quantized-second", "quantized-second", true, "rpm_limit: 600", false, 10, 1000, 50),
        new Variant("sliding-10s", "sliding-10s", true, "rpm_limit: 600", false, 10, 1000, 50),
        // four in flight (scaled, rounded up) at 1 s: under the bucket's rate
        new Variant("concurrency", "concurrency", true, "qps_limit: 10", false, 0, 1000, 1000),
        new Variant("tpm", "tpm", true, "tpm_limit: 240000", true, 4000, 1000, 50),
        new Variant("shared-account", "shared-account", true, "qps_limit: 10\n    account: org-1", false, 10, 1000, 50),
        // the same provider, but the key file declares the account's own limit (accounts:) and no per-key limits
        new Variant("shared-account-declared", "shared-account", true, "account: org-1", false, 10, 1000, 50),
        new Variant("hostile", "hostile", true, "rpm_limit: 600", false, 10, 1000, 50));
  }

  static Vertx vertx;
  static JsonObject conf;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    try (InputStream in = LimitModelsIT.class.getResourceAsStream("/conf.json")) {
      conf = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void meetsTheGoals(Variant v) throws Exception {
    JsonObject spec = conf.getJsonObject("demo").getJsonObject("provider").getJsonObject("models").getJsonObject(v.model()).copy();
    if (v.name().equals("fixed-minute")) {
      spec.getJsonArray("key").getJsonObject(0).put("limit", 60).put("windowMs", 6000);
    }
    scaled(spec);
    if (v.name().equals("hostile")) { // one key's credit runs out for good, during the warm-up
      spec.put("keyLimits", new JsonObject().put(QUOTA_KEY, new JsonArray().add(new JsonObject().put("type", "quota").put("total", 4))));
    }
    double allowedPerKey = v.model().equals("concurrency")
        ? Math.min(10 * SCALE, Math.ceil(4 * SCALE) / (v.latencyMs() / 1000.0)) : v.allowedPerKey() * SCALE;
    List<LlmKeySpec> simKeys = new ArrayList<>();
    StringBuilder keyFile = new StringBuilder("keys:\n");
    for (int i = 1; i <= KEYS + 1; i++) {
      boolean revoked = i > KEYS;
      String id = revoked ? REVOKED_ID : String.format("key-%02d", i);
      String secret = revoked ? REVOKED_SECRET : String.format("sk-it-%02d-0123456789abcdef", i);
      simKeys.add(new LlmKeySpec(id, secret, 1, 10, 0, 1, null, null));
      keyFile.append("  - id: ").append(id).append("\n    api_key: \"").append(secret).append("\"\n");
      if (!v.declare().isEmpty()) keyFile.append("    ").append(declared(v.declare())).append('\n');
    }
    if (v.name().equals("shared-account-declared")) { // the simulator's account bucket: 50 a second
      keyFile.append("accounts:\n  - id: org-1\n    qps_limit: ").append(fmt(50 * SCALE)).append('\n');
    }
    SimulatedLlmVerticle sim = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0, simKeys, List.of(REVOKED_SECRET),
        v.latencyMs(), 0.1, 0, 0, ProviderModel.parse(v.model(), spec)));
    String simId = vertx.deployVerticle(sim).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path file = Files.createTempFile("argus-keys", ".yaml");
    Files.writeString(file, keyFile.toString());
    String base = "http://127.0.0.1:" + sim.actualPort() + "/v1";
    ArgusConfig.Llm llm = ArgusConfig.from(conf.copy().mergeIn(new JsonObject().put("llm", new JsonObject()
        .put("baseUrl", base).put("model", "argus-sim-1").put("keysFile", file.toString())), true)).llm();

    Run run = new Run(v, llm, allowedPerKey);
    try {
      run.start();
      long now = System.currentTimeMillis();
      long from = ((now + WARMUP_MS) / v.alignMs() + 1) * v.alignMs();
      long measure = v.alignMs() >= MEASURE_MS ? 2 * v.alignMs() : MEASURE_MS;
      Thread.sleep(from - now);
      JsonObject before = stats(base);
      run.measuring = true;
      Thread.sleep(measure);
      JsonObject after = stats(base);
      run.measuring = false;
      double secs = measure / 1000.0;

      long admitted = 0;
      long refused = 0;
      long quotaKeyAdmitted = 0;
      // Which kinds the 429s were (every kind counts in the share; the kinds say what went wrong).
      java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
      for (String id : after.fieldNames()) {
        if (id.equals(REVOKED_ID)) continue;
        JsonObject a = after.getJsonObject(id);
        JsonObject b = before.getJsonObject(id, new JsonObject());
        long got = v.tokens() ? a.getLong("tokens") - b.getLong("tokens", 0L) : a.getLong("admitted") - b.getLong("admitted", 0L);
        admitted += got;
        refused += a.getLong("rate_limited") - b.getLong("rate_limited", 0L);
        for (String kind : List.of("concurrency_limited", "quota_exhausted", "slow_down")) {
          kinds.merge(kind, a.getLong(kind, 0L) - b.getLong(kind, 0L), Long::sum);
        }
        if (id.equals(QUOTA_KEY)) quotaKeyAdmitted = got;
      }
      long calls = v.tokens() ? 0 : admitted + refused;
      if (v.tokens()) {
        for (String id : after.fieldNames()) {
          if (id.equals(REVOKED_ID)) continue;
          calls += after.getJsonObject(id).getLong("admitted") - before.getJsonObject(id, new JsonObject()).getLong("admitted", 0L)
              + after.getJsonObject(id).getLong("rate_limited") - before.getJsonObject(id, new JsonObject()).getLong("rate_limited", 0L);
        }
      }
      double allowed = v.name().equals("hostile")
          ? (KEYS - 1) * allowedPerKey * secs + quotaKeyAdmitted
          : KEYS * allowedPerKey * secs;
      double ratio = admitted / allowed;
      double share = calls == 0 ? 0 : (double) refused / calls;
      long revokedCalls = after.getJsonObject(REVOKED_ID).getLong("unauthorized") + after.getJsonObject(REVOKED_ID).getLong("admitted");
      List<Long> ages = run.ages();
      String line = String.format(Locale.ROOT, "%-24s admitted/allowed %.4f (%d / %.0f %s), 429 %.3f%% (%d of %d; %s), "
              + "served age p50 %d ms p95 %d ms (n=%d), superseded %d, revoked-key calls %d, overhead p99 %.3f ms",
          v.name(), ratio, admitted, allowed, v.tokens() ? "tokens" : "calls", share * 100, refused, calls, kinds,
          pct(ages, 0.5), pct(ages, 0.95), ages.size(), run.superseded(), revokedCalls, run.overheadP99Ms());
      System.out.println("LIMIT-MODEL " + line);
      // Issue 10's goals (admitted >= 0.97/0.90 of what the model allows, 429 share < 1%/2%) are measured by
      // bench/llm over long windows. An 8 s window holds ~80 calls, and a CPU-starved JVM loses a few of them
      // to scheduling, not to the pool; so this test asserts what must hold at any load: the pool stays well
      // inside the model (429 share at most twice the goal plus one call) and still uses most of it (>= 0.8).
      double oneCall = calls == 0 ? 0 : 1.0 / calls;
      double minRatio = 0.8 - (v.tokens() ? 300.0 / allowed : 1.0 / allowed);
      double maxShare = 2 * (v.known() ? 0.01 : 0.02) + oneCall;
      assertEquals(1, revokedCalls, "the revoked key is called exactly once: " + line);
      if (v.name().equals("hostile")) {
        assertEquals(1, after.getJsonObject(QUOTA_KEY).getLong("quota_exhausted"),
            "the key whose credit ran out is refused once and never called again: " + line);
      }
      assertTrue(share < maxShare, "429 share at most twice the goal plus one call (" + maxShare * 100 + "%): " + line);
      assertTrue(ratio >= minRatio, "admitted ÷ allowed at least 0.8 less one call (" + minRatio + "): " + line);
    } finally {
      run.stop();
      vertx.undeploy(simId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Files.deleteIfExists(file);
    }
  }

  /**
   * Issue 10 point 4: Argus's own time in the dispatcher at 500 tasks/s against a provider that answers in 5 ms
   * (limits far above the demand). The goal is p99 < 1 ms; this prints what this machine measured (on a starved
   * machine, mostly the event loop's scheduling delays) and checks that every call was measured.
   */
  @Test
  void dispatchOverheadAt500TasksASecondAgainstA5msProvider() throws Exception {
    List<LlmKeySpec> simKeys = new ArrayList<>();
    StringBuilder keyFile = new StringBuilder("keys:\n");
    for (int i = 1; i <= KEYS; i++) {
      String id = String.format("key-%02d", i);
      String secret = String.format("sk-it-%02d-0123456789abcdef", i);
      simKeys.add(new LlmKeySpec(id, secret, 1, 1000, 0, 1, null, null));
      keyFile.append("  - id: ").append(id).append("\n    api_key: \"").append(secret).append("\"\n    qps_limit: 1000\n");
    }
    SimulatedLlmVerticle sim = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0, simKeys, List.of(), 5, 0.1, 0, 0,
        ProviderModel.legacyModel()));
    String simId = vertx.deployVerticle(sim).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path file = Files.createTempFile("argus-keys", ".yaml");
    Files.writeString(file, keyFile.toString());
    ArgusConfig.Llm llm = ArgusConfig.from(conf.copy().mergeIn(new JsonObject().put("llm", new JsonObject()
        .put("baseUrl", "http://127.0.0.1:" + sim.actualPort() + "/v1").put("model", "argus-sim-1")
        .put("keysFile", file.toString())), true)).llm();
    Run run = new Run(new Variant("overhead", "", true, "", false, 0, 1000, 5), llm, 500);
    try {
      run.start();
      Thread.sleep(10_000);
      long calls = run.registry.get(MetricNames.LLM_DISPATCH_OVERHEAD).timer().count();
      System.out.println(String.format(Locale.ROOT, "LIMIT-MODEL overhead at 500 tasks/s, 5 ms provider: %d calls, "
          + "dispatch overhead p99 %.3f ms, mean %.3f ms", calls, run.overheadP99Ms(),
          run.registry.get(MetricNames.LLM_DISPATCH_OVERHEAD).timer().mean(TimeUnit.MILLISECONDS)));
      double requests = run.registry.find(MetricNames.LLM_REQUESTS).counters().stream().mapToDouble(c -> c.count()).sum();
      assertTrue(calls > 0, "calls were made and measured");
      assertEquals(requests, calls, 1.0 + 0.02 * requests, "every call's overhead is recorded (calls ending meanwhile aside)");
    } finally {
      run.stop();
      vertx.undeploy(simId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Files.deleteIfExists(file);
    }
  }

  /** The limits of a model spec times {@link #SCALE}, as bench/llm scales them. */
  static void scaled(JsonObject spec) {
    scaled(spec, SCALE);
  }

  /** The limits of a model spec times {@code scale}. */
  static void scaled(JsonObject spec, double scale) {
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
  }

  static String declared(String declare) {
    return declare.replace("qps_limit: 10", "qps_limit: " + fmt(10 * SCALE)).replace("rpm_limit: 600", "rpm_limit: " + fmt(600 * SCALE))
        .replace("tpm_limit: 240000", "tpm_limit: " + fmt(240000 * SCALE));
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static long pct(List<Long> sorted, double q) {
    if (sorted.isEmpty()) return -1;
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  private static JsonObject stats(String base) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  /** The dispatcher on one Vert.x context, fed 3x the allowed demand by a periodic timer on that context. */
  static final class Run {
    final Variant v;
    final ArgusConfig.Llm llm;
    final double allowedPerKey;
    final Context ctx = vertx.getOrCreateContext();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<Long> ages = Collections.synchronizedList(new ArrayList<>());
    volatile boolean measuring;
    WebClient client;
    Dispatcher dispatcher;
    long feeder;
    long tick;

    Run(Variant v, ArgusConfig.Llm llm, double allowedPerKey) {
      this.v = v;
      this.llm = llm;
      this.allowedPerKey = allowedPerKey;
    }

    void start() throws Exception {
      CompletableFuture<Void> started = new CompletableFuture<>();
      ctx.runOnContext(x -> {
        Dispatcher.Clock clock = Dispatcher.Clock.system();
        KeyPool pool = new KeyPool(llm.keys(), KeyPool.Settings.of(llm), clock::nanos, new Random());
        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(100));
        GuardedProvider provider = new GuardedProvider(vertx, new ProviderClient(client, llm), llm);
        dispatcher = new Dispatcher(pool, 5000, new Dispatcher.Settings(100, 3, 50, 250, llm.model()), clock,
            (ms, action) -> vertx.setTimer(ms, id -> action.run()), provider, provider::allows,
            new DispatchMeters(registry, llm.keys(), llm.model()), new Random());
        tick = vertx.setPeriodic(Dispatcher.TICK_MS, id -> dispatcher.pump());
        // demand: 3x allowed, in tasks (a call costs about 300 tokens of the model's TPM once settled)
        double perSecond = v.name().equals("overhead") ? allowedPerKey
            : 3 * KEYS * allowedPerKey / (v.tokens() ? 300.0 : 1.0);
        double[] owed = {0};
        long[] seq = {0};
        feeder = vertx.setPeriodic(20, id -> {
          owed[0] += perSecond / 50;
          while (owed[0] >= 1) {
            owed[0]--;
            submit(seq[0]++);
          }
        });
        started.complete(null);
      });
      started.get(10, TimeUnit.SECONDS);
    }

    private void submit(long n) {
      long now = System.currentTimeMillis();
      String camera = "cam-" + (n % 200);
      JsonObject frame = new JsonObject().put("camera_id", camera).put("frame_id", n).put("timestamp", now)
          .put("detections", new JsonArray().add(new JsonObject().put("label", "person").put("confidence", 0.9)
              .put("bbox", new JsonArray().add(10).add(10).add(50).add(90))));
      AssessmentTask task = new AssessmentTask("t" + n, camera, "f" + n, now, now, now + 15_000, "interval", 0, 0, frame, null);
      dispatcher.submit(task, new Detection(camera, "f" + n, now, null, null, List.of())).thenAccept(a -> {
        if (measuring && a != null && Assessment.SOURCE_LLM.equals(a.source())) ages.add(System.currentTimeMillis() - now);
      });
    }

    List<Long> ages() {
      List<Long> copy = new ArrayList<>(ages);
      Collections.sort(copy);
      return copy;
    }

    long superseded() {
      return (long) registry.get(MetricNames.LLM_TASKS_SUPERSEDED).counter().count();
    }

    /** The upper bound of the histogram bucket holding the 99th percentile. */
    double overheadP99Ms() {
      var snapshot = registry.get(MetricNames.LLM_DISPATCH_OVERHEAD).timer().takeSnapshot();
      double want = 0.99 * snapshot.count();
      for (var b : snapshot.histogramCounts()) {
        if (b.count() >= want) return b.bucket(TimeUnit.MILLISECONDS);
      }
      return snapshot.max(TimeUnit.MILLISECONDS);
    }

    void stop() throws Exception {
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      ctx.runOnContext(x -> {
        vertx.cancelTimer(feeder);
        vertx.cancelTimer(tick);
        if (client != null) client.close();
        stopped.complete(null);
      });
      stopped.get(10, TimeUnit.SECONDS);
    }
  }
}
