package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

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
    AtomicBoolean stop = new AtomicBoolean();
    Thread poster = new Thread(() -> {
      for (int i = 0; !stop.get() && i < 100_000; i++) {
        String f = "{\"camera_id\":\"dur-" + (i % 8) + "\",\"frame_id\":" + i + ",\"detections\":[]}";
        try {
          HttpResponse<String> r = first.post("/api/v1/detections", "application/json", f);
          if (r.statusCode() == 202) accepted.add(String.valueOf(i));
          else assertEquals(503, r.statusCode(), r.body());
        } catch (Exception e) {
          // connection refused once the server is gone: not accepted, nothing to check
        }
      }
    });
    poster.start();
    // Shut down mid-stream, once a good number of frames were answered 202.
    for (int i = 0; i < 300 && accepted.size() < 100; i++) Thread.sleep(100);
    first.close(); // SIGTERM path: drain, flush, commit, stop the broker
    stop.set(true);
    poster.join();
    assertTrue(accepted.size() > 50, "the poster should have had frames accepted: " + accepted.size());

    Gateway second = Gateway.start(embedded(dir, kafkaPort, controllerPort));
    try {
      List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll("127.0.0.1:" + kafkaPort,
          second.topic("detections"), 2000);
      Set<String> stored = records.stream()
          .map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getValue("frame_id").toString())
          .collect(Collectors.toSet());
      Set<String> lost = accepted.stream().filter(id -> !stored.contains(id)).collect(Collectors.toSet());
      assertEquals(Set.of(), lost, "frames answered 202 but missing after the restart");
      assertEquals(200, second.get("/health/ready").statusCode());
    } finally {
      second.close();
    }
  }
}
