package dev.argus.it;

import dev.argus.model.EventTypes;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 12 point 1 on the real broker: what Argus writes reads back as CloudEvents with the SDK. */
class CloudEventsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static CloudEvent event(ConsumerRecord<String, byte[]> r) {
    MessageReader reader = KafkaMessageFactory.createReader(r);
    return reader.toEvent();
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void detectionsTasksResultsAndAlertsCarryBinaryModeCloudEventsHeaders() throws Exception {
    try (Gateway gw = Gateway.start(Gateway.onTestKafka()
        .put("detection", new JsonObject().put("minIntervalMs", 0).put("maxIntervalMs", 0)))) {
      String frame = "{\"camera_id\":\"ce-1\",\"frame_id\":1,\"detections\":"
          + "[{\"label\":\"fire\",\"confidence\":0.95,\"bbox\":[0,0,10,10]}]}";
      assertEquals(202, gw.post("/api/v1/detections", "application/json", frame).statusCode());
      String bootstrap = gw.config.kafka().effectiveBootstrap();

      ConsumerRecord<String, byte[]> detection = TestKafka.readUntil(bootstrap, gw.topic("detections"), WAIT, l -> !l.isEmpty()).get(0);
      CloudEvent d = event(detection);
      assertEquals("1.0", d.getSpecVersion().toString());
      assertEquals(EventTypes.DETECTION, d.getType());
      assertTrue(d.getSource().toString().matches("/argus/[^/]+/ingest"), d.getSource().toString());
      assertNotNull(d.getTime());
      assertEquals("application/json", d.getDataContentType());
      assertEquals("ce-1", new JsonObject(new String(d.getData().toBytes(), StandardCharsets.UTF_8)).getString("camera_id"),
          "the body is the data, unchanged");

      ConsumerRecord<String, byte[]> task = TestKafka.readUntil(bootstrap, gw.topic("tasks"), WAIT, l -> !l.isEmpty()).get(0);
      CloudEvent t = event(task);
      assertEquals(EventTypes.TASK, t.getType());
      assertEquals(new JsonObject(new String(task.value(), StandardCharsets.UTF_8)).getString("task_id"), t.getId(),
          "a task's event id is its task id");
      assertTrue(t.getSource().toString().endsWith("/bridge"));

      ConsumerRecord<String, byte[]> result = TestKafka.readUntil(bootstrap, gw.topic("results"), WAIT, l -> !l.isEmpty()).get(0);
      assertEquals(EventTypes.ASSESSMENT, event(result).getType());
      assertEquals(t.getId(), event(result).getId(), "a result's event id is its task id");

      List<ConsumerRecord<String, byte[]>> alerts = TestKafka.readUntil(bootstrap, gw.topic("alerts"), WAIT, l -> !l.isEmpty());
      CloudEvent a = event(alerts.get(0));
      JsonObject alert = new JsonObject(new String(alerts.get(0).value(), StandardCharsets.UTF_8));
      assertEquals(EventTypes.ALERT, a.getType());
      assertEquals(alert.getString("alert_id") + ":" + alert.getString("status") + ":" + alert.getInteger("count"), a.getId());
      assertEquals("application/json", header(alerts.get(0), "content-type"));

      String metrics = gw.get("/metrics").body();
      assertTrue(metrics.contains("kafka_events_published_total{event_type=\"dev.argus.alert\",topic=\"" + gw.topic("alerts") + "\"}"));
    }
  }
}
