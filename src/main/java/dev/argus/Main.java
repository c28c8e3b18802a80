package dev.argus;

import dev.argus.cluster.ClusterSetup;
import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigException;
import dev.argus.config.ConfigLoader;
import dev.argus.demo.DemoSetup;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.llm.KeyCheck;
import dev.argus.metrics.MetricsSetup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.argus.ops.PipelineTestCommand;
import dev.argus.replay.ReplayCommand;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar argus-gateway.jar [-conf file.json] [--demo]}: loads the configuration once (a bad
 * value stops start-up with a message naming the key), starts Vert.x with Prometheus metrics, deploys
 * the {@link MainVerticle}, and on SIGTERM shuts the pipeline down in order.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Path confFile = null;
    boolean demo = false;
    boolean verifyKeys = false;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "verify-keys" -> verifyKeys = true;
        case "pipeline-test" -> System.exit(PipelineTestCommand.run(Arrays.asList(args).subList(i + 1, args.length), System.out, System.err));
        case "replay" -> System.exit(ReplayCommand.run(Arrays.asList(args).subList(i + 1, args.length), System.out, System.err));
        case "-conf", "--conf" -> {
          if (i + 1 >= args.length) exit(2, "-conf needs a file name");
          confFile = Path.of(args[++i]);
        }
        case "--demo" -> demo = true;
        case "--cluster" -> cluster = true;
        case "-h", "--help" -> {
          System.out.println("usage: java -jar argus-gateway.jar [-conf file.json] [--demo] [--cluster]\n"
              + "       java -jar argus-gateway.jar [-conf file.json] verify-keys\n"
              + "       java -jar argus-gateway.jar pipeline-test --url http://HOST:8080 --cameras N --frames M [--timeout S]\n"
              + "       java -jar argus-gateway.jar replay --url http://HOST:8080 --from T --to T [--camera ID] [--token T]\n"
              + "Configuration keys and environment variables are listed in the README.");
          return;
        }
        default -> exit(2, "unknown argument '" + args[i] + "' (try --help)");
      }
    }
    ArgusConfig config = null;
    try {
      Map<String, String> env = new HashMap<>(System.getenv());
      if (demo) env.put("ARGUS_DEMO", "true");
      if (cluster) env.put("ARGUS_CLUSTER", "true");
      JsonObject merged = ConfigLoader.merged(confFile, env);
      config = ArgusConfig.from(merged);
      if (config.demo().enabled()) {
        // The demo cameras' zones are rules like any other: add them, then read everything again.
        DemoSetup.addZones(merged);
        config = ArgusConfig.from(merged);
      }
    } catch (ConfigException e) {
      exit(2, "configuration error: " + e.getMessage());
    }
    if (verifyKeys) {
      System.exit(verifyKeys(config));
    }
    if (config.demo().enabled() && config.llm().keys().isEmpty()) {
      config = SimulatedLlmVerticle.withDemoProvider(config);
    }
    run(config);
  }

  /** Tries every key once; exit status 0 when at least {@code llm.verifyMinUsable} keys work, else 1. */
  private static int verifyKeys(ArgusConfig config) {
    if (config.llm().keys().isEmpty()) {
      System.err.println("argus: no LLM keys configured (ARGUS_LLM_API_KEYS or ARGUS_LLM_KEYS_FILE)");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      List<KeyCheck.Result> results = KeyCheck.run(vertx, config.llm()).toCompletionStage().toCompletableFuture()
          .get(config.llm().timeoutMs() + 10_000L, TimeUnit.MILLISECONDS);
      System.out.print(KeyCheck.table(results));
      long usable = results.stream().filter(KeyCheck.Result::usable).count();
      System.out.println(usable + " of " + results.size() + " key(s) usable (need " + config.llm().verifyMinUsable() + ")");
      return usable >= config.llm().verifyMinUsable() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("argus: verify-keys failed: " + rootMessage(e));
      return 2;
    } finally {
      vertx.close();
    }
  }

  private static void run(ArgusConfig config) {
    PrometheusMeterRegistry registry = MetricsSetup.newRegistry();
    ClusterSetup.Node node = null;
    try {
      node = ClusterSetup.start(config.cluster(), registry);
    } catch (ConfigException e) {
      exit(2, "configuration error: " + e.getMessage());
    } catch (Exception e) {
      log.error("Argus could not join cluster '{}': {}", config.cluster().name(), rootMessage(e));
      System.exit(1);
    }
    Vertx vertx = node.vertx();
    MainVerticle main = new MainVerticle(config, registry, node.context());
    int port = config.http().port();
    vertx.deployVerticle(main).onSuccess(id -> {
      System.out.println("Argus is running: dashboard http://localhost:" + port + "/  metrics http://localhost:" + port + "/metrics");
    }).onFailure(err -> {
      log.error("Argus could not start: {}", rootMessage(err));
      vertx.close().onComplete(v -> System.exit(1));
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        main.shutdown().transform(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not finish cleanly: {}", rootMessage(e));
      }
    }, "argus-shutdown"));
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + c + ")";
  }

  private static void exit(int code, String message) {
    System.err.println("argus: " + message);
    System.exit(code);
  }
}
