package dev.argus.llm;

import dev.argus.Metrics;
import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PoisonRecordException;
import dev.argus.backbone.Publisher;
import dev.argus.backbone.Subscription;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.config.ArgusConfig;
import dev.argus.model.Assessment;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
import dev.argus.model.FrameParser;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spends the key pool on assessment tasks: each task tries keys in turn (never the same key twice),
 * through a per-key circuit breaker, with a timeout and jittered backoff between attempts; when no key
 * can answer, the rules assessor does, and says so. Concurrency is bounded by the subscription: at most
 * {@code llm.maxConcurrent} tasks are handed out at once.
 */
public final class LlmDispatchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LlmDispatchVerticle.class);

  private final ArgusConfig config;
  private final Backbone backbone;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private final Map<String, Counter> requestCounters = new HashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private KeyRing ring;
  private WebClient client;
  private Publisher publisher;
  private Subscription subscription;
  private MessageConsumer<Object> status;
  private Timer latency;
  private long keysTimer;

  public LlmDispatchVerticle(ArgusConfig config, Backbone backbone) {
    this.config = config;
    this.backbone = backbone;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Llm llm = config.llm();
    MeterRegistry registry = Metrics.registry();
    ring = new KeyRing(llm.keys());
    for (KeyRing.Key k : ring.keys()) {
      breakers.put(k.spec.id(), CircuitBreaker.create("llm-" + k.spec.id(), vertx, new CircuitBreakerOptions()
          .setMaxFailures(llm.breakerMaxFailures()).setTimeout(-1).setResetTimeout(llm.breakerResetMs())));
      Gauge.builder(MetricNames.API_KEY_SUCCESS_RATE, k, key -> key.successRate(System.currentTimeMillis()))
          .tag(MetricNames.TAG_KEY, k.spec.id()).description("Share of successful calls over 5 minutes")
          .register(registry);
    }
    latency = Timer.builder(MetricNames.LLM_LATENCY).description("Provider call latency")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    Gauge.builder(MetricNames.LLM_INFLIGHT, inFlight, AtomicInteger::get).register(registry);
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(llm.connectTimeoutMs())
        .setKeepAlive(true).setUserAgent("argus-gateway"),
        new PoolOptions().setHttp1MaxSize(Math.max(8, llm.maxConcurrent())));
    status = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_LLM_STATUS, msg -> msg.reply(readiness()));
    keysTimer = vertx.setPeriodic(1000, id -> vertx.eventBus().publish(BusAddresses.LLM_KEYS, poolState()));
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().tasks().name(), config.kafka().group("llm"),
        llm.maxConcurrent());
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false)
        .compose(p -> {
          publisher = p;
          return backbone.subscribe(vertx, spec, this::onTask);
        })
        .onSuccess(s -> subscription = s);
  }

  private Future<?> onTask(InboundRecord record) {
    AssessmentTask task;
    try {
      task = AssessmentTask.fromJson(new JsonObject(record.value()));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      throw new PoisonRecordException("undecodable", "not an assessment task: " + e.getMessage());
    }
    FrameParser.Result frame = FrameParser.parse(task.frame(), 0);
    if (!frame.ok()) throw new PoisonRecordException("invalid", "the task's frame is invalid: " + frame.errors());
    inFlight.incrementAndGet();
    Future<Assessment> assessed;
    if (ring.isEmpty()) {
      assessed = Future.succeededFuture(rules(task, frame, "no LLM API keys are configured", 0));
    } else {
      assessed = attempt(task, new HashSet<>(), 1, null).recover(err ->
          Future.succeededFuture(rules(task, frame, err.getMessage(), 0)));
    }
    return assessed
        .compose(a -> publisher.send(new OutboundRecord(config.kafka().topics().results().name(), a.cameraId(),
            a.toJson().toBuffer())))
        .andThen(ar -> inFlight.decrementAndGet());
  }

  /** One try on the next key; on failure another key, up to the attempt limit and the deadline. */
  private Future<Assessment> attempt(AssessmentTask task, Set<String> tried, int n, String lastError) {
    String last = lastError == null ? "" : "; last error " + lastError;
    if (System.currentTimeMillis() >= task.deadlineMs()) {
      return Future.failedFuture("the task's deadline passed before an LLM answered" + last);
    }
    KeyRing.Key key = ring.next(tried, k -> breakers.get(k.spec.id()).state() != CircuitBreakerState.OPEN);
    if (key == null) {
      return Future.failedFuture(tried.isEmpty() ? "no LLM key is available (disabled or circuit open)"
          : "every available LLM key failed (" + String.join(", ", tried) + ")" + last);
    }
    tried.add(key.spec.id());
    return call(task, key).recover(err -> {
      if (n >= config.llm().maxAttempts()) {
        return Future.failedFuture("LLM failed after " + n + " attempt(s); last error " + err.getMessage());
      }
      long backoff = ThreadLocalRandom.current().nextLong(50, 250L * n);
      return Future.<Void>future(p -> vertx.setTimer(backoff, t -> p.complete()))
          .compose(v -> attempt(task, tried, n + 1, err.getMessage()));
    });
  }

  private Future<Assessment> call(AssessmentTask task, KeyRing.Key key) {
    ArgusConfig.Llm llm = config.llm();
    String model = key.spec.model() != null ? key.spec.model() : llm.model();
    String base = key.spec.baseUrl() != null ? key.spec.baseUrl().replaceAll("/+$", "") : llm.baseUrl();
    CircuitBreaker breaker = breakers.get(key.spec.id());
    long started = System.nanoTime();
    ring.started(key);
    // The breaker only counts the key's own faults (5xx, timeouts, resets); 429, 401 and bad replies
    // travel through it as values so they do not open it.
    Future<Object> guarded = breaker.execute(() -> send(base, model, key, task)
        .<Object>map(r -> r)
        .recover(err -> err instanceof CallFailure f && !f.outcome().opensBreaker()
            ? Future.succeededFuture(f) : Future.failedFuture(err)));
    return guarded.transform(ar -> {
      long nanos = System.nanoTime() - started;
      CallOutcome outcome;
      Throwable failure = null;
      if (ar.succeeded() && ar.result() instanceof ParsedReply) {
        outcome = CallOutcome.SUCCESS;
      } else {
        failure = ar.succeeded() ? (CallFailure) ar.result() : ar.cause();
        outcome = failure instanceof CallFailure f ? f.outcome()
            : failure instanceof OpenCircuitException ? CallOutcome.CIRCUIT_OPEN : CallOutcome.SERVER_ERROR;
      }
      ring.finished(key, outcome == CallOutcome.SUCCESS, System.currentTimeMillis());
      if (outcome != CallOutcome.CIRCUIT_OPEN) latency.record(nanos, TimeUnit.NANOSECONDS);
      requests(model, key.spec.id(), outcome).increment();
      if (outcome == CallOutcome.AUTH_FAILED && key.state() == KeyRing.State.ACTIVE) {
        ring.disable(key, "the provider refused the key (" + failure.getMessage() + ")");
        log.warn("LLM key {} ({}) disabled: {}", key.spec.id(), key.spec.masked(), failure.getMessage());
      }
      if (outcome != CallOutcome.SUCCESS) {
        return Future.failedFuture(key.spec.id() + ": " + outcome.label + " (" + failure.getMessage() + ")");
      }
      ParsedReply reply = (ParsedReply) ar.result();
      return Future.succeededFuture(new Assessment(task.taskId(), task.cameraId(), task.frameId(), reply.level(),
          reply.score(), reply.summary(), reply.recommendations(), Assessment.SOURCE_LLM, model, key.spec.id(),
          TimeUnit.NANOSECONDS.toMillis(nanos), task.detectedAtMs(), System.currentTimeMillis(), null));
    });
  }

  private Future<ParsedReply> send(String base, String model, KeyRing.Key key, AssessmentTask task) {
    long timeout = config.llm().timeoutMs();
    return client.postAbs(base + "/chat/completions")
        .bearerTokenAuthentication(key.spec.secret())
        .timeout(timeout)
        .sendJsonObject(PromptBuilder.request(task, model))
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(new CallFailure(
            err instanceof TimeoutException || String.valueOf(err.getMessage()).contains("timeout")
                ? CallOutcome.TIMEOUT : CallOutcome.SERVER_ERROR, "no answer: " + err.getMessage())))
        .map(this::reply);
  }

  private ParsedReply reply(HttpResponse<Buffer> response) {
    int code = response.statusCode();
    if (code / 100 != 2) throw new CallFailure(CallOutcome.ofStatus(code), "HTTP " + code);
    try {
      JsonObject body = response.bodyAsJsonObject();
      JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
      Object content = message.getValue("content");
      if (content instanceof JsonArray parts) {
        StringBuilder sb = new StringBuilder();
        parts.forEach(p -> sb.append(p instanceof JsonObject o ? o.getString("text", "") : String.valueOf(p)));
        content = sb.toString();
      }
      return ReplyParser.parse((String) content);
    } catch (InvalidReplyException e) {
      throw new CallFailure(CallOutcome.INVALID_REPLY, e.getMessage());
    } catch (RuntimeException e) {
      throw new CallFailure(CallOutcome.INVALID_REPLY, "not a chat completion: " + e.getMessage());
    }
  }

  private Assessment rules(AssessmentTask task, FrameParser.Result frame, String why, long latencyMs) {
    ParsedReply r = RulesAssessor.assess(frame.detection());
    return new Assessment(task.taskId(), task.cameraId(), task.frameId(), r.level(), r.score(), r.summary(),
        r.recommendations(), Assessment.SOURCE_RULES, "rules", null, latencyMs, task.detectedAtMs(),
        System.currentTimeMillis(), why);
  }

  private Counter requests(String model, String keyId, CallOutcome outcome) {
    return requestCounters.computeIfAbsent(model + '\u0000' + keyId + '\u0000' + outcome.label, k ->
        Counter.builder(MetricNames.LLM_REQUESTS).description("LLM provider calls by outcome")
            .tag(MetricNames.TAG_MODEL, model).tag(MetricNames.TAG_KEY, keyId)
            .tag(MetricNames.TAG_STATUS, outcome.label).register(Metrics.registry()));
  }

  private JsonObject readiness() {
    long active = ring.activeCount();
    String mode = ring.isEmpty() ? "rules_only" : active == 0 ? "all_keys_disabled" : "llm";
    return new JsonObject().put("status", "UP").put("mode", mode).put("keys", ring.keys().size())
        .put("active_keys", active).put("in_flight", inFlight.get());
  }

  /** The pool as the dashboard shows it; secrets masked. */
  private JsonObject poolState() {
    long now = System.currentTimeMillis();
    JsonArray keys = new JsonArray();
    for (KeyRing.Key k : ring.keys()) {
      double rate = k.successRate(now);
      keys.add(new JsonObject().put("id", k.spec.id()).put("key", k.spec.masked())
          .put("state", k.state() == KeyRing.State.DISABLED ? "disabled"
              : breakers.get(k.spec.id()).state() == CircuitBreakerState.CLOSED ? "active" : "circuit_open")
          .put("reason", k.reason()).put("in_flight", k.inFlight())
          .put("success_rate", Double.isNaN(rate) ? null : rate));
    }
    return new JsonObject().put("keys", keys).put("in_flight", inFlight.get()).put("at", now);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(keysTimer);
    Future<Void> sub = subscription == null ? Future.succeededFuture() : subscription.close();
    return sub.transform(v -> status.unregister())
        .transform(v -> publisher == null ? Future.succeededFuture() : publisher.close())
        .andThen(v -> client.close());
  }
}
