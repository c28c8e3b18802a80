package dev.argus.it;

import dev.argus.backbone.EmbeddedKafkaBroker;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** When the broker cannot take a write, ingest says so with 503 and Retry-After instead of hanging. */
class BackboneDownIT {

  @Test
  void aWriteTheBrokerCannotAcknowledgeGets503WithRetryAfter(@TempDir Path dir) throws Exception {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, Ports.free(), Ports.free(), "YXJndXMtZW1iZWRkZWQtMQ");
    broker.start();
    JsonObject conf = new JsonObject()
        .put("http", new JsonObject().put("ackTimeoutMs", 1500).put("retryAfterSeconds", 3))
        .put("kafka", new JsonObject().put("mode", "external").put("bootstrapServers", broker.bootstrapServers()));
    try (Gateway gw = Gateway.start(conf)) {
      String f = "{\"camera_id\":\"down-1\",\"frame_id\":1,\"detections\":[]}";
      assertEquals(202, gw.post("/api/v1/detections", "application/json", f).statusCode());
      broker.stop();
      long t0 = System.currentTimeMillis();
      HttpResponse<String> r = gw.post("/api/v1/detections", "application/json", f);
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("backbone_unavailable", new JsonObject(r.body()).getString("error"));
      assertEquals("3", r.headers().firstValue("Retry-After").orElse(null));
      assertTrue(System.currentTimeMillis() - t0 < 10_000, "the answer must not wait for Kafka's own timeouts");
      assertEquals(503, gw.get("/health/ready").statusCode());
    } finally {
      broker.stop();
    }
  }
}
