package dev.argus.llm;

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
import dev.argus.model.Detection;
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
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Spends the key pool on assessment tasks. Tasks wait in a bounded priority queue (priority from the
 * bridge, then age) until the {@link KeyPool} grants a key that its limits, cooldowns and breaker
 * allow; a failed call is retried on a different key with jittered backoff; a task still waiting at
 * its deadline is judged by the rules, and says why. The Kafka partitions are paused while the queue
 * and the calls in flight are full, so the backlog stays in Kafka and memory stays flat.
 */
public final class LlmDispatchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LlmDispatchVerticle.class);
  private static final long TICK_MS = 250;
  /** A key without a configured QPS limit starts here and is probed up by AIMD (slow start). */
  private static final double UNKNOWN_LIMIT_START_QPS = 1.0;
  private static final List<String> STATES = List.of("probing", "active", "cooling", "disabled", "circuit_open");

  private final ArgusConfig config;
  private final Backbone backbone;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private final Map<String, Counter> requestCounters = new HashMap<>();
  private KeyPool pool;
  private DispatchQueue<Job> queue;
  private ProviderClient provider;
  private WebClient client;
  private Publisher publisher;
  private Subscription subscription;
  private MessageConsumer<Object> status;
  private MessageConsumer<JsonObject> admin;
  private Timer latency;
  private Counter expired;
  private volatile Map<String, String> keyStates = Map.of();
  private volatile Map<String, Double> successRates = Map.of();
  private int running;
  private long seq;
  private long tickTimer;
  private long keysTimer;
  private long wakeTimer = -1;

  /** A task on its way through the pool: what it tried, and the promise its record waits on. */
  private static final class Job {
    final AssessmentTask task;
    final Detection frame;
    final Promise<Void> done = Promise.promise();
    final Set<String> tried = new HashSet<>();
    final long seq;
    final long enqueuedAt = System.currentTimeMillis();
    int attempts;
    String lastError;

    Job(AssessmentTask task, Detection frame, long seq) {
      this.task = task;
      this.frame = frame;
      this.seq = seq;
    }
  }

  private final MeterRegistry registry;

  public LlmDispatchVerticle(ArgusConfig config, Backbone backbone, MeterRegistry registry) {
    this.registry = registry;
    this.config = config;
    this.backbone = backbone;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Llm llm = config.llm();
    pool = new KeyPool(llm.keys(), new KeyPool.Settings(KeyPool.Strategy.parse(llm.selectionStrategy()),
        llm.minCooldownMs(), llm.maxCooldownMs(), 0.2, UNKNOWN_LIMIT_START_QPS), System::nanoTime, new Random());
    queue = new DispatchQueue<>(llm.queueCapacity());
    for (var k : llm.keys()) {
      breakers.put(k.id(), CircuitBreaker.create("llm-" + k.id(), vertx, new CircuitBreakerOptions()
          .setMaxFailures(llm.breakerMaxFailures()).setTimeout(-1).setResetTimeout(llm.breakerResetMs())));
    }
    registerMetrics(registry);
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(llm.connectTimeoutMs())
        .setKeepAlive(true).setUserAgent("argus-gateway"), new PoolOptions().setHttp1MaxSize(Math.max(8, llm.maxConcurrent())));
    provider = new ProviderClient(client, llm);
    status = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_LLM_STATUS, msg -> msg.reply(readiness()));
    admin = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_LLM_ADMIN, this::onAdmin);
    tickTimer = vertx.setPeriodic(TICK_MS, id -> pump());
    keysTimer = vertx.setPeriodic(1000, id -> vertx.eventBus().publish(BusAddresses.LLM_KEYS, poolState()));
    // Records handed out = tasks queued + calls in flight; past that the partitions pause.
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().tasks().name(), config.kafka().group("llm"),
        llm.queueCapacity(), true);
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false)
        .compose(p -> {
          publisher = p;
          return backbone.subscribe(vertx, spec, this::onTask);
        })
        .onSuccess(s -> subscription = s);
  }

  private void registerMetrics(MeterRegistry registry) {
    latency = Timer.builder(MetricNames.LLM_LATENCY).description("Provider call latency")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    expired = Counter.builder(MetricNames.LLM_TASKS_EXPIRED).description("Tasks that reached their deadline waiting for a key")
        .register(registry);
    Gauge.builder(MetricNames.LLM_INFLIGHT, this, v -> v.running).register(registry);
    Gauge.builder(MetricNames.LLM_QUEUE_DEPTH, this, v -> v.queue.size()).register(registry);
    for (var k : config.llm().keys()) {
      Gauge.builder(MetricNames.API_KEY_SUCCESS_RATE, this, v -> v.successRates.getOrDefault(k.id(), Double.NaN))
          .tag(MetricNames.TAG_KEY, k.id()).description("Share of successful calls over 5 minutes").register(registry);
      for (String state : STATES) {
        Gauge.builder(MetricNames.LLM_KEY_STATE, this, v -> state.equals(v.keyStates.get(k.id())) ? 1 : 0)
            .tag(MetricNames.TAG_KEY, k.id()).tag(MetricNames.TAG_STATE, state).register(registry);
      }
    }
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
    Job job = new Job(task, frame.detection(), seq++);
    if (pool.isEmpty()) {
      fallBack(job, "no LLM API keys are configured");
    } else if (!queue.offer(job, task.priority(), job.seq, task.deadlineMs())) {
      fallBack(job, "the dispatch queue is full");
    } else {
      pump();
    }
    return job.done.future();
  }

  /** Starts as many waiting tasks as keys and the concurrency bound allow; otherwise sleeps until a key frees. */
  private void pump() {
    for (DispatchQueue.Entry<Job> e : queue.expire(System.currentTimeMillis())) {
      expired.increment();
      Job job = e.job();
      fallBack(job, "deadline passed after waiting " + (System.currentTimeMillis() - job.enqueuedAt) + " ms for a key"
          + (job.lastError == null ? "" : "; last error " + job.lastError));
    }
    Iterator<DispatchQueue.Entry<Job>> it = queue.inOrder();
    while (running < config.llm().maxConcurrent() && it.hasNext()) {
      Job job = it.next().job();
      KeyPool.Lease lease = pool.acquire(job.tried, this::breakerAllows);
      if (lease != null) {
        it.remove();
        call(job, lease);
      } else if (pool.nanosUntilAvailable(job.tried) == Long.MAX_VALUE) {
        it.remove();
        fallBack(job, "no LLM key left to try (" + (job.tried.isEmpty() ? "all disabled" : "tried " + String.join(", ", job.tried))
            + ")" + (job.lastError == null ? "" : "; last error " + job.lastError));
      } else if (job.tried.isEmpty()) {
        break; // no key at all can take a call now: later tasks could not either
      }
    }
    if (!queue.isEmpty() && running < config.llm().maxConcurrent()) wakeWhenAKeyFrees();
  }

  private void wakeWhenAKeyFrees() {
    long nanos = pool.nanosUntilAvailable(Set.of());
    if (nanos == Long.MAX_VALUE || wakeTimer >= 0) return;
    long ms = Math.max(1, Math.min(TICK_MS, TimeUnit.NANOSECONDS.toMillis(nanos) + 1));
    wakeTimer = vertx.setTimer(ms, id -> {
      wakeTimer = -1;
      pump();
    });
  }

  private boolean breakerAllows(String keyId) {
    CircuitBreaker b = breakers.get(keyId);
    return b == null || b.state() != CircuitBreakerState.OPEN;
  }

  private void call(Job job, KeyPool.Lease lease) {
    running++;
    String keyId = lease.id();
    String model = provider.model(lease.key());
    long started = System.nanoTime();
    // The breaker counts the key's own faults only (5xx, timeouts, resets); 429, 401 and bad replies pass
    // through it as values so they do not open it.
    Future<Object> guarded = breakers.get(keyId).execute(() -> provider.assess(job.task, lease.key())
        .<Object>map(r -> r)
        .recover(err -> err instanceof CallFailure f && !f.outcome().opensBreaker()
            ? Future.succeededFuture(f) : Future.failedFuture(err)));
    guarded.onComplete(ar -> {
      running--;
      long nanos = System.nanoTime() - started;
      Object value = ar.succeeded() ? ar.result() : ar.cause();
      CallOutcome outcome = value instanceof ParsedReply ? CallOutcome.SUCCESS
          : value instanceof CallFailure f ? f.outcome()
          : value instanceof OpenCircuitException ? CallOutcome.CIRCUIT_OPEN : CallOutcome.SERVER_ERROR;
      requests(model, keyId, outcome).increment();
      if (outcome != CallOutcome.CIRCUIT_OPEN) latency.record(nanos, TimeUnit.NANOSECONDS);
      switch (outcome) {
        case SUCCESS -> {
          pool.succeeded(lease);
          ParsedReply r = (ParsedReply) value;
          finish(job, new Assessment(job.task.taskId(), job.task.cameraId(), job.task.frameId(), r.level(), r.score(),
              r.summary(), r.recommendations(), Assessment.SOURCE_LLM, model, keyId,
              TimeUnit.NANOSECONDS.toMillis(nanos), job.task.detectedAtMs(), System.currentTimeMillis(), null,
              job.task.context()));
        }
        case RATE_LIMITED -> {
          // Not the task's fault: the key cools and the task goes straight back to wait for another.
          pool.rateLimited(lease, ((CallFailure) value).retryAfterMs());
          requeue(job, 0, keyId + ": rate_limited");
        }
        case AUTH_FAILED -> {
          pool.authFailed(lease, "the provider refused the key (" + ((Throwable) value).getMessage() + ")");
          log.warn("LLM key {} ({}) disabled: {}", keyId, lease.key().masked(), ((Throwable) value).getMessage());
          requeue(job, 0, keyId + ": auth_failed");
        }
        default -> {
          pool.failed(lease);
          job.tried.add(keyId);
          job.attempts++;
          String error = keyId + ": " + outcome.label + " (" + ((Throwable) value).getMessage() + ")";
          if (job.attempts >= config.llm().maxAttempts()) {
            fallBack(job, "LLM failed after " + job.attempts + " attempt(s); last error " + error);
          } else {
            requeue(job, ThreadLocalRandom.current().nextLong(50, 250L * job.attempts), error);
          }
        }
      }
      pump();
    });
  }

  /** Back into the queue (keeping its place by age) after {@code delayMs}. */
  private void requeue(Job job, long delayMs, String error) {
    job.lastError = error;
    Runnable back = () -> {
      if (!queue.offer(job, job.task.priority(), job.seq, job.task.deadlineMs())) fallBack(job, "the dispatch queue is full");
      pump();
    };
    if (delayMs <= 0) back.run();
    else vertx.setTimer(delayMs, id -> back.run());
  }

  private void fallBack(Job job, String why) {
    ParsedReply r = RulesAssessor.assess(job.frame);
    finish(job, new Assessment(job.task.taskId(), job.task.cameraId(), job.task.frameId(), r.level(), r.score(),
        r.summary(), r.recommendations(), Assessment.SOURCE_RULES, "rules", null, 0, job.task.detectedAtMs(),
        System.currentTimeMillis(), why, job.task.context()));
  }

  /** Produces the result; the task's record is done (committable) once the broker acknowledged it. */
  private void finish(Job job, Assessment a) {
    publisher.send(new OutboundRecord(config.kafka().topics().results().name(), a.cameraId(), a.toJson().toBuffer()))
        .onComplete(job.done);
  }

  private void onAdmin(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    String id = body.getString("id");
    boolean found = switch (body.getString("action", "list")) {
      case "enable" -> pool.enable(id);
      case "disable" -> pool.disable(id, body.getString("reason", "disabled by an operator"));
      default -> true;
    };
    if (!found) {
      msg.fail(404, "no LLM key with id '" + id + "'");
    } else {
      msg.reply(poolState());
    }
  }

  private JsonObject readiness() {
    long usable = pool.usableCount();
    String mode = pool.isEmpty() ? "rules_only" : usable == 0 ? "all_keys_disabled" : "llm";
    return new JsonObject().put("status", "UP").put("mode", mode).put("keys", config.llm().keys().size())
        .put("active_keys", usable).put("in_flight", running).put("queue_depth", queue.size());
  }

  /** The pool as the API and the dashboard show it: secrets masked. Also refreshes the gauges' view. */
  private JsonObject poolState() {
    JsonArray keys = new JsonArray();
    Map<String, String> states = new HashMap<>();
    Map<String, Double> rates = new HashMap<>();
    for (KeyPool.KeyView k : pool.snapshot()) {
      CircuitBreaker b = breakers.get(k.id());
      String state = k.state() != KeyPool.State.DISABLED && b != null && b.state() != CircuitBreakerState.CLOSED
          ? "circuit_open" : k.state().name().toLowerCase(java.util.Locale.ROOT);
      states.put(k.id(), state);
      rates.put(k.id(), k.successRate());
      keys.add(new JsonObject().put("id", k.id()).put("key", k.maskedKey()).put("state", state).put("reason", k.reason())
          .put("priority", k.priority()).put("in_flight", k.inFlight())
          .put("effective_qps", Double.isNaN(k.effectiveQps()) ? null : round(k.effectiveQps()))
          .put("success_rate", Double.isNaN(k.successRate()) ? null : round(k.successRate()))
          .put("cooldown_until", k.cooldownUntilMs() == 0 ? null : dev.argus.model.Times.iso(k.cooldownUntilMs())));
    }
    keyStates = states;
    successRates = rates;
    return new JsonObject().put("keys", keys).put("in_flight", running).put("queue_depth", queue.size())
        .put("at", System.currentTimeMillis());
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private Counter requests(String model, String keyId, CallOutcome outcome) {
    return requestCounters.computeIfAbsent(model + '\u0000' + keyId + '\u0000' + outcome.label, k ->
        Counter.builder(MetricNames.LLM_REQUESTS).description("LLM provider calls by outcome")
            .tag(MetricNames.TAG_MODEL, model).tag(MetricNames.TAG_KEY, keyId)
            .tag(MetricNames.TAG_STATUS, outcome.label).register(registry));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(keysTimer);
    Future<Void> sub = subscription == null ? Future.succeededFuture() : subscription.close();
    return sub.andThen(v -> vertx.cancelTimer(tickTimer))
        .transform(v -> Future.join(status.unregister(), admin.unregister()))
        .transform(v -> publisher == null ? Future.succeededFuture() : publisher.close())
        .andThen(v -> client.close());
  }
}
