package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;
import static dev.argus.it.Eventually.unchecked;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The fat jar as an operator runs it: a process in demo mode on the embedded broker, fed over HTTP,
 * watched through /eventbus by the real SockJS and event-bus clients from npm (run by node), then
 * stopped with SIGTERM.
 */
class JarEndToEndIT {

  @Test
  void theJarTurnsAPostedFrameIntoAnLlmAssessmentSeenBySockJsAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("argus.jar", "target/argus-gateway.jar"));
    assertTrue(Files.exists(jar), "build the jar first (mvn verify does): " + jar);
    assertTrue(new File("webroot/node_modules/sockjs-client").isDirectory(), "webroot/node_modules is missing: run the build (npm ci)");
    int http = Ports.free();
    Path conf = dir.resolve("conf.json");
    Files.writeString(conf, new JsonObject()
        .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", dir.resolve("kafka").toString())
            .put("port", Ports.free()).put("controllerPort", Ports.free())))
        .put("demo", new JsonObject().put("cameras", 3).put("llmPort", Ports.free()).put("llmKeys", 2)).encode());
    Path log = dir.resolve("gateway.log");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString(), "-conf", conf.toString(), "--demo")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("ARGUS_HTTP_PORT", String.valueOf(http));
    pb.environment().remove("ARGUS_REDIS_URL");
    Process gateway = pb.start();
    try {
      waitReady(http, gateway, log);
      ProcessBuilder node = new ProcessBuilder("node", "src/test/js/watch-eventbus.js", "http://127.0.0.1:" + http + "/eventbus",
          "argus.assessments", "e2e-cam", "60").redirectError(ProcessBuilder.Redirect.INHERIT);
      // node resolves the npm clients from webroot/node_modules (installed by the build's npm ci).
      node.environment().put("NODE_PATH", new File("webroot/node_modules").getAbsolutePath());
      Process watcher = node.start();
      // The bridge never acknowledges a registration, and this client is another process: frames for the
      // camera are posted until the watcher has one back, so none is lost to a registration still in flight.
      int[] posted = {0};
      long[] lastPost = {0};
      eventually(Duration.ofSeconds(70), "the SockJS watcher to finish (observed: frames posted)", () -> {
        if (watcher.isAlive() && System.nanoTime() - lastPost[0] > TimeUnit.SECONDS.toNanos(2)) {
          lastPost[0] = System.nanoTime();
          posted[0]++;
          assertEquals(202, postFrame(http, frame(posted[0])), "frame " + posted[0] + " refused");
        }
        return posted[0];
      }, n -> !watcher.isAlive());
      assertTrue(watcher.waitFor(70, TimeUnit.SECONDS), "the SockJS watcher did not finish");
      String out = new String(watcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, watcher.exitValue(), "no assessment for e2e-cam reached the SockJS client; gateway log:\n" + tail(log));
      JsonObject assessment = new JsonObject(out);
      assertTrue(assessment.getString("task_id").matches("e2e-cam:[1-9][0-9]*"), out);
      assertEquals("llm", assessment.getString("source"), out);
    } finally {
      gateway.destroy(); // SIGTERM
      assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the gateway did not stop within 60 s of SIGTERM");
    }
    String output = Files.readString(log);
    assertTrue(output.contains("Argus stopped"), "no clean shutdown in the log:\n" + tail(log));
  }

  private static void waitReady(int port, Process gateway, Path log) {
    try {
      eventually(Duration.ofSeconds(90), "the gateway to be ready (observed: /health/ready's status)", unchecked(() -> {
        assertTrue(gateway.isAlive(), "the gateway exited");
        return Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
      }), status -> status == 200);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\ngateway log tail:\n" + tail(log), e);
    }
  }

  private static String frame(int id) {
    return "{\"camera_id\":\"e2e-cam\",\"frame_id\":" + id
        + ",\"detections\":[{\"label\":\"knife\",\"confidence\":0.9,\"bbox\":[1,1,20,20]}]}";
  }

  private static int postFrame(int port, String frame) {
    return unchecked(() -> Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/detections"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(frame)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).get();
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 4000));
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }
}
