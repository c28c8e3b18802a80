package dev.argus.demo.provider;

import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderModelTest {
  @Test
  void theDefaultConfigurationKeepsTheLegacySimulator() {
    ArgusConfig c = ArgusConfig.from(ConfigLoader.defaults());
    assertTrue(ProviderModel.select(c.demo().provider()).legacy());
  }

  @Test
  void everyModelInTheDefaultConfigurationParses() {
    JsonObject provider = ArgusConfig.from(ConfigLoader.defaults()).demo().provider();
    for (String name : provider.getJsonObject("models").fieldNames()) {
      ProviderModel m = ProviderModel.select(provider.copy().put("limitModel", name));
      assertEquals(name, m.name());
    }
  }

  @Test
  void anUnknownModelNameIsRefusedWithTheKnownOnes() {
    JsonObject provider = new JsonObject().put("limitModel", "nope").put("models", new JsonObject().put("a", new JsonObject()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProviderModel.select(provider));
    assertTrue(e.getMessage().contains("[a]"), e.getMessage());
  }
}
