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

  /** Every record of a topic, read from the beginning until {@code quietMs} pass with nothing new. */
  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, long quietMs) {
    Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long quietSince = System.currentTimeMillis();
      long giveUp = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() - quietSince < quietMs && System.currentTimeMillis() < giveUp) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) quietSince = System.currentTimeMillis();
        records.forEach(out::add);
      }
    }
    return out;
  }
}
