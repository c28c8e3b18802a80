package dev.argus.it;

import dev.argus.backbone.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** One embedded broker for every integration test of the JVM (the real one Argus embeds). */
final class TestKafka {
  private static EmbeddedKafkaBroker broker;

  private TestKafka() {}

  static synchronized String bootstrap() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("argus-it-kafka");
        broker = new EmbeddedKafkaBroker(dir, Ports.free(), Ports.free(), "YXJndXMtZW1iZWRkZWQtMQ");
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return broker.bootstrapServers();
  }

  /**
   * The records of a topic, read from the beginning until {@code done} holds for what was read so far, or
   * {@code timeout} passes (then the caller's assertions say what is missing). Records of one partition
   * come in their order, so a marker record proves every earlier record of its key was read.
   */
  static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic, Duration timeout,
                                                        Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(out) && System.nanoTime() - deadline < 0) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
