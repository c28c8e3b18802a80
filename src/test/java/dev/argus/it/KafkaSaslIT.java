package dev.argus.it;

import dev.argus.backbone.EmbeddedKafkaBroker;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A broker whose client listener wants SASL/PLAIN: {@code kafka.common} must reach the admin client
 * (start-up creates the topics), the producers (ingest) and the consumers (every stage).
 */
class KafkaSaslIT {
  static final String USER = "argus";
  static final String PASSWORD = "kafka-sasl-secret-5d1e";
  static EmbeddedKafkaBroker broker;
  static int plainPort;
  static int saslPort;

  @BeforeAll
  static void startBroker() throws Exception {
    plainPort = Ports.free();
    saslPort = Ports.free();
    int controller = Ports.free();
    // A PLAINTEXT listener stays for the broker itself (and for this test's own reader); clients of the gateway use SASL.
    broker = new EmbeddedKafkaBroker(Files.createTempDirectory("argus-sasl-kafka"), plainPort, controller,
        "YXJndXMtc2FzbC0xMjM0NQ", Map.of(
            "listeners", "PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners", "PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort,
            "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
            "sasl.enabled.mechanisms", "PLAIN",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD + "\";"));
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.stop();
  }

  private static JsonObject onSasl(String password) {
    JsonObject conf = Gateway.onTestKafka();
    conf.getJsonObject("kafka").put("bootstrapServers", "127.0.0.1:" + saslPort).put("common", new JsonObject()
        .put("security.protocol", "SASL_PLAINTEXT").put("sasl.mechanism", "PLAIN")
        .put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
            + "\" password=\"" + password + "\";"));
    return conf;
  }

  @Test
  void theGatewayStartsProducesAndConsumesOverSasl() throws Exception {
    try (Gateway gw = Gateway.start(onSasl(PASSWORD))) {
      assertEquals(202, Http.post(gw.port, "/api/v1/detections", Http.frame("sasl-cam-1")).statusCode());
      List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil("127.0.0.1:" + plainPort, gw.topic("detections"),
          Duration.ofSeconds(30), rs -> rs.stream().anyMatch(r -> "sasl-cam-1".equals(r.key())));
      assertTrue(records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("sasl-cam-1")),
          "the frame is in the topic");
      // Assessed and stored: the stages' consumers and producers went through SASL too.
      eventually(Duration.ofSeconds(60), "sasl-cam-1 assessed", () -> Http.statusOf(gw.port, "/api/v1/cameras/sasl-cam-1") == 200);
    }
  }

  @Test
  void aWrongPasswordStopsStartUp() {
    assertThrows(Exception.class, () -> Gateway.start(onSasl("not-the-password")).close());
  }
}
