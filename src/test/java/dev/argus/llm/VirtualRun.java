package dev.argus.llm;

import dev.argus.config.ConfigLoader;
import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import dev.argus.demo.provider.ProviderModel;
import dev.argus.demo.provider.Signals;
import dev.argus.demo.provider.SimProvider;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The key pool against the simulated provider's limit models in virtual time: no event loop, no machine
 * noise, so what it admits is the algorithm's own doing. The dispatcher's habits are copied: a pump on every
 * reply and on a timer ({@link Dispatcher#wakeNanos}: to the nanosecond) when no key can take the next call; an
 * endless queue (demand well above what is allowed); calls charged the prompt's estimate plus {@code max_tokens}.
 *
 * <p>Used by {@code VirtualLimitModelsTest}; {@code main} prints every model's figures for exploration.
 */
final class VirtualRun {
  static final long MS = 1_000_000L;
  static final long CHARGE = 485;       // the prompt's estimate + max_tokens 300, as the bench's calls
  static final long PROMPT = 185;

  record Result(String model, long admitted, long admittedTokens, long refused, long calls, double seconds) {
    double share() {
      return calls == 0 ? 0 : (double) refused / calls;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-18s admitted %d calls (%.1f/s), %d tokens (%.0f/s); 429 %d of %d = %.3f%%",
          model, admitted, admitted / seconds, admittedTokens, admittedTokens / seconds, refused, calls, share() * 100);
    }
  }

  private record Event(long at, long seq, Runnable action) {}

  private final long[] now = {1_800_000_000_000_000_000L};
  private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
      : Long.compare(a.seq, b.seq));
  private long eventSeq;
  private final Random random;
  private final SimProvider provider;
  private final KeyPool pool;
  private final Map<String, String> secretOf = new HashMap<>();
  private final long medianLatencyMs;
  private final double errorRate;
  private final int maxConcurrent;
  private int running;
  private boolean wakeScheduled;
  private long windowFrom = Long.MAX_VALUE;
  private long admitted, admittedTokens, refused, calls;

  /**
   * {@code declare} gives each of the {@code keys} keys' declared limits (qps, rpm, tpm) as a key spec; the
   * model is one of {@code demo.provider.models} in the default configuration.
   */
  VirtualRun(String model, int keys, Function<String, LlmKeySpec> declare, long medianLatencyMs, double errorRate,
             long seed) {
    this(model, 1.0, keys, declare, medianLatencyMs, errorRate, seed);
  }

  /** As above, with the model's limits times {@code scale} (as LimitModelsIT scales them). */
  VirtualRun(String model, double scale, int keys, Function<String, LlmKeySpec> declare, long medianLatencyMs,
             double errorRate, long seed) {
    this.random = new Random(seed);
    this.medianLatencyMs = medianLatencyMs;
    this.errorRate = errorRate;
    this.maxConcurrent = 100;
    JsonObject spec = ConfigLoader.defaults().getJsonObject("demo").getJsonObject("provider").getJsonObject("models")
        .getJsonObject(model).copy();
    if (scale != 1.0) LimitModelsIT.scaled(spec, scale);
    List<LlmKeySpec> specs = new ArrayList<>();
    for (int i = 1; i <= keys; i++) {
      LlmKeySpec k = declare.apply(String.format(Locale.ROOT, "key-%02d", i));
      specs.add(k);
      secretOf.put(k.id(), k.secret());
    }
    provider = new SimProvider(ProviderModel.parse(model, spec), specs, List.of(), () -> now[0], new Random(seed + 1));
    pool = new KeyPool(specs, new KeyPool.Settings(SelectionStrategy.LEAST_LOADED, 5_000, 60_000, 0.2, 1.0, 0.01, 0.1),
        () -> now[0], new Random(seed + 2), 1_700_000_000_000L);
  }

  Result run(String name, long warmupMs, long windowMs) {
    long end = now[0] + (warmupMs + windowMs) * MS;
    windowFrom = now[0] + warmupMs * MS;
    at(now[0], this::pump);
    if (Boolean.getBoolean("trace")) trace(end, windowFrom - warmupMs * MS);
    while (!events.isEmpty() && events.peek().at <= end) {
      Event e = events.poll();
      now[0] = e.at;
      e.action.run();
    }
    return new Result(name, admitted, admittedTokens, refused, calls, windowMs / 1000.0);
  }

  private long lastAdmitted;

  /** Every second: calls admitted, in flight, and each key's rate and calls in flight. */
  private void trace(long end, long start) {
    at(now[0] + 1000 * MS, () -> {
      StringBuilder sb = new StringBuilder();
      for (KeyPool.KeyView v : pool.snapshot()) sb.append(String.format(Locale.ROOT, " %s q=%.1f f=%d", v.id().substring(4), v.effectiveQps(), v.inFlight()));
      long adm = provider.stats().keysJson().stream().mapToLong(e -> ((JsonObject) e.getValue()).getLong("admitted")).sum();
      System.out.printf(Locale.ROOT, "t=%d admitted/s=%d running=%d%s%n", (now[0] - start) / 1_000_000_000L,
          adm - lastAdmitted, running, sb);
      lastAdmitted = adm;
      if (now[0] < end) trace(end, start);
    });
  }

  private void at(long when, Runnable action) {
    events.add(new Event(when, eventSeq++, action));
  }

  private void pump() {
    while (running < maxConcurrent) {
      KeyPool.Lease lease = pool.acquire(Set.of(), id -> true, CHARGE);
      if (lease == null) break;
      running++;
      send(lease);
    }
    if (running < maxConcurrent && !wakeScheduled) {
      long nanos = pool.nanosUntilAvailable(Set.of(), CHARGE);
      if (nanos == Long.MAX_VALUE) return;
      wakeScheduled = true;
      long delay = Dispatcher.wakeNanos(nanos);
      if (WAKE_WHOLE_MS) delay = Math.max(1, Dispatcher.wakeMillis(delay)) * MS;
      at(now[0] + delay + lateNanos(WAKE_LATE_US), () -> {
        wakeScheduled = false;
        pump();
      });
    }
  }

  private void send(KeyPool.Lease lease) {
    long jitter = provider.jitterMs();
    long spike = SPIKE_P > 0 && random.nextDouble() < SPIKE_P ? lateNanos(SPIKE_US) : 0;
    at(now[0] + Math.max(0, jitter) * MS + lateNanos(NET_US) + spike, () -> arrive(lease));
  }

  /** Exploration of a machine's timing (-DwakeLateUs, -DnetUs): a timer fires, a call arrives up to this late. */
  static final long WAKE_LATE_US = Long.getLong("wakeLateUs", 0);
  /** Exploration (-DwakeWholeMs=true): wakes rounded up to whole milliseconds, as Vert.x's timers are. */
  static final boolean WAKE_WHOLE_MS = Boolean.getBoolean("wakeWholeMs");
  static final long NET_US = Long.getLong("netUs", 0);
  /**
   * Exploration of rare delays (-DspikeP, -DspikeUs): a share of the calls is held up on the way by up to this
   * long (a pause of the sender or the provider, a connection being opened), the rest only by {@code netUs}.
   */
  static final double SPIKE_P = Double.parseDouble(System.getProperty("spikeP", "0"));
  static final long SPIKE_US = Long.getLong("spikeUs", 0);

  private long lateNanos(long maxUs) {
    return maxUs <= 0 ? 0 : (long) (random.nextDouble() * maxUs * 1000);
  }

  private void arrive(KeyPool.Lease lease) {
    boolean counted = now[0] >= windowFrom;
    if (counted) calls++;
    SimProvider.Verdict v = provider.arrive(secretOf.get(lease.id()), CHARGE);
    if (!v.admitted()) {
      if (v.reply().status() == 429 && counted) refused++;
      Signals.Reply r = v.reply();
      if (Boolean.getBoolean("trace")) System.out.println("429 " + lease.id() + " " + r.headers() + " " + r.body());
      at(now[0] + MS, () -> reply(lease, r.status(), r.headers(), r.body()));
      return;
    }
    SimProvider.Admission a = v.admission();
    long latency = Math.max(1, Math.round(medianLatencyMs * Math.exp(0.4 * random.nextGaussian())));
    boolean error = random.nextDouble() < errorRate;
    if (counted) admitted++;
    long completion = 60 + random.nextInt(20);
    at(now[0] + latency * MS, () -> {
      if (error) {
        provider.finish(a, 0);
        reply(lease, 503, v.headers(), null);
        return;
      }
      provider.finish(a, PROMPT + completion);
      if (counted) admittedTokens += PROMPT + completion;
      reply(lease, 200, v.headers(), new JsonObject().put("usage", new JsonObject().put("total_tokens", PROMPT + completion)));
    });
  }

  private void reply(KeyPool.Lease lease, int status, Map<String, String> headers, JsonObject body) {
    running--;
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    ProviderSignals s = ProviderSignals.read(status, lower::get, body, now[0] / MS);
    if (status == 200) {
      pool.succeeded(lease, s);
    } else if ((status == 429 || s.refusal() == RefusalKind.OVERLOADED) && s.refusal() != null) { // as the Dispatcher
      pool.refused(lease, s.refusal(), s);
    } else if (status == 401 || status == 403) {
      pool.authFailed(lease, "refused");
    } else {
      pool.failed(lease, status >= 500);
    }
    pump();
  }

  static LlmKeySpec key(String id, double qps, int rpm, long tpm, String account) {
    return new LlmKeySpec(id, "sk-" + id + "-SECRETSECRET", 1, qps, rpm, 1, null, null, account, tpm);
  }

  /** The bench's variants (bench/llm/LlmBench.java LimitRuns.VARIANTS): provider model, declaration, allowed a second. */
  record Variant(String name, String model, Function<String, LlmKeySpec> declare, double allowedPerSecond, boolean tokens) {}

  static final double MEAN_LATENCY_S = 0.8 * Math.exp(0.4 * 0.4 / 2);
  static final List<Variant> VARIANTS = List.of(
      new Variant("token-bucket", "token-bucket", id -> key(id, 10, 0, 0, null), 50, false),
      new Variant("token-bucket-undeclared", "token-bucket", id -> key(id, 0, 0, 0, null), 50, false),
      new Variant("bucket-capacity-1", "bucket-capacity-1", id -> key(id, 10, 0, 0, null), 50, false),
      new Variant("fixed-minute", "fixed-minute", id -> key(id, 0, 600, 0, null), 50, false),
      new Variant("quantized-second", "quantized-second", id -> key(id, 0, 600, 0, null), 50, false),
      new Variant("sliding-10s", "sliding-10s", id -> key(id, 0, 600, 0, null), 50, false),
      new Variant("concurrency", "concurrency", id -> key(id, 10, 0, 0, null), 5 * Math.min(10, 4 / MEAN_LATENCY_S), false),
      new Variant("tpm", "tpm", id -> key(id, 0, 0, 240_000, null), 5 * 4000.0, true),
      new Variant("shared-account", "shared-account", id -> key(id, 10, 0, 0, "org-1"), 50, false));

  /** The provider's slow_down refusals over the whole run, warm-up included. */
  long slowDowns() {
    return provider.stats().keysJson().stream().mapToLong(e -> ((JsonObject) e.getValue()).getLong("slow_down", 0L)).sum();
  }

  /**
   * {@code VirtualRun [variant|all|hostile]}; -Dseed/-DseedTo, -Dwarm (ms), -Derr, -Dtrace. {@code hostile}:
   * LimitModelsIT's hostile variant (its scale -Dscale=0.2, its 50 ms provider, rpm_limit declared, no 5xx).
   */
  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "all";
    if (which.equals("hostile")) {
      double scale = Double.parseDouble(System.getProperty("scale", "0.2"));
      for (long seed = Long.getLong("seed", 1); seed <= Long.getLong("seedTo", 3); seed++) {
        VirtualRun vr = new VirtualRun("hostile", scale, 5, id -> key(id, 0, (int) Math.round(600 * scale), 0, null),
            Long.getLong("latency", 50), Double.parseDouble(System.getProperty("err", "0")), seed);
        Result r = vr.run("hostile", Long.getLong("warm", 5_000), Long.getLong("window", 30_000));
        System.out.printf(Locale.ROOT, "%s, slow_down %d -> admitted/allowed %.4f%n", r, vr.slowDowns(),
            r.admitted / r.seconds / (5 * 10 * scale));
      }
      return;
    }
    for (Variant v : VARIANTS) {
      if (!which.equals("all") && !which.equals(v.name())) continue;
      double err = Double.parseDouble(System.getProperty("err", "0.02"));
      for (long seed = Long.getLong("seed", 1); seed <= Long.getLong("seedTo", 3); seed++) {
        Result r = new VirtualRun(v.model(), 5, v.declare(), 800, err, seed).run(v.name(), Long.getLong("warm", 5_000), 30_000);
        double got = v.tokens() ? r.admittedTokens / r.seconds : r.admitted / r.seconds;
        System.out.printf(Locale.ROOT, "%s -> admitted/allowed %.4f%n", r, got / v.allowedPerSecond());
      }
    }
  }
}
