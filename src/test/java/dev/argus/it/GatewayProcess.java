package dev.argus.it;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;
import static dev.argus.it.Eventually.unchecked;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One fat-jar gateway process with its own configuration file and log, as an operator starts it. */
final class GatewayProcess implements AutoCloseable {
  final String name;
  final int http;
  final Path log;
  private final Process process;

  private GatewayProcess(String name, int http, Path log, Process process) {
    this.name = name;
    this.http = http;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code java -jar <jar> -conf <dir>/<name>.json [args]} with no ARGUS_* variables from the test's environment. */
  static GatewayProcess start(Path jar, Path dir, String name, JsonObject conf, String... args) throws IOException {
    int http = conf.getJsonObject("http").getInteger("port");
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, conf.encodePrettily());
    Path log = dir.resolve(name + ".log");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("java", "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "-conf", file.toString()));
    cmd.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_") || k.startsWith("ALGO_"));
    return new GatewayProcess(name, http, log, pb.start());
  }

  boolean alive() {
    return process.isAlive();
  }

  void waitReady(Duration timeout) {
    try {
      eventually(timeout, name + " to be ready (observed: /health/ready's status)", unchecked(() -> {
        assertTrue(process.isAlive(), name + " exited");
        return get("/health/ready").statusCode();
      }), status -> status == 200);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + name + " log tail:\n" + tail(), e);
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonObject getJson(String path) {
    return unchecked(() -> {
      HttpResponse<String> r = get(path);
      if (r.statusCode() != 200) throw new AssertionError(name + " GET " + path + " answered " + r.statusCode() + ": " + r.body());
      return new JsonObject(r.body());
    }).get();
  }

  int post(String path, String json) {
    return unchecked(() -> Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).get();
  }

  /** SIGKILL: no shutdown hook, no leaving the group or the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String tail() {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** SIGTERM, and waits for the orderly stop. */
  @Override
  public void close() throws Exception {
    if (!process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
