package dev.argus.llm;

import dev.argus.backbone.Backbone;
import dev.argus.backbone.InboundRecord;
import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PoisonRecordException;
import dev.argus.backbone.Stage;
import dev.argus.backbone.SubscriptionSpec;
import dev.argus.cluster.ClusterContext;
import dev.argus.config.ArgusConfig;
import dev.argus.llm.cluster.ClusterView;
import dev.argus.llm.cluster.HazelcastKeyPool;
import dev.argus.model.AssessmentTask;
import dev.argus.model.BusAddresses;
import dev.argus.model.FrameParser;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.Random;

/**
 * The LLM stage's wiring: tasks from the backbone into the {@link Dispatcher}, its assessments out to the
 * results topic, the provider behind per-key circuit breakers, timers, and the key admin and status
 * addresses. The subscription hands out at most {@code llm.queueCapacity} records (tasks queued plus
 * calls in flight); past that the Kafka partitions pause, so the backlog stays in Kafka and memory stays flat.
 */
public final class LlmDispatchVerticle extends VerticleBase {
  /** How often the key pool is published to the dashboard. */
  private static final long KEYS_PUBLISH_MS = 1000;
  /** Provider connections allowed at least, however low {@code llm.maxConcurrent} is. */
  private static final int MIN_HTTP_POOL = 8;

  private final ArgusConfig config;
  private final Backbone backbone;
  private final DispatchMeters meters;
  private final ClusterContext cluster;
  private Dispatcher dispatcher;
  private HazelcastKeyPool shared; // cluster mode only
  private GuardedProvider provider;
  private WebClient client;
  private Stage<AssessmentTask> stage;
  private MessageConsumer<Object> status;
  private MessageConsumer<JsonObject> admin;
  private long tickTimer;
  private long keysTimer;
  private EventLoopTimer timer;

  public LlmDispatchVerticle(ArgusConfig config, Backbone backbone, MeterRegistry registry) {
    this(config, backbone, registry, ClusterContext.standalone());
  }

  public LlmDispatchVerticle(ArgusConfig config, Backbone backbone, MeterRegistry registry, ClusterContext cluster) {
    this.cluster = cluster;
    this.config = config;
    this.backbone = backbone;
    this.meters = new DispatchMeters(registry, config.llm().keys(), config.llm().model());
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Llm llm = config.llm();
    Dispatcher.Clock clock = Dispatcher.Clock.system();
    KeyPool pool = new KeyPool(llm.keys(), KeyPool.Settings.of(llm), clock::nanos, new Random());
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(llm.connectTimeoutMs()).setKeepAlive(true)
        .setUserAgent("argus-gateway"), new PoolOptions().setHttp1MaxSize(Math.max(MIN_HTTP_POOL, llm.maxConcurrent())));
    provider = new GuardedProvider(vertx, new ProviderClient(client, llm), llm);
    timer = new EventLoopTimer(vertx, context);
    dispatcher = new Dispatcher(pool, llm.queueCapacity(), Dispatcher.Settings.of(llm), clock,
        timer, provider, provider::allows, meters, new Random());
    Future<?> joined = cluster.enabled() ? joinCluster(pool, llm, clock) : Future.succeededFuture();
    status = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_LLM_STATUS,
        msg -> msg.reply(PoolStatus.readiness(dispatcher, llm.keys().size())));
    admin = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_LLM_ADMIN, this::onAdmin);
    tickTimer = vertx.setPeriodic(Dispatcher.TICK_MS, id -> dispatcher.pump());
    keysTimer = vertx.setPeriodic(KEYS_PUBLISH_MS, id -> publishKeys());
    SubscriptionSpec spec = new SubscriptionSpec(config.kafka().topics().tasks().name(), config.kafka().group("llm"),
        llm.queueCapacity(), true);
    return joined.compose(v -> Stage.start(vertx, backbone, spec, MetricNames.STAGE_LLM,
            r -> AssessmentTask.fromJson(Stage.json(r)), this::onTask))
        .onSuccess(s -> stage = s);
  }

  /**
   * Cluster mode: the pool's declared limits become the cluster's budgets, unproven keys need the cluster's one
   * probe, and decisions (its own and its breakers') are shared. What the cluster decided before this node came
   * is applied before it takes its first task. Registering the listener may wait on the cluster: off the event loop.
   */
  private Future<?> joinCluster(KeyPool pool, ArgusConfig.Llm llm, Dispatcher.Clock clock) {
    io.vertx.core.Context ctx = context;
    java.util.concurrent.Executor owner = r -> ctx.runOnContext(v -> r.run());
    shared = new HazelcastKeyPool(cluster.hazelcast().orElseThrow(), cluster.nodeId(), 2L * llm.timeoutMs() + 5_000,
        owner, () -> dispatcher.pump(), clock::nanos);
    pool.attach(shared);
    provider.onOpen((id, waitMs) -> shared.publish(new SharedChange.BreakerOpened(id, System.currentTimeMillis() + waitMs)));
    return vertx.executeBlocking(() -> {
      shared.start(c -> owner.execute(() -> pool.apply(c)));
      return null;
    });
  }

  /**
   * The dashboard's view once a second. In cluster mode each node shares its counters, and only the oldest
   * member running the pool publishes, the cluster's merged view: browsers on any node see one pool, not
   * alternating node views.
   */
  private void publishKeys() {
    if (shared == null) {
      vertx.eventBus().publish(BusAddresses.LLM_KEYS, poolState());
      return;
    }
    JsonObject local = localPoolState();
    shared.publishSnapshot(local);
    shared.flush();
    if (shared.leader()) {
      vertx.eventBus().publish(BusAddresses.LLM_KEYS,
          ClusterView.merge(local, shared.otherSnapshots(), cluster.nodeId(), System.currentTimeMillis()));
    }
  }

  /**
   * The task's record is done (committable) once its assessment's record was acknowledged by the broker, or
   * at once when a newer task of its camera superseded it.
   */
  private Future<?> onTask(AssessmentTask task, InboundRecord record) {
    FrameParser.Result frame = FrameParser.parse(task.frame(), 0);
    if (!frame.ok()) throw new PoisonRecordException("invalid", "the task's frame is invalid: " + frame.errors());
    String results = config.kafka().topics().results().name();
    // null: superseded by a newer task of the camera; the record is done without a result
    return Future.fromCompletionStage(dispatcher.submit(task, frame.detection()), context)
        .compose(a -> a == null ? Future.succeededFuture()
            : stage.publisher().send(new OutboundRecord(results, a.cameraId(), a.toJson().toBuffer(), a.taskId())));
  }

  private void onAdmin(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    String id = body.getString("id");
    boolean found = switch (body.getString("action", "list")) {
      case "enable" -> dispatcher.pool().enable(id);
      case "disable" -> dispatcher.pool().disable(id, body.getString("reason", "disabled by an operator"));
      default -> true;
    };
    if (!found) {
      msg.fail(404, "no LLM key with id '" + id + "'");
    } else {
      msg.reply(poolState());
    }
  }

  /** This node's pool, or in cluster mode the cluster's (see {@link ClusterView}). */
  private JsonObject poolState() {
    JsonObject local = localPoolState();
    return shared == null ? local
        : ClusterView.merge(local, shared.otherSnapshots(), cluster.nodeId(), System.currentTimeMillis());
  }

  private JsonObject localPoolState() {
    return PoolStatus.keys(dispatcher, provider::tripped, meters, System.currentTimeMillis());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(keysTimer);
    Future<Void> consuming = stage == null ? Future.succeededFuture() : stage.stop();
    return consuming.andThen(v -> {
          vertx.cancelTimer(tickTimer);
          timer.close();
        })
        .transform(v -> Future.join(status.unregister(), admin.unregister()))
        .andThen(v -> client.close())
        .andThen(v -> {
          if (shared != null) shared.close();
        });
  }
}
