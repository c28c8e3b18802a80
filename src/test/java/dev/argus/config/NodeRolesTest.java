package dev.argus.config;

import dev.argus.config.NodeRoles.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class NodeRolesTest {

  private static ArgusConfig withEnv(Map<String, String> env) {
    JsonObject conf = ConfigLoader.defaults();
    EnvOverrides.apply(conf, env);
    return ArgusConfig.from(conf);
  }

  @Test
  void byDefaultANodeHasEveryRole() {
    assertEquals(EnumSet.allOf(Role.class), withEnv(Map.of()).node().roles());
  }

  @Test
  void argusRolesPicksTheRolesCaseAndSpacesIgnored() {
    assertEquals(EnumSet.of(Role.INGEST, Role.DASHBOARD), withEnv(Map.of("ARGUS_ROLES", " Ingest, dashboard ")).node().roles());
  }

  @Test
  void anUnknownRoleIsAConfigurationErrorNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> withEnv(Map.of("ARGUS_ROLES", "ingest,bridgee")));
    assertTrue(e.getMessage().startsWith("node.roles: unknown role 'bridgee'"), e.getMessage());
  }

  @Test
  void aJsonArrayIsAcceptedToo() {
    JsonObject conf = ConfigLoader.defaults();
    conf.put("node", new JsonObject().put("roles", new JsonArray().add("llm")));
    assertEquals(EnumSet.of(Role.LLM), ArgusConfig.from(conf).node().roles());
  }
}
