package dev.argus.demo;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat-completions provider for the demo, tests and benchmarks: per-key QPS
 * buckets answering 429 with {@code Retry-After}, a revoked key answering 401, lognormal latency,
 * occasional 5xx, and assessment replies that are sometimes fenced or wrapped in prose, as real
 * models write them.
 */
public final class SimulatedLlmVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SimulatedLlmVerticle.class);
  public static final String REVOKED_KEY = "sk-demo-revoked-0000";

  /** How the provider behaves: its keys (with their QPS), which are revoked, latency and fault rates. */
  public record Options(int port, List<LlmKeySpec> keys, List<String> revokedSecrets, double medianLatencyMs,
                        double latencySigma, double errorRate, double hangRate) {
    public static Options of(ArgusConfig.Demo demo) {
      return new Options(demo.llmPort(), demoKeys(demo), List.of(REVOKED_KEY), demo.llmLatencyMs(), 0.4,
          demo.llmErrorRate(), demo.llmHangRate());
    }
  }

  /** What the provider saw, per key: what it admitted, refused and failed. */
  private static final class KeyStats {
    long admitted;
    long rateLimited;
    long unauthorized;
    long serverErrors;
    long hung;

    JsonObject toJson() {
      return new JsonObject().put("admitted", admitted).put("rate_limited", rateLimited).put("unauthorized", unauthorized)
          .put("server_errors", serverErrors).put("hung", hung);
    }
  }

  private final Options options;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Map<String, String> idsBySecret = new HashMap<>();
  private final Map<String, KeyStats> stats = new HashMap<>();
  private final Random random = new Random();
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
    return new ArgusConfig(c.http(), c.kafka(), c.redis(), c.detection(), llm, c.aggregate(), c.dashboard(), c.demo());
  }

  public static boolean isDemoProvider(ArgusConfig c) {
    return c.llm().baseUrl().equals("http://127.0.0.1:" + c.demo().llmPort() + "/v1");
  }

  @Override
  public Future<?> start() {
    for (LlmKeySpec k : options.keys()) {
      idsBySecret.put(k.secret(), k.id());
      stats.put(k.id(), new KeyStats());
      if (options.revokedSecrets().contains(k.secret())) continue;
      long qps = Math.max(1, Math.round(k.qpsLimit()));
      buckets.put(k.secret(), Bucket.builder().addLimit(Bandwidth.builder().capacity(qps)
          .refillGreedy(qps, Duration.ofSeconds(1)).build()).build());
    }
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(options.port(), "127.0.0.1")
        .onSuccess(s -> log.info("Simulated LLM provider on http://127.0.0.1:{}/v1 ({} keys, {} revoked)",
            s.actualPort(), buckets.size(), options.revokedSecrets().size()));
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().endsWith("/stats")) {
      JsonObject body = new JsonObject();
      stats.forEach((id, s) -> body.put(id, s.toJson()));
      req.response().putHeader("Content-Type", "application/json").end(body.encode());
      return;
    }
    if (!req.path().endsWith("/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    String auth = req.getHeader("Authorization");
    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    Bucket bucket = buckets.get(key);
    KeyStats st = stats.get(idsBySecret.get(key));
    if (bucket == null) {
      if (st != null) st.unauthorized++;
      error(req, 401, "invalid_api_key", "Incorrect API key provided.");
      return;
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      st.rateLimited++;
      long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill()));
      req.response().putHeader("Retry-After", String.valueOf((waitMs + 999) / 1000))
          .putHeader("retry-after-ms", String.valueOf(waitMs));
      error(req, 429, "rate_limit_exceeded", "Rate limit reached for requests per second.");
      return;
    }
    st.admitted++;
    req.body().onSuccess(body -> {
      if (random.nextDouble() < options.hangRate()) {
        st.hung++;
        return; // never answers: the caller's timeout must handle it
      }
      // Lognormal latency around the median, like a hosted vision model.
      long delay = Math.max(1, Math.round(options.medianLatencyMs() * Math.exp(options.latencySigma() * random.nextGaussian())));
      vertx.setTimer(delay, t -> {
        if (random.nextDouble() < options.errorRate()) {
          st.serverErrors++;
          error(req, 503, "server_error", "The server is overloaded.");
          return;
        }
        String prompt = body.toString().toLowerCase(Locale.ROOT);
        req.response().putHeader("Content-Type", "application/json").end(completion(content(prompt)).encode());
      });
    });
  }

  private String content(String prompt) {
    String level;
    double score;
    String summary;
    if (prompt.contains("\\\"fire\\\"") || prompt.contains("\\\"gun\\\"") || prompt.contains("\\\"weapon\\\"")) {
      level = "critical";
      score = 0.9 + random.nextDouble() * 0.08;
      summary = "Immediate hazard visible in the scene.";
    } else if (prompt.contains("\\\"knife\\\"") || prompt.contains("\\\"smoke\\\"")) {
      level = "high";
      score = 0.68 + random.nextDouble() * 0.12;
      summary = "Potentially dangerous object or smoke detected.";
    } else if (prompt.split("person", -1).length > 9) {
      level = "medium";
      score = 0.35 + random.nextDouble() * 0.2;
      summary = "A crowd is gathering; watch its density.";
    } else {
      level = "low";
      score = 0.05 + random.nextDouble() * 0.2;
      summary = "Routine activity, nothing unusual.";
    }
    String json = new JsonObject().put("risk_level", level).put("risk_score", Math.round(score * 100) / 100.0)
        .put("summary", summary).put("recommendations", new JsonArray().add(level.equals("low") ? "No action" : "Review the feed"))
        .encode();
    double style = random.nextDouble();
    if (style < 0.2) return "```json\n" + json + "\n```";
    if (style < 0.3) return "Here is my assessment of the scene:\n" + json + "\nLet me know if you need more detail.";
    return json;
  }

  private static JsonObject completion(String content) {
    return new JsonObject().put("id", "chatcmpl-sim").put("object", "chat.completion").put("model", "argus-sim-1")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
            .put("message", new JsonObject().put("role", "assistant").put("content", content))))
        .put("usage", new JsonObject().put("prompt_tokens", 220).put("completion_tokens", 48).put("total_tokens", 268));
  }

  private static void error(HttpServerRequest req, int status, String code, String message) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message).put("type", code).put("code", code)).encode());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
