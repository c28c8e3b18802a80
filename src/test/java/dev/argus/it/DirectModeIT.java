package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Direct mode: no Kafka at all, stages meet on the event bus, and the gateway says it is not durable. */
class DirectModeIT {

  @Test
  void framesBecomeAssessmentsWithoutKafkaAndHealthSaysNotDurable() throws Exception {
    // No keys: the rules assessor answers, so this test needs neither Kafka nor an LLM.
    try (Gateway gw = Gateway.start(new JsonObject().put("kafka", new JsonObject().put("mode", "direct")));
         SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.assessments");
      String f = "{\"camera_id\":\"direct-1\",\"frame_id\":1,\"detections\":[{\"label\":\"fire\",\"confidence\":0.95,\"bbox\":[0,0,5,5]}]}";
      assertEquals(202, gw.post("/api/v1/detections", "application/json", f).statusCode());
      JsonObject a = PipelineIT.assessmentFor(bus, "argus.assessments", "direct-1");
      assertEquals("rules", a.getString("source"));
      assertEquals("critical", a.getString("risk_level"));
      JsonObject checks = new JsonObject(gw.get("/health/ready").body()).getJsonObject("checks");
      assertEquals("direct", checks.getJsonObject("backbone").getString("mode"));
      assertFalse(checks.getJsonObject("backbone").getBoolean("durable"));
      assertEquals("memory", checks.getJsonObject("store").getString("kind"));
      assertEquals("direct-1:1", new JsonObject(gw.get("/api/v1/cameras/direct-1").body())
          .getJsonObject("latest").getString("task_id"));
    }
  }
}
