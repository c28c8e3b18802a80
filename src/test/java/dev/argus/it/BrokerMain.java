package dev.argus.it;

import dev.argus.backbone.EmbeddedKafkaBroker;

import java.nio.file.Path;

/**
 * A Kafka broker in a JVM of its own, for tests whose gateways are processes too: {@code java -cp
 * argus-gateway.jar:test-classes dev.argus.it.BrokerMain <dataDir> <port> <controllerPort>}. Creates
 * {@code <dataDir>/READY} once it takes clients, and stops when its standard input closes (the test ended or died).
 */
public final class BrokerMain {
  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), "YXJndXMtY2x1c3Rlci1pdA");
    broker.start();
    java.nio.file.Files.writeString(Path.of(args[0]).resolve("READY"), broker.bootstrapServers());
    while (System.in.read() >= 0) {
      // wait for the parent to close the pipe
    }
    broker.stop();
    System.exit(0);
  }
}
