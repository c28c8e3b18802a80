package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@code http.metricsPublic=false}: with a viewer token set, scrapers must present it too. */
class PrivateMetricsIT {
  @Test
  void privateMetricsNeedTheViewerToken() throws Exception {
    try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("http", new JsonObject()
        .put("viewerToken", "metrics-viewer-1").put("metricsPublic", false)))) {
      assertEquals(401, Http.get(gw.port, "/metrics").statusCode());
      assertEquals(200, Http.get(gw.port, "/metrics", "Authorization", "Bearer metrics-viewer-1").statusCode());
      assertEquals(200, Http.get(gw.port, "/health").statusCode(), "probes stay open");
    }
  }
}
