package dev.argus.it;

import dev.argus.MainVerticle;
import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import dev.argus.config.EnvOverrides;
import dev.argus.metrics.MetricsSetup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A whole gateway (the real MainVerticle) on its own Vert.x, configured like an operator would. */
final class Gateway implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** No test request may hang on a connection cut by a shutdown. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  final Vertx vertx;
  final ArgusConfig config;
  final int port;
  private final MainVerticle main;

  private Gateway(Vertx vertx, ArgusConfig config, MainVerticle main) {
    this.vertx = vertx;
    this.config = config;
    this.port = config.http().port();
    this.main = main;
  }

  /** Overrides for an external-mode gateway on the shared test broker, with topics and groups of its own. */
  static JsonObject onTestKafka() {
    String p = "it" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject topics = new JsonObject();
    for (String[] t : new String[][] {{"detections", "detection-results"}, {"tasks", "assessment-tasks"},
        {"results", "risk-assessment-results"}, {"alerts", "alert-events"},
        {"modelMetrics", "model-metrics"}}) {
      topics.put(t[0], new JsonObject().put("name", p + "-" + t[1]).put("partitions", 4));
    }
    return new JsonObject().put("kafka", new JsonObject().put("mode", "external")
        .put("bootstrapServers", TestKafka.bootstrap()).put("groupPrefix", p).put("topics", topics));
  }

  static Gateway start(JsonObject overrides) throws Exception {
    JsonObject conf = ConfigLoader.defaults();
    conf.mergeIn(new JsonObject().put("http", new JsonObject().put("port", Ports.free()).put("instances", 2)), true);
    conf.mergeIn(overrides, true);
    EnvOverrides.apply(conf, Map.of());
    ArgusConfig config = ArgusConfig.from(conf);
    PrometheusMeterRegistry registry = MetricsSetup.newRegistry();
    Vertx vertx = MetricsSetup.vertxBuilder(new VertxOptions(), registry).build();
    MainVerticle main = new MainVerticle(config, registry);
    try {
      vertx.deployVerticle(main).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    return new Gateway(vertx, config, main);
  }

  String topic(String which) {
    ArgusConfig.Topics t = config.kafka().topics();
    return switch (which) {
      case "detections" -> t.detections().name();
      case "tasks" -> t.tasks().name();
      case "results" -> t.results().name();
      case "modelMetrics" -> t.modelMetrics().name();
      default -> t.alerts().name();
    };
  }

  HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) b.header("Content-Type", contentType);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(REQUEST_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    main.shutdown().transform(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
