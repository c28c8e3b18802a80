package dev.argus.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigException;
import dev.argus.llm.cluster.SharedPoolConfig;
import dev.argus.metrics.MetricsSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts Vert.x for this node: standalone, or clustered on a Hazelcast member (the cluster manager of
 * the clustered event bus) that joins the configured members over TCP/IP. Multicast and Hazelcast's
 * auto-detection are off: only the listed members, with the same {@code cluster.name}, ever join.
 */
public final class ClusterSetup {
  private static final Logger log = LoggerFactory.getLogger(ClusterSetup.class);
  /** Joining waits for the listed members this long before this node forms a cluster of its own. */
  private static final long JOIN_TIMEOUT_SECONDS = 120;
  /** Hazelcast's heartbeat; a member silent for {@code cluster.memberTimeoutSeconds} is dropped. */
  static final int HEARTBEAT_SECONDS = 1;
  /** How often separate clusters of the same name look for each other to merge (Hazelcast: 300 s, then 120 s). */
  static final int MERGE_EVERY_SECONDS = 10;
  /** A join connection attempt; the default 5 s was too short on a starved machine. */
  static final int TCP_CONNECT_SECONDS = 10;

  /** A started Vert.x and what the stages need to know about the cluster. */
  public record Node(Vertx vertx, ClusterContext context) {}

  private ClusterSetup() {}

  /** Blocks until Vert.x runs (and, clustered, this node joined); a failure names what to fix. */
  public static Node start(ArgusConfig.Cluster cluster, MeterRegistry registry) throws Exception {
    if (!cluster.enabled()) {
      return new Node(MetricsSetup.vertxBuilder(new VertxOptions(), registry).build(), ClusterContext.standalone());
    }
    String ip = resolve(cluster.host());
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(cluster, ip));
    VertxOptions options = new VertxOptions();
    // The event bus's own TCP server: on the same address as the member, on a port the OS picks (advertised
    // through the cluster manager), so two nodes on one machine never collide.
    options.getEventBusOptions().setHost(ip).setPort(0);
    Vertx vertx = MetricsSetup.vertxBuilder(options, registry).withClusterManager(manager).buildClustered()
        .toCompletionStage().toCompletableFuture().get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ClusterContext context = new ClusterContext(manager.getNodeId(), Optional.of(manager.getHazelcastInstance()));
    log.info("Joined cluster '{}' as {} on {}:{} ({} member(s))", cluster.name(), context.nodeId(), ip, cluster.port(),
        manager.getNodes().size());
    return new Node(vertx, context);
  }

  /** Hazelcast binds to an address, not a name: resolve {@code cluster.host} once (a service name in compose). */
  static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("cluster.host", "cannot resolve '" + host + "'");
    }
  }

  /**
   * The member's configuration: Vert.x's defaults (its {@code __vertx.*} maps), then the cluster name, the
   * address, the TCP/IP member list, fast failure detection, and the key pool's part.
   */
  public static Config hazelcastConfig(ArgusConfig.Cluster cluster, String ip) {
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(cluster.name());
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(cluster.port()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(ip));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(TCP_CONNECT_SECONDS)
        .setMembers(cluster.members().isEmpty() ? List.of(ip + ":" + cluster.port()) : cluster.members());
    // A SIGKILLed member sends nothing more: drop it after a few silent seconds, not the default 60.
    cfg.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(HEARTBEAT_SECONDS));
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cluster.memberTimeoutSeconds()));
    // Bind to this address only (two nodes per machine on loopback, no accidental exposure).
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    // Nodes that started together may still form separate clusters (a join attempt that timed out on a
    // starved machine): each looks for the others every few seconds and merges, instead of after 5 minutes.
    cfg.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(MERGE_EVERY_SECONDS));
    cfg.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(MERGE_EVERY_SECONDS));
    // Argus leaves the cluster itself, after draining (Main's shutdown hook closes Vert.x, which leaves).
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    SharedPoolConfig.contribute(cfg);
    return cfg;
  }
}
