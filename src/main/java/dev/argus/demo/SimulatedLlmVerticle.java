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

  private final ArgusConfig.Demo demo;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Random random = new Random();
  private HttpServer server;

  public SimulatedLlmVerticle(ArgusConfig.Demo demo) {
    this.demo = demo;
  }

  /** The demo key pool: {@code llmKeys} working keys of {@code llmQps} each, and one revoked key. */
  public static List<LlmKeySpec> demoKeys(ArgusConfig.Demo demo) {
    List<LlmKeySpec> keys = new ArrayList<>();
    for (int i = 1; i <= demo.llmKeys(); i++) {
      keys.add(new LlmKeySpec(String.format("demo-%02d", i), String.format("sk-demo-%04d-simulated", i), 1,
          demo.llmQps(), demo.llmQps() * 60, 1, null, null));
    }
    keys.add(new LlmKeySpec("demo-revoked", REVOKED_KEY, 1, demo.llmQps(), demo.llmQps() * 60, 1, null, null));
    return keys;
  }

  /** The configuration with the simulated provider and its keys in place of an empty key pool. */
  public static ArgusConfig withDemoProvider(ArgusConfig c) {
    ArgusConfig.Llm l = c.llm();
    ArgusConfig.Llm llm = new ArgusConfig.Llm("http://127.0.0.1:" + c.demo().llmPort() + "/v1", "argus-sim-1",
        demoKeys(c.demo()), l.maxConcurrent(), l.connectTimeoutMs(), l.timeoutMs(), l.maxAttempts(),
        l.breakerMaxFailures(), l.breakerResetMs(), l.deadlineMs());
    return new ArgusConfig(c.http(), c.kafka(), c.redis(), c.detection(), llm, c.aggregate(), c.dashboard(), c.demo());
  }

  public static boolean isDemoProvider(ArgusConfig c) {
    return c.llm().baseUrl().equals("http://127.0.0.1:" + c.demo().llmPort() + "/v1");
  }

  @Override
  public Future<?> start() {
    for (LlmKeySpec k : demoKeys(demo)) {
      if (k.secret().equals(REVOKED_KEY)) continue;
      buckets.put(k.secret(), Bucket.builder().addLimit(Bandwidth.builder().capacity(demo.llmQps())
          .refillGreedy(demo.llmQps(), Duration.ofSeconds(1)).build()).build());
    }
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(demo.llmPort(), "127.0.0.1")
        .onSuccess(s -> log.info("Simulated LLM provider on http://127.0.0.1:{}/v1 ({} keys x {} QPS, 1 revoked)",
            s.actualPort(), demo.llmKeys(), demo.llmQps()));
  }

  private void handle(HttpServerRequest req) {
    if (!req.path().endsWith("/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    String auth = req.getHeader("Authorization");
    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      error(req, 401, "invalid_api_key", "Incorrect API key provided.");
      return;
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill()));
      req.response().putHeader("Retry-After", String.valueOf((waitMs + 999) / 1000))
          .putHeader("retry-after-ms", String.valueOf(waitMs));
      error(req, 429, "rate_limit_exceeded", "Rate limit reached for requests per second.");
      return;
    }
    req.body().onSuccess(body -> {
      // Lognormal latency around 800 ms, like a hosted vision model.
      long delay = Math.max(50, Math.round(800 * Math.exp(0.4 * random.nextGaussian())));
      vertx.setTimer(delay, t -> {
        if (random.nextDouble() < 0.02) {
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
