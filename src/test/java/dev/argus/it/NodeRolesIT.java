package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** An ingest-only node: takes frames into Kafka, serves health and metrics, runs no stage and no dashboard. */
class NodeRolesIT {
  static Gateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = Gateway.start(Gateway.onTestKafka().put("node", new JsonObject().put("roles", "ingest")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  @Test
  void anIngestOnlyNodeAcceptsFramesIntoKafkaAndMakesNoTasks() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      body.append("{\"camera_id\":\"roles-cam\",\"frame_id\":").append(i)
          .append(",\"detections\":[{\"label\":\"person\",\"confidence\":0.9,\"bbox\":[1,2,3,4]}]}\n");
    }
    assertEquals(202, gw.post("/api/v1/detections", "application/x-ndjson", body.toString()).statusCode());
    List<ConsumerRecord<String, byte[]>> frames = TestKafka.readUntil(TestKafka.bootstrap(), gw.topic("detections"),
        Duration.ofSeconds(30), read -> read.size() >= 10);
    assertEquals(10, frames.size());
    assertTrue(new String(frames.get(0).value(), StandardCharsets.UTF_8).startsWith("{\"camera_id\":\"roles-cam\""));
    // With a bridge these frames make a task within milliseconds; here nothing consumes them.
    assertEquals(List.of(), TestKafka.readUntil(TestKafka.bootstrap(), gw.topic("tasks"), Duration.ofSeconds(3), read -> false));
  }

  @Test
  void readinessIsUpWithoutAnLlmDispatcherOnThisNode() throws Exception {
    JsonObject ready = new JsonObject(gw.get("/health/ready").body());
    assertEquals("UP", ready.getString("status"), ready.encode());
    assertEquals("NOT_ON_THIS_NODE", ready.getJsonObject("checks").getJsonObject("llm").getString("status"));
  }

  @Test
  void healthAndMetricsAreServedButNotTheDashboardRoutes() throws Exception {
    assertEquals(200, gw.get("/health/ready").statusCode());
    assertEquals(200, gw.get("/metrics").statusCode());
    assertEquals(404, gw.get("/eventbus/info").statusCode());
    assertEquals(404, gw.get("/").statusCode());
  }
}
