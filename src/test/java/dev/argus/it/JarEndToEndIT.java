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
import java.util.concurrent.TimeUnit;

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
      String frame = "{\"camera_id\":\"e2e-cam\",\"frame_id\":1,\"detections\":[{\"label\":\"knife\",\"confidence\":0.9,\"bbox\":[1,1,20,20]}]}";
      ProcessBuilder node = new ProcessBuilder("node", "src/test/js/watch-eventbus.js", "http://127.0.0.1:" + http + "/eventbus",
          "argus.assessments", "e2e-cam", "60").redirectError(ProcessBuilder.Redirect.INHERIT);
      // node resolves the npm clients from webroot/node_modules (installed by the build's npm ci).
      node.environment().put("NODE_PATH", new File("webroot/node_modules").getAbsolutePath());
      Process watcher = node.start();
      Thread.sleep(1500); // let the client connect and register
      HttpResponse<String> posted = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/v1/detections"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(frame)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, posted.statusCode(), posted.body());
      assertTrue(watcher.waitFor(70, TimeUnit.SECONDS), "the SockJS watcher did not finish");
      String out = new String(watcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, watcher.exitValue(), "no assessment for e2e-cam reached the SockJS client; gateway log:\n" + tail(log));
      JsonObject assessment = new JsonObject(out);
      assertEquals("e2e-cam:1", assessment.getString("task_id"));
      assertEquals("llm", assessment.getString("source"), out);
    } finally {
      gateway.destroy(); // SIGTERM
      assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the gateway did not stop within 60 s of SIGTERM");
    }
    String output = Files.readString(log);
    assertTrue(output.contains("Argus stopped"), "no clean shutdown in the log:\n" + tail(log));
  }

  private static void waitReady(int port, Process gateway, Path log) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      assertTrue(gateway.isAlive(), "the gateway exited: \n" + tail(log));
      try {
        var r = Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    fail("the gateway was not ready within 90 s:\n" + tail(log));
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
