package dev.argus;

import dev.argus.aggregate.AggregateMeters;
import dev.argus.aggregate.AggregatorVerticle;
import dev.argus.aggregate.TrackVerticle;
import dev.argus.aggregate.ResultStore;
import dev.argus.backbone.Backbone;
import dev.argus.cluster.ClusterContext;
import dev.argus.cluster.ClusterMembersVerticle;
import dev.argus.config.ArgusConfig;
import dev.argus.config.NodeRoles;
import dev.argus.config.NodeRoles.Role;
import dev.argus.dashboard.DashboardVerticle;
import dev.argus.feedback.FeedbackVerticle;
import dev.argus.replay.ReplayVerticle;
import dev.argus.demo.CameraSimulatorVerticle;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.detection.BridgeMeters;
import dev.argus.detection.DetectionBridgeVerticle;
import dev.argus.http.HttpServerVerticle;
import dev.argus.llm.LlmDispatchVerticle;
import dev.argus.quality.CameraHealthVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.argus.ops.ComponentUp;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The composition root: starts the backbone and the store, then deploys the stages from the back of
 * the pipeline to the front, so each stage finds its consumer running. {@link #shutdown()} stops the
 * edge first (the simulator, then ingest, which stops taking writes and flushes), then the consuming
 * stages together (each finishes and commits its batch; what they had not consumed waits in Kafka),
 * and the broker last. Every meter reports into the one registry it is given, which {@code /metrics} serves.
 */
public final class MainVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final ArgusConfig config;
  private final PrometheusMeterRegistry registry;
  private final ClusterContext cluster;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Deque<String> edge = new ArrayDeque<>();
  private final List<String> stages = new ArrayList<>();
  private Backbone backbone;
  private ResultStore store;
  private volatile boolean stopped;

  public MainVerticle(ArgusConfig config, PrometheusMeterRegistry registry) {
    this(config, registry, ClusterContext.standalone());
  }

  public MainVerticle(ArgusConfig config, PrometheusMeterRegistry registry, ClusterContext cluster) {
    this.config = config;
    this.registry = registry;
    this.cluster = cluster;
  }

  @Override
  public Future<?> start() {
    return Backbone.start(vertx, config, registry).compose(b -> {
      backbone = b;
      store = ResultStore.create(vertx, config.redis());
      ComponentUp.forPipeline(vertx, registry, backbone, store).start(5000);
      Future<Void> chain = Future.succeededFuture();
      NodeRoles roles = config.node();
      if (roles.has(Role.LLM) && config.demo().enabled() && SimulatedLlmVerticle.isDemoProvider(config)) {
        chain = deploy(chain, () -> new SimulatedLlmVerticle(SimulatedLlmVerticle.Options.of(config.demo())), 1, stages);
      }
      AggregateMeters aggregateMeters = new AggregateMeters(registry);
      BridgeMeters bridgeMeters = new BridgeMeters(registry);
      if (roles.has(Role.AGGREGATE)) {
        chain = deploy(chain, () -> new AggregatorVerticle(config, backbone, store, aggregateMeters), 1, stages);
        // Track paths and predictive zone alerts: every frame, in a consumer group of their own.
        if (config.aggregate().tracks().enabled()) chain = deploy(chain, () -> new TrackVerticle(config, backbone, store, aggregateMeters), 1, stages);
      }
      if (roles.has(Role.LLM)) chain = deploy(chain, () -> new LlmDispatchVerticle(config, backbone, registry, cluster), 1, stages);
      if (roles.has(Role.BRIDGE)) {
        chain = deploy(chain, () -> new DetectionBridgeVerticle(config, backbone, bridgeMeters), 1, stages);
        chain = deploy(chain, () -> new ReplayVerticle(config, backbone), 1, stages);
        // Camera health sees every frame, like the bridge (its own consumer group in Kafka mode).
        if (config.quality().enabled()) chain = deploy(chain, () -> new CameraHealthVerticle(config, backbone, store), 1, stages);
      }
      if (roles.has(Role.DASHBOARD)) {
        chain = deploy(chain, () -> new FeedbackVerticle(backbone, config.kafka().topics().modelMetrics().name(),
            config.dashboard().modelMetricsIntervalMs(), registry), 1, stages);
        chain = deploy(chain, () -> new DashboardVerticle(config, backbone.mode(), backbone.durable(), registry, backbone.lag(),
            cluster.nodeId()),
            1, stages);
      }
      // Every node tells the cluster who it is and what it owns (GET /api/v1/cluster, readiness).
      chain = deploy(chain, () -> new ClusterMembersVerticle(cluster, backbone.assignments(), config.cluster().host(),
          config.http().port()), 1, stages);
      // Every node serves /health and /metrics; HttpServerVerticle mounts the other routes by role.
      int instances = config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
      chain = deploy(chain, () -> new HttpServerVerticle(config, backbone, store, draining, registry), instances, edge);
      if (roles.has(Role.INGEST) && config.demo().enabled()) {
        chain = deploy(chain, () -> new CameraSimulatorVerticle(config), 1, edge);
      }
      return chain;
    }).onSuccess(v -> log.info("Argus started: roles {}, backbone {} ({}), store {}, {} LLM key(s), HTTP on port {}", config.node().roles(),
        backbone.mode(), backbone.durable() ? "durable" : "NOT durable",
        config.redis().enabled() ? "redis" : "memory", config.llm().keys().size(), config.http().port()));
  }

  /** Deploys after {@code after} and records the deployment in {@code into} (the edge or the stages). */
  private Future<Void> deploy(Future<Void> after, Supplier<VerticleBase> verticle, int instances,
                              Collection<String> into) {
    return after.compose(v -> vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances)))
        .map(id -> {
          // the edge is a stack (newest stopped first); the stages stop together
          if (into instanceof Deque<String> stack) stack.push(id);
          else into.add(id);
          return null;
        });
  }

  /** Graceful stop, front of the pipeline first (see the class comment). Idempotent. */
  public Future<Void> shutdown() {
    if (stopped) return Future.succeededFuture();
    stopped = true;
    draining.set(true);
    log.info("Argus stopping: draining ingest, finishing in-flight work, committing offsets");
    Future<Void> chain = Future.succeededFuture();
    for (String id : edge) chain = chain.transform(v -> undeploy(id));
    return chain.transform(v -> Future.join(stages.stream().map(this::undeploy).toList()))
        .transform(v -> closeResources());
  }

  private Future<Void> undeploy(String id) {
    return vertx.undeploy(id).otherwise(err -> {
      log.warn("undeploying {} failed: {}", id, err.getMessage());
      return null;
    });
  }

  private Future<Void> closeResources() {
    Future<Void> s = store == null ? Future.succeededFuture() : store.close().otherwiseEmpty();
    return s.transform(v -> backbone == null ? Future.succeededFuture() : backbone.close())
        .onSuccess(v -> log.info("Argus stopped"));
  }

  @Override
  public Future<?> stop() {
    // Undeployed without shutdown(): Vert.x stops the stages itself; release what they used.
    if (stopped) return Future.succeededFuture();
    stopped = true;
    return closeResources();
  }
}
