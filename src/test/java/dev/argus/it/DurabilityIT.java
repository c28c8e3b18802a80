package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/** The embedded default mode: what was answered 202 survives a shutdown and a restart on the same data. */
class DurabilityIT {

  static JsonObject embedded(Path dir, int kafkaPort, int controllerPort) {
    return new JsonObject().put("kafka", new JsonObject().put("mode", "embedded")
        .put("embedded", new JsonObject().put("dataDir", dir.toString()).put("port", kafkaPort).put("controllerPort", controllerPort))
        .put("topics", new JsonObject().put("detections", new JsonObject().put("partitions", 4))));
  }

  @Test
  void nothingAnswered202IsLostAcrossAGracefulShutdownAndARestart(@TempDir Path dir) throws Exception {
    int kafkaPort = Ports.free();
    int controllerPort = Ports.free();
    Gateway first = Gateway.start(embedded(dir, kafkaPort, controllerPort));
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    // An assertion failing on the poster's thread would only end that thread: answers are checked here.
    List<String> unexpected = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread poster = new Thread(() -> {
      for (int i = 0; !stop.get() && i < 100_000; i++) {
        String f = "{\"camera_id\":\"dur-" + (i % 8) + "\",\"frame_id\":" + i + ",\"detections\":[]}";
        try {
          HttpResponse<String> r = first.post("/api/v1/detections", "application/json", f);
          if (r.statusCode() == 202) accepted.add(String.valueOf(i));
          else if (r.statusCode() != 503) unexpected.add(r.statusCode() + " " + r.body());
        } catch (Exception e) {
          // connection refused once the server is gone: not accepted, nothing to check
        }
      }
    });
    poster.start();
    // Shut down mid-stream, once a good number of frames were answered 202 (fewer within the bound fails).
    try {
      eventually(Duration.ofSeconds(60), "100 frames answered 202 before the shutdown (observed: how many)",
          accepted::size, n -> n >= 100);
    } catch (AssertionError e) {
      stop.set(true);
      poster.join();
      first.close();
      throw e;
    }
    first.close(); // SIGTERM path: drain, flush, commit, stop the broker
    stop.set(true);
    poster.join();
    assertEquals(List.of(), unexpected, "answers other than 202 or 503");

    Gateway second = Gateway.start(embedded(dir, kafkaPort, controllerPort));
    try {
      Set<String> stored = new HashSet<>();
      TestKafka.readUntil("127.0.0.1:" + kafkaPort, second.topic("detections"), Duration.ofSeconds(30), read -> {
        read.forEach(r -> stored.add(frameId(r)));
        return stored.containsAll(accepted);
      });
      Set<String> lost = accepted.stream().filter(id -> !stored.contains(id)).collect(Collectors.toSet());
      assertEquals(Set.of(), lost, "frames answered 202 but missing after the restart");
      assertEquals(200, second.get("/health/ready").statusCode());
    } finally {
      second.close();
    }
  }

  private static String frameId(ConsumerRecord<String, byte[]> r) {
    return new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getValue("frame_id").toString();
  }
}
