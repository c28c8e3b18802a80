package dev.argus.backbone;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A single-node KRaft Apache Kafka broker in this JVM (broker and controller combined), so the default
 * mode needs nothing else installed. Its data survive a restart on the same directory. All methods
 * block: call them off the event loop.
 */
public final class EmbeddedKafkaBroker {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final String clusterId;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;

  public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, String clusterId) {
    this(dataDir, port, controllerPort, clusterId, Map.of());
  }

  /** @param overrides broker properties set over the defaults (tests use this for a SASL listener) */
  public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, String clusterId, Map<String, String> overrides) {
    this.dataDir = dataDir.toAbsolutePath();
    this.port = port;
    this.controllerPort = controllerPort;
    this.clusterId = clusterId;
    this.overrides = Map.copyOf(overrides);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public synchronized void start() {
    if (server != null) return;
    // A fatal broker error would otherwise halt the whole gateway (or test) JVM.
    Exit.setHaltProcedure((status, message) -> {
      throw new IllegalStateException("embedded Kafka broker halted (" + status + "): " + message);
    });
    Exit.setExitProcedure((status, message) -> {
      throw new IllegalStateException("embedded Kafka broker exited (" + status + "): " + message);
    });
    requireFree(port, "kafka.embedded.port");
    requireFree(controllerPort, "kafka.embedded.controllerPort");
    try {
      Files.createDirectories(dataDir);
      Properties props = properties();
      format(props);
      KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      s.startup();
      server = s;
      log.info("Embedded Kafka broker ready on {} (data in {})", bootstrapServers(), dataDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** The broker fails obscurely on a taken port (it halts); say which setting to change instead. */
  private static void requireFree(int port, String key) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException(key + " " + port + " is already in use (another Kafka or Argus running?); "
          + "stop it or choose another port");
    }
  }

  public synchronized void stop() {
    if (server == null) return;
    server.shutdown();
    server.awaitShutdown();
    server = null;
    log.info("Embedded Kafka broker stopped");
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("metadata.log.dir", dataDir.resolve("meta").toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "8");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created by the gateway with their configured partition counts, never by accident.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.putAll(overrides);
    return p;
  }

  private void format(Properties props) throws IOException {
    Path file = dataDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(file)) {
      props.store(w, "written by Argus for the storage format step");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", file.toString(),
        "--ignore-formatted"}, new PrintStream(out, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("formatting " + dataDir + " failed: " + out.toString(StandardCharsets.UTF_8).trim());
    }
  }
}
