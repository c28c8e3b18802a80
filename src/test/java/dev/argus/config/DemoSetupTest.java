package dev.argus.config;

import dev.argus.demo.DemoSetup;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DemoSetupTest {
  @Test
  void demoCamerasGetARestrictedZoneButConfiguredCamerasKeepTheirs() {
    JsonObject conf = ConfigLoader.merged(null, Map.of("ARGUS_DEMO", "true"));
    conf.getJsonObject("detection").put("cameras", new JsonObject().put("cam-006", new JsonObject().put("minIntervalMs", 100)));
    DemoSetup.addZones(conf);
    ArgusConfig c = ArgusConfig.from(conf);
    assertEquals("restricted", c.detection().rules().rules("cam-001").zones().get(0).name());
    assertTrue(c.detection().rules().rules("cam-001").zones().get(0).contains(1100, 600));
    assertTrue(c.detection().rules().rules("cam-002").zones().isEmpty());
    assertTrue(c.detection().rules().rules("cam-006").zones().isEmpty(), "an operator's camera entry is left alone");
  }
}
