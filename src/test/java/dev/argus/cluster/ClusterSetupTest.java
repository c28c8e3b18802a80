package dev.argus.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.argus.config.ArgusConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClusterSetupTest {
  private static ArgusConfig.Cluster cluster(List<String> members) {
    return new ArgusConfig.Cluster(true, "plant-7", "127.0.0.1", 5801, members, 6000, 2000, 5);
  }

  @Test
  void keepsVertxsMapsAndJoinsOnlyTheListedMembersOverTcp() {
    Config c = ClusterSetup.hazelcastConfig(cluster(List.of("127.0.0.1:5801", "127.0.0.1:5802")), "127.0.0.1");
    assertEquals("plant-7", c.getClusterName());
    assertNotNull(c.getMapConfigOrNull("__vertx.nodeInfo"), "Vert.x's own maps come from ConfigUtil.loadConfig()");
    assertNotNull(c.getMultiMapConfigs().get("__vertx.subs"));
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802"), join.getTcpIpConfig().getMembers());
    assertEquals(5801, c.getNetworkConfig().getPort());
    assertFalse(c.getNetworkConfig().isPortAutoIncrement(), "a taken port must fail, not move silently");
    assertEquals(List.of("127.0.0.1"), List.copyOf(c.getNetworkConfig().getInterfaces().getInterfaces()));
  }

  @Test
  void detectsASilentMemberWithinSecondsAndLeavesOnlyOnArgusShutdown() {
    Config c = ClusterSetup.hazelcastConfig(cluster(List.of()), "127.0.0.1");
    assertEquals("5", c.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("1", c.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("false", c.getProperty("hazelcast.shutdownhook.enabled"));
    assertEquals("10", c.getProperty("hazelcast.merge.first.run.delay.seconds"), "split clusters merge within seconds");
  }

  @Test
  void withoutMembersTheNodeListsItself() {
    Config c = ClusterSetup.hazelcastConfig(cluster(List.of()), "127.0.0.1");
    assertEquals(List.of("127.0.0.1:5801"), c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }
}
