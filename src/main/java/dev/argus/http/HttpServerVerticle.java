package dev.argus.http;

import dev.argus.aggregate.ResultStore;
import dev.argus.backbone.Backbone;
import dev.argus.backbone.Publisher;
import dev.argus.config.ArgusConfig;
import dev.argus.config.NodeRoles;
import dev.argus.config.NodeRoles.Role;
import dev.argus.ingest.FrameIngest;
import dev.argus.ingest.IngestMeters;
import dev.argus.ingest.OverloadGuard;
import dev.argus.metrics.StageTimers;
import dev.argus.security.AdminAccess;
import dev.argus.security.IngestAccess;
import dev.argus.security.RequestIds;
import dev.argus.security.TokenRateLimits;
import io.github.bucket4j.TimeMeter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP server: deployed once per core, every instance listening on the same port. Vert.x spreads
 * connections over all of them, so each instance mounts every route group. Each instance has its own
 * publisher; stopping drains its pending writes before the server and the publisher close. Every
 * request first passes {@link SecurityHandlers} (request id, page headers, the viewer token); ingest
 * checks producer tokens, the key switch the admin token. With {@code http.tls} the port speaks HTTPS only.
 */
public final class HttpServerVerticle extends VerticleBase {
  /** How often the ingest loop's delay is sampled. */
  static final long LOOP_PROBE_MS = 20;
  private static final Logger log = LoggerFactory.getLogger(HttpServerVerticle.class);
  private static final String SHARED_MAP = "argus.http.security";
  private final ArgusConfig config;
  private final Backbone backbone;
  private final ResultStore store;
  private final AtomicBoolean draining;
  private final PrometheusMeterRegistry registry;
  private Publisher publisher;
  private HttpServer server;

  /**
   * @param draining set by the composition root at shutdown: new writes get 503 from then on
   * @param registry where the ingest meters go, and what {@code /metrics} shows
   */
  public HttpServerVerticle(ArgusConfig config, Backbone backbone, ResultStore store, AtomicBoolean draining,
                            PrometheusMeterRegistry registry) {
    this.config = config;
    this.backbone = backbone;
    this.store = store;
    this.draining = draining;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    ArgusConfig.Http http = config.http();
    return vertx.executeBlocking(() -> backbone.publisher(vertx), false).compose(p -> {
      publisher = p;
      IngestMeters meters = new IngestMeters(registry);
      NodeRoles roles = config.node();
      // Live frames go to browsers only where the SockJS bridge runs (the dashboard role).
      FrameIngest ingest = new FrameIngest(vertx, publisher, config.kafka().topics().detections().name(),
          http.ackTimeoutMs(), meters, System::currentTimeMillis, roles.has(Role.DASHBOARD));
      Replies replies = new Replies(http.retryAfterSeconds(), meters);
      Router router = Router.router(vertx);
      new SecurityHandlers(new RequestIds(() -> UUID.randomUUID().toString()), http.viewerToken(), http.adminToken(),
          http.metricsPublic(), replies).mount(router);
      // Routes by node role (README, "Node roles"); health and metrics on every node.
      if (roles.has(Role.INGEST)) {
        new IngestRoutes(ingest, meters, replies, draining::get, http.bodyLimitBytes(), http.wsMaxFramesInFlight(),
            new IngestAccess(http.ingestTokens()), sharedLimits(), overloadGuard(http, meters)).mount(router);
      }
      KeyAdminRoutes keyAdmin = new KeyAdminRoutes(vertx, new AdminAccess(http.adminToken()), replies);
      if (roles.has(Role.DASHBOARD)) {
        new BridgeRoutes(vertx, config.dashboard().browserFrameIntervalMs(), System::currentTimeMillis,
            new StageTimers(registry)).mount(router);
        new ReadRoutes(store, replies).mount(router);
        new TrackRoutes(store.tracks(config.aggregate().tracks().maxLen()), config.detection().rules(),
            config.aggregate().predictHorizonMs(), replies).mount(router);
        new FeedbackRoutes(vertx, store, replies).mount(router);
        new DemoRoutes(vertx, config.demo().enabled(), replies).mount(router);
      }
      if (roles.has(Role.LLM)) keyAdmin.mount(router);
      if (roles.has(Role.BRIDGE)) new ReplayRoutes(vertx, keyAdmin::adminAllowed, replies).mount(router);
      new MetricsRoute(registry).mount(router);
      new HealthRoutes(vertx, backbone, store, draining::get, replies, config.cluster().enabled(),
          roles.has(Role.LLM)).mount(router);
      new ClusterRoutes(vertx, replies).mount(router);
      if (roles.has(Role.DASHBOARD)) new PageRoute().mount(router);
      replies.mountErrorHandlers(router, http.bodyLimitBytes());
      HttpServerOptions options = new HttpServerOptions().setHost(http.host()).setPort(http.port())
          .setMaxWebSocketMessageSize(http.bodyLimitBytes())
          // A message may come as one frame (browsers and most clients send it so): a 64 KB frame cap
          // closed the connection on any larger frame, losing the answers still owed on it.
          .setMaxWebSocketFrameSize(http.bodyLimitBytes())
          .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS)
          // No h2c upgrade: the API is HTTP/1.1 (HTTP/2 only through TLS), and an "Upgrade: h2c" request
          // without HTTP2-Settings left the connection hanging with no answer (hostile-input test).
          .setHttp2ClearTextEnabled(false);
      if (http.tls() != null) {
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(http.tls().certPath())
            .setKeyPath(http.tls().keyPath()));
      }
      server = vertx.createHttpServer(options);
      return server.requestHandler(router).invalidRequestHandler(MalformedRequests::answer).listen().onSuccess(s -> warnOnce(http));
    });
  }

  /**
   * The producer tokens' buckets, one set for all the instances of this Vert.x (else each core would
   * grant the full rate).
   */
  private TokenRateLimits sharedLimits() {
    LocalMap<String, SharedLimits> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    shared.putIfAbsent("limits", new SharedLimits(new TokenRateLimits(TimeMeter.SYSTEM_NANOTIME)));
    return shared.get("limits").limits();
  }

  /** This instance's overload guard, its probe of the event loop's delay, and the delay's gauge. */
  private OverloadGuard overloadGuard(ArgusConfig.Http http, IngestMeters meters) {
    OverloadGuard guard = new OverloadGuard(http.maxLoopDelayMs(), http.maxPendingWrites(), publisher::pending, System::nanoTime);
    meters.loopDelay(Thread.currentThread().getName(), guard);
    probe(guard);
    return guard;
  }

  /** A one-shot timer re-armed each time: how late each one fires is a sample of the loop's delay. */
  private void probe(OverloadGuard guard) {
    guard.armed(LOOP_PROBE_MS);
    vertx.setTimer(LOOP_PROBE_MS, id -> {
      guard.fired();
      probe(guard);
    });
  }

  /** Every instance starts; only the first one warns. */
  private void warnOnce(ArgusConfig.Http http) {
    LocalMap<String, SharedLimits> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    if (shared.putIfAbsent("warned", new SharedLimits(null)) != null) return;
    StartupWarnings.of(http).forEach(w -> log.warn("SECURITY: {}", w));
    log.info("HTTP on {}://{}:{}; producer tokens {}, viewer token {}, admin token {}", http.tls() == null ? "http" : "https",
        http.host(), http.port(), http.ingestTokens().size(), http.viewerToken().isEmpty() ? "off" : "on",
        http.adminToken().isEmpty() ? "off (loopback only)" : "on");
  }

  /** A holder the local map accepts (its values must be Shareable). */
  private record SharedLimits(TokenRateLimits limits) implements Shareable {}

  /** Stop taking writes, let acknowledged-but-unanswered ones finish, flush the producer, then close. */
  @Override
  public Future<?> stop() {
    draining.set(true);
    Promise<Void> drained = Promise.promise();
    long deadline = System.currentTimeMillis() + config.http().ackTimeoutMs();
    vertx.setPeriodic(0, 20, id -> {
      if (publisher == null || publisher.pending() == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        drained.complete();
      }
    });
    return drained.future()
        .compose(v -> server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS))
        .transform(v -> publisher == null ? Future.succeededFuture() : publisher.close());
  }
}
