package dev.argus.demo;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import dev.argus.demo.provider.ProviderClock;
import dev.argus.demo.provider.ProviderModel;
import dev.argus.demo.provider.Signals;
import dev.argus.demo.provider.SimProvider;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An OpenAI-compatible chat-completions provider for the demo, tests and benchmarks. Its limits and
 * signals follow a {@link ProviderModel} (token buckets, fixed and sliding windows, concurrency caps, TPM,
 * accounts shared by several keys, arrival jitter, overload bursts, in the header dialect of OpenAI,
 * Anthropic or Gemini); the decisions are {@link SimProvider}'s, this verticle only does HTTP. Without a
 * chosen model it is today's simulator: per-key QPS buckets answering 429 with {@code Retry-After}. A
 * revoked key answers 401; latency is lognormal, with occasional 5xx, and assessment replies are
 * sometimes fenced or wrapped in prose, as real models write them; what they say is {@link SceneJudge}'s
 * reading of the frame in the prompt.
 */
public final class SimulatedLlmVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SimulatedLlmVerticle.class);
  public static final String REVOKED_KEY = "sk-demo-revoked-0000";

  /** How the provider behaves: its keys (with their QPS), which are revoked, latency, fault rates and limit model. */
  public record Options(int port, List<LlmKeySpec> keys, List<String> revokedSecrets, double medianLatencyMs,
                        double latencySigma, double errorRate, double hangRate, ProviderModel model) {
    /** Today's simulator: a bucket of one second's burst at each key's {@code qpsLimit}. */
    public Options(int port, List<LlmKeySpec> keys, List<String> revokedSecrets, double medianLatencyMs,
                   double latencySigma, double errorRate, double hangRate) {
      this(port, keys, revokedSecrets, medianLatencyMs, latencySigma, errorRate, hangRate, ProviderModel.legacyModel());
    }

    public static Options of(ArgusConfig.Demo demo) {
      return new Options(demo.llmPort(), demoKeys(demo), List.of(REVOKED_KEY), demo.llmLatencyMs(), demo.llmLatencySigma(),
          demo.llmErrorRate(), demo.llmHangRate(), ProviderModel.select(demo.provider()));
    }
  }

  private final Options options;
  private final Random random = new Random();
  private final SceneJudge judge = new SceneJudge(random);
  private SimProvider provider;
  private HttpServer server;

  public SimulatedLlmVerticle(Options options) {
    this.options = options;
  }

  /** The demo key pool: {@code llmKeys} working keys of {@code llmQps} each, and one revoked key. */
  public static List<LlmKeySpec> demoKeys(ArgusConfig.Demo demo) {
    List<LlmKeySpec> keys = new ArrayList<>();
    for (int i = 1; i <= demo.llmKeys(); i++) {
      keys.add(new LlmKeySpec(String.format("demo-%02d", i), String.format("sk-demo-simulated-%04d", i), 1,
          demo.llmQps(), demo.llmQps() * 60, 1, null, null));
    }
    keys.add(new LlmKeySpec("demo-revoked", REVOKED_KEY, 1, demo.llmQps(), demo.llmQps() * 60, 1, null, null));
    return keys;
  }

  /** The configuration with the simulated provider and its keys in place of an empty key pool. */
  public static ArgusConfig withDemoProvider(ArgusConfig c) {
    ArgusConfig.Llm llm = c.llm().withProvider("http://127.0.0.1:" + c.demo().llmPort() + "/v1", "argus-sim-1",
        demoKeys(c.demo()));
    return new ArgusConfig(c.http(), c.kafka(), c.redis(), c.detection(), llm, c.aggregate(), c.dashboard(), c.demo(), c.node(), c.quality(), c.cluster());
  }

  public static boolean isDemoProvider(ArgusConfig c) {
    return c.llm().baseUrl().equals("http://127.0.0.1:" + c.demo().llmPort() + "/v1");
  }

  @Override
  public Future<?> start() {
    provider = new SimProvider(options.model(), options.keys(), options.revokedSecrets(), ProviderClock.system(), random);
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(options.port(), "127.0.0.1")
        .onSuccess(s -> log.info("Simulated LLM provider on http://127.0.0.1:{}/v1 ({} keys, {} revoked, limit model '{}')",
            s.actualPort(), options.keys().size(), options.revokedSecrets().size(),
            options.model().legacy() ? "legacy" : options.model().name()));
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().endsWith("/stats") || req.path().endsWith("/stats/accounts")) {
      JsonObject body = req.path().endsWith("/accounts") ? provider.stats().accountsJson() : provider.stats().keysJson();
      req.response().putHeader("Content-Type", "application/json").end(body.encode());
      return;
    }
    if (!req.path().endsWith("/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    String auth = req.getHeader("Authorization");
    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    req.body().onSuccess(body -> {
      long jitter = provider.jitterMs();
      if (jitter > 0) vertx.setTimer(jitter, t -> arrive(req, key, body));
      else arrive(req, key, body);
    });
  }

  private void arrive(HttpServerRequest req, String key, Buffer body) {
    // bench/llm/transit.py pairs these with the dispatcher's "sent" lines (System.nanoTime is one clock for
    // every process on Linux: CLOCK_MONOTONIC)
    if (log.isTraceEnabled()) log.trace("arrived {} {}", System.nanoTime() / 1000, keyId(key));
    String text = body.toString();
    long prompt = SimProvider.estimateTokens(text.length());
    SimProvider.Verdict v = provider.arrive(key, prompt + maxTokens(text));
    if (!v.admitted()) {
      send(req, v.reply());
      return;
    }
    SimProvider.Admission a = v.admission();
    if (random.nextDouble() < options.hangRate()) {
      provider.hung(a);
      // never answers: the caller's timeout must handle it; its slot is free once the caller gives up
      req.response().closeHandler(x -> provider.finish(a, 0));
      return;
    }
    // Lognormal latency around the median, like a hosted vision model.
    long delay = Math.max(1, Math.round(options.medianLatencyMs() * Math.exp(options.latencySigma() * random.nextGaussian())));
    vertx.setTimer(delay, t -> {
      if (random.nextDouble() < options.errorRate()) {
        provider.serverError(a);
        provider.finish(a, 0);
        send(req, new Signals.Reply(503, v.headers(), Signals.openAiError("server_error", "The server is overloaded.")));
        return;
      }
      String content = content(text);
      long completion = SimProvider.estimateTokens(content.length());
      provider.finish(a, prompt + completion);
      req.response().putHeader("Content-Type", "application/json");
      v.headers().forEach(req.response()::putHeader);
      req.response().end(completion(content, prompt, completion).encode());
    });
  }

  /** The reply's budget a provider reserves at admission (OpenAI counts max_tokens against TPM). */
  private static long maxTokens(String body) {
    try {
      return Math.max(0, new JsonObject(body).getLong("max_tokens", 0L));
    } catch (RuntimeException e) {
      return 0; // not JSON: only the prompt counts
    }
  }

  /** The id of the key with this secret (traces name keys, never their secrets). */
  private String keyId(String secret) {
    for (LlmKeySpec k : options.keys()) if (k.secret().equals(secret)) return k.id();
    return "unknown";
  }

  private static void send(HttpServerRequest req, Signals.Reply r) {
    req.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json");
    for (Map.Entry<String, String> h : r.headers().entrySet()) req.response().putHeader(h.getKey(), h.getValue());
    req.response().end(r.body().encode());
  }

  /** The reply's text: the {@link SceneJudge}'s verdict as JSON, sometimes fenced or in prose. */
  private String content(String body) {
    SceneJudge.Verdict v = judge.judge(body);
    String level = v.level().wire();
    double score = v.score();
    String summary = v.summary();
    String json = new JsonObject().put("risk_level", level).put("risk_score", Math.round(score * 100) / 100.0)
        .put("summary", summary).put("recommendations", new JsonArray().add(level.equals("low") ? "No action" : "Review the feed"))
        .encode();
    double style = random.nextDouble();
    if (style < 0.2) return "```json\n" + json + "\n```";
    if (style < 0.3) return "Here is my assessment of the scene:\n" + json + "\nLet me know if you need more detail.";
    return json;
  }

  private static JsonObject completion(String content, long promptTokens, long completionTokens) {
    return new JsonObject().put("id", "chatcmpl-sim").put("object", "chat.completion").put("model", "argus-sim-1")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
            .put("message", new JsonObject().put("role", "assistant").put("content", content))))
        .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
