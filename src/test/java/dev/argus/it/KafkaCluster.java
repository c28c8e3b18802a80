package dev.argus.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A KRaft cluster of real broker processes on loopback, one JVM each ({@code kafka.Kafka} from the test's
 * own classpath, which holds the kafka_2.13 jars Argus embeds), so a test can SIGKILL a broker and start
 * it again on its data. Two shapes:
 * <ul>
 *   <li>{@link #combined(Path)}: one process that is broker and controller (an external single broker);</li>
 *   <li>{@link #withController(Path, int)}: a controller process (node 0) and {@code n} broker processes
 *       (nodes 1..n). The quorum lives apart from the brokers, so losing brokers leaves the controller
 *       able to shrink ISRs: what {@code min.insync.replicas} then does is what is tested.</li>
 * </ul>
 * The classpath can be replaced with {@code -Dkafka.cluster.classpath='dir/*'} (a {@code dependency:copy}
 * of kafka_2.13 and its dependencies).
 */
final class KafkaCluster implements AutoCloseable {
  private static final String CLUSTER_ID = "YXJndXMtY2x1c3Rlci10ZXN0";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final int controllerPort;
  private final boolean combined;
  /** node id → client port (brokers only). */
  private final Map<Integer, Integer> brokerPorts = new LinkedHashMap<>();
  private final Map<Integer, Process> processes = new LinkedHashMap<>();

  private KafkaCluster(Path dir, int controllerPort, boolean combined) {
    this.dir = dir;
    this.controllerPort = controllerPort;
    this.combined = combined;
  }

  /** One process, broker and controller in one (node 1). */
  static KafkaCluster combined(Path dir) throws Exception {
    KafkaCluster c = new KafkaCluster(dir, Ports.free(), true);
    c.brokerPorts.put(1, Ports.free());
    c.formatAndStartAll();
    return c;
  }

  /** A controller (node 0) and {@code brokers} brokers (nodes 1..n). */
  static KafkaCluster withController(Path dir, int brokers) throws Exception {
    KafkaCluster c = new KafkaCluster(dir, Ports.free(), false);
    for (int id = 1; id <= brokers; id++) c.brokerPorts.put(id, Ports.free());
    c.formatAndStartAll();
    return c;
  }

  String bootstrap() {
    return brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  List<Integer> brokerIds() {
    return List.copyOf(brokerPorts.keySet());
  }

  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
  }

  /** SIGKILL: no shutdown hook, no flush, no controlled leader hand-over. */
  void kill(int node) throws InterruptedException {
    Process p = processes.remove(node);
    if (p == null) return;
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "broker " + node + " did not die");
  }

  /** Starts a killed node again on its data, and waits until its listener answers. */
  void restart(int node) throws Exception {
    launch(node);
    awaitListening(node);
  }

  boolean alive(int node) {
    Process p = processes.get(node);
    return p != null && p.isAlive();
  }

  /** The brokers the controller currently counts as alive. */
  int liveBrokers() {
    try (Admin a = admin()) {
      return a.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      return 0;
    }
  }

  /** Leader node of a partition, -1 while it has none (or on an error). */
  int leaderOf(Admin admin, String topic, int partition) {
    try {
      Node leader = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
          .get(topic).partitions().get(partition).leader();
      return leader == null || leader.isEmpty() ? -1 : leader.id();
    } catch (Exception e) {
      return -1;
    }
  }

  private void formatAndStartAll() throws Exception {
    List<Integer> nodes = new ArrayList<>();
    if (!combined) nodes.add(0);
    nodes.addAll(brokerPorts.keySet());
    for (int node : nodes) format(node);
    for (int node : nodes) launch(node);
    for (int node : nodes) awaitListening(node);
    eventually(START_TIMEOUT, brokerPorts.size() + " brokers registered with the controller (logs in " + dir + ")",
        () -> {
          processes.forEach((n, p) -> assertTrue(p.isAlive(), "node " + n + " exited; see " + log(n)));
          return liveBrokers() == brokerPorts.size();
        });
  }

  private Properties properties(int node) {
    Properties p = new Properties();
    boolean broker = brokerPorts.containsKey(node);
    boolean controller = combined || node == 0;
    int voter = combined ? 1 : 0;
    p.put("process.roles", broker && controller ? "broker,controller" : broker ? "broker" : "controller");
    p.put("node.id", String.valueOf(node));
    p.put("controller.quorum.voters", voter + "@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    List<String> listeners = new ArrayList<>();
    if (broker) listeners.add("PLAINTEXT://127.0.0.1:" + brokerPorts.get(node));
    if (controller) listeners.add("CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("listeners", String.join(",", listeners));
    if (broker) {
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(node));
      p.put("inter.broker.listener.name", "PLAINTEXT");
      int rf = Math.min(3, brokerPorts.size());
      p.put("offsets.topic.replication.factor", String.valueOf(rf));
      p.put("offsets.topic.num.partitions", "8");
      p.put("transaction.state.log.replication.factor", String.valueOf(rf));
      p.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, rf)));
      p.put("transaction.state.log.num.partitions", "4");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("auto.create.topics.enable", "false");
      p.put("num.partitions", "1");
    }
    p.put("log.dirs", dir.resolve("node-" + node).toString());
    return p;
  }

  private Path propertiesFile(int node) {
    return dir.resolve("node-" + node + ".properties");
  }

  private Path log(int node) {
    return dir.resolve("node-" + node + ".log");
  }

  private void format(int node) throws Exception {
    try (Writer w = Files.newBufferedWriter(propertiesFile(node))) {
      properties(node).store(w, "KafkaCluster node " + node);
    }
    Process p = java("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", propertiesFile(node).toString(),
        "--ignore-formatted").redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile())).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
        "formatting node " + node + " failed; see " + log(node));
  }

  private void launch(int node) throws IOException {
    Process p = java("kafka.Kafka", propertiesFile(node).toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile())).start();
    processes.put(node, p);
  }

  private ProcessBuilder java(String main, String... args) {
    String classpath = System.getProperty("kafka.cluster.classpath", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small and cheap: the machine is shared; a broker here moves test traffic, not production load.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  private void awaitListening(int node) {
    int port = brokerPorts.getOrDefault(node, controllerPort);
    eventually(START_TIMEOUT, "node " + node + " listening on " + port + " (see " + log(node) + ")", () -> {
      Process p = processes.get(node);
      assertTrue(p != null && p.isAlive(), "node " + node + " exited; see " + log(node));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  @Override
  public void close() {
    for (Process p : processes.values()) p.destroyForcibly();
    for (Process p : processes.values()) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
