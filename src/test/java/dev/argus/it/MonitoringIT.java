package dev.argus.it;

import dev.argus.it.browser.DemoJar;
import dev.argus.ops.PromQlNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitoring files against the real thing: the jar in demo mode scraped by Debian's Prometheus with
 * docker/prometheus/alerts.yml. Every rule must evaluate healthy, and every metric a rule or a Grafana
 * panel reads must be one the gateway exports, so a renamed metric breaks the build, not a dashboard.
 */
class MonitoringIT {
  private static final Path ALERTS = Path.of("docker/prometheus/alerts.yml").toAbsolutePath();
  private static final Path DASHBOARD = Path.of("docker/grafana/dashboards/argus.json");
  /** Made by Prometheus itself (the scrape's own series), not by the gateway. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");

  @TempDir
  static Path dir;
  private static DemoJar gateway;
  private static Process prometheus;
  private static int prometheusPort;

  @BeforeAll
  static void start() throws Exception {
    String binary = prometheusBinary();
    gateway = DemoJar.start(dir, 3);
    prometheusPort = Ports.free();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: argus
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(ALERTS, gateway.port));
    prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!ready()) {
      assertTrue(prometheus.isAlive(), "Prometheus exited:\n" + Files.readString(dir.resolve("prometheus.log")));
      assertTrue(System.currentTimeMillis() < deadline, "Prometheus was not ready within 60 s");
      Thread.sleep(300);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) prometheus.destroyForcibly();
    }
    if (gateway != null) gateway.close();
  }

  @Test
  void prometheusScrapesTheGatewayAsUp() throws Exception {
    JsonArray result = waitFor("the argus target scraped", () -> {
      JsonArray r = query("up{job=\"argus\"}");
      return r.isEmpty() ? null : r;
    });
    assertEquals("1", result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  @Test
  void everyAlertRuleEvaluatesWithHealthOk() throws Exception {
    int expected = ruleExpressions().size();
    JsonArray rules = waitFor("every rule evaluated once", () -> {
      JsonArray all = new JsonArray();
      for (Object g : api("/api/v1/rules").getJsonObject("data").getJsonArray("groups")) {
        ((JsonObject) g).getJsonArray("rules").forEach(all::add);
      }
      boolean evaluated = all.size() == expected
          && all.stream().allMatch(r -> !"unknown".equals(((JsonObject) r).getString("health")));
      return evaluated ? all : null;
    });
    for (Object o : rules) {
      JsonObject rule = (JsonObject) o;
      assertEquals("ok", rule.getString("health"), rule.getString("name") + ": " + rule.getString("lastError"));
    }
  }

  @Test
  void everyPanelExpressionRunsInPrometheus() throws Exception {
    for (Map.Entry<String, String> panel : panelExpressions().entrySet()) {
      JsonObject answer = api("/api/v1/query?query=" + URLEncoder.encode(concrete(panel.getValue()), StandardCharsets.UTF_8));
      assertEquals("success", answer.getString("status"), panel.getKey() + ": " + answer.encode());
    }
  }

  @Test
  void everyMetricNamedInARuleOrAPanelIsExportedByTheGateway() throws Exception {
    Map<String, String> readers = new LinkedHashMap<>();
    ruleExpressions().forEach((rule, expr) -> PromQlNames.of(expr).forEach(n -> readers.putIfAbsent(n, "rule " + rule)));
    panelExpressions().forEach((panel, expr) -> PromQlNames.of(expr).forEach(n -> readers.putIfAbsent(n, "panel " + panel)));
    readers.keySet().removeAll(FROM_PROMETHEUS);
    assertTrue(readers.size() >= 15, "the expressions were not parsed: " + readers);
    // Counters with labels appear with their first increment: give the demo traffic time to make them.
    Set<String> missing = new TreeSet<>(readers.keySet());
    long deadline = System.currentTimeMillis() + 60_000;
    while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
      missing.removeAll(exported());
      if (!missing.isEmpty()) Thread.sleep(1000);
    }
    assertTrue(missing.isEmpty(), "metrics read by the monitoring files but not exported by the gateway: "
        + missing.stream().map(n -> n + " (" + readers.get(n) + ")").collect(Collectors.joining(", ")));
  }

  // --- the files

  private static Map<String, String> ruleExpressions() throws IOException {
    Map<String, String> exprs = new LinkedHashMap<>();
    Map<String, Object> doc = new Yaml().load(Files.readString(ALERTS));
    for (Object g : (List<?>) doc.get("groups")) {
      for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
        Map<?, ?> rule = (Map<?, ?>) r;
        exprs.put(String.valueOf(rule.get("alert") != null ? rule.get("alert") : rule.get("record")), String.valueOf(rule.get("expr")));
      }
    }
    return exprs;
  }

  private static Map<String, String> panelExpressions() throws IOException {
    Map<String, String> exprs = new LinkedHashMap<>();
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        exprs.put(panel.getString("title") + " #" + ((JsonObject) t).getString("refId"), ((JsonObject) t).getString("expr"));
      }
    }
    return exprs;
  }

  /** Grafana's variables replaced the way Grafana would with "All" selected. */
  private static String concrete(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$job", ".*").replace("$instance", ".*");
  }

  // --- the live processes

  private static Set<String> exported() throws IOException, InterruptedException {
    Set<String> names = new TreeSet<>();
    for (String line : gateway.get("/metrics").body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
      names.add(line.substring(0, end));
    }
    return names;
  }

  private static JsonArray query(String promql) throws IOException, InterruptedException {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).getJsonObject("data").getJsonArray("result");
  }

  private static JsonObject api(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  private static boolean ready() {
    try {
      return Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException | InterruptedException notYet) {
      return false;
    }
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls {@code probe} (once a second, up to 60 s) until it answers non-null. */
  private static <T> T waitFor(String what, Probe<T> probe) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      T t = probe.get();
      if (t != null) return t;
      Thread.sleep(1000);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  private static String prometheusBinary() {
    for (String dirName : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dirName, "prometheus");
      if (f.canExecute()) return f.getPath();
    }
    throw new AssertionError("Debian's prometheus is not installed (scripts/test.sh installs it: apt-get install prometheus)");
  }
}
