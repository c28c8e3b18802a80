package dev.argus.it.browser;

import dev.argus.it.Eventually;
import dev.argus.it.Ports;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The fat jar started as a process in demo mode, the way an operator runs it: the embedded broker on free
 * ports with a data dir of its own, the simulated cameras and LLM provider, the in-memory store.
 */
public final class DemoJar implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;
  public final int port;

  private DemoJar(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code java -jar <argus.jar> --demo} with {@code cameras} simulated cameras and waits until it is ready. */
  public static DemoJar start(Path dir, int cameras) throws Exception {
    // The ports are found free and then given to the process: between the two, another socket (a client's
    // ephemeral port) may take one. That start fails with "Address already in use"; once more with new ports.
    try {
      return startOnce(dir, cameras);
    } catch (AssertionError e) {
      if (e.getMessage() == null || !e.getMessage().contains("Address already in use")) throw e;
      return startOnce(Files.createDirectories(dir.resolve("retry")), cameras);
    }
  }

  private static DemoJar startOnce(Path dir, int cameras) throws Exception {
    Path jar = Path.of(System.getProperty("argus.jar", "target/argus-gateway.jar"));
    if (!Files.exists(jar)) throw new IllegalStateException("build the jar first (mvn verify does): " + jar);
    int http = Ports.free();
    Path conf = dir.resolve("conf.json");
    Files.writeString(conf, new JsonObject()
        .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", dir.resolve("kafka").toString())
            .put("port", Ports.free()).put("controllerPort", Ports.free())))
        .put("demo", new JsonObject().put("cameras", cameras).put("llmPort", Ports.free()))
        .encodePrettily());
    Path log = dir.resolve("gateway.log");
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toAbsolutePath().toString(), "-conf", conf.toString(), "--demo")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("ARGUS_HTTP_PORT", String.valueOf(http));
    pb.environment().remove("ARGUS_REDIS_URL");
    pb.environment().remove("ARGUS_LLM_API_KEYS");
    pb.environment().remove("ARGUS_LLM_KEYS_FILE");
    DemoJar gw = new DemoJar(pb.start(), log, http);
    try {
      gw.waitReady(Duration.ofSeconds(90));
    } catch (Exception | AssertionError e) {
      gw.close();
      throw e;
    }
    return gw;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private void waitReady(Duration timeout) {
    try {
      Eventually.eventually(timeout, "the gateway to be ready (observed: /health/ready's status)", Eventually.unchecked(() -> {
        if (!process.isAlive()) throw new AssertionError("the gateway exited");
        return get("/health/ready").statusCode();
      }), status -> status == 200);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\ngateway log tail:\n" + tail(), e);
    }
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The last few KB of the gateway's output, for failure messages. */
  public String tail() {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the gateway drains and stops its broker
    if (!process.waitFor(45, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
