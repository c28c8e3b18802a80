import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keyed reference for bench/run.sh: a bare KafkaProducer sending the payload file's frames as fast as
 * its buffer lets it, each keyed by its camera_id as the gateway keys them (ProducerPerformance sends
 * without a key, so its sticky partitioner fills one partition's batch at a time: a different load on the
 * broker than 50 cameras hashed over 16 partitions). No headers, no HTTP, no validation: what Kafka alone
 * does with the gateway's records.
 *
 * <pre>java -cp &lt;kafka-clients&gt; bench/KeyedProducer.java bootstrap topic frames.ndjson seconds [prop=value ...]</pre>
 *
 * Prints {@code KEYED records=<acked in the window> seconds=<window> rate=<records/s> failed=<n>}; the first
 * three seconds (connections, metadata, the JIT) are not counted.
 */
public final class KeyedProducer {
  private static final Pattern CAMERA = Pattern.compile("\"camera_id\"\\s*:\\s*\"([^\"]*)\"");

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    List<String> lines = Files.readAllLines(Path.of(args[2]));
    long seconds = Long.parseLong(args[3]);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    for (int i = 4; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      props.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    String[] keys = new String[lines.size()];
    byte[][] values = new byte[lines.size()][];
    for (int i = 0; i < keys.length; i++) {
      Matcher m = CAMERA.matcher(lines.get(i));
      keys[i] = m.find() ? m.group(1) : "cam-" + i;
      values[i] = lines.get(i).getBytes(StandardCharsets.UTF_8);
    }
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      long start = System.nanoTime();
      long windowStart = start + 3_000_000_000L;
      long end = windowStart + seconds * 1_000_000_000L;
      long base = -1;
      long t0 = 0;
      for (int i = 0; ; i = (i + 1) % keys.length) {
        long now = System.nanoTime();
        if (now >= end) break;
        if (base < 0 && now >= windowStart) {
          base = acked.get();
          t0 = now;
        }
        producer.send(new ProducerRecord<>(topic, keys[i], values[i]), (meta, err) -> {
          if (err == null) acked.incrementAndGet();
          else failed.incrementAndGet();
        });
      }
      producer.flush();
      double window = (System.nanoTime() - t0) / 1e9;
      long n = acked.get() - base;
      System.out.printf(java.util.Locale.ROOT, "KEYED records=%d seconds=%.3f rate=%.1f failed=%d%n", n, window, n / window, failed.get());
    }
  }
}
