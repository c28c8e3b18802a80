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
 * broker than 50 cameras hashed over 16 partitions). No headers (unless asked, below), no HTTP, no
 * validation: what Kafka alone does with the gateway's records.
 *
 * <p>With {@code -Dkeyed.headers=cloudevents} every record also carries the CloudEvents headers the gateway
 * writes (ce_specversion, ce_id, ce_type, ce_source, ce_time, content-type), built as the gateway builds them
 * (a ThreadLocalRandom UUID per record, ce_time formatted once per millisecond, the constant ones shared):
 * the same records as the gateway's, so the ratio to this run is what HTTP, validation and the rest of the
 * gateway cost, and the gap between the two keyed runs is what the contract's headers cost Kafka itself.
 *
 * <pre>java -cp &lt;kafka-clients&gt; bench/KeyedProducer.java bootstrap topic frames.ndjson seconds [prop=value ...]</pre>
 *
 * Prints {@code KEYED records=<acked in the window> seconds=<window> rate=<records/s> failed=<n>}
 * ({@code KEYED_CE ...} with the headers); the first three seconds (connections, metadata, the JIT) are not
 * counted.
 */
public final class KeyedProducer {
  private static final boolean CLOUDEVENTS = "cloudevents".equals(System.getProperty("keyed.headers"));
  private static final byte[] SPEC = utf8("1.0"), TYPE = utf8("dev.argus.detection"),
      SOURCE = utf8("/argus/bench/ingest"), CONTENT_TYPE = utf8("application/json");
  private static long timeMs = Long.MIN_VALUE;
  private static byte[] timeText;
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
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, keys[i], values[i]);
        if (CLOUDEVENTS) {
          record.headers().add("ce_specversion", SPEC).add("ce_id", utf8(eventId())).add("ce_type", TYPE)
              .add("ce_source", SOURCE).add("ce_time", time()).add("content-type", CONTENT_TYPE);
        }
        producer.send(record, (meta, err) -> {
          if (err == null) acked.incrementAndGet();
          else failed.incrementAndGet();
        });
      }
      producer.flush();
      double window = (System.nanoTime() - t0) / 1e9;
      long n = acked.get() - base;
      System.out.printf(java.util.Locale.ROOT, (CLOUDEVENTS ? "KEYED_CE" : "KEYED") + " records=%d seconds=%.3f rate=%.1f failed=%d%n", n, window, n / window, failed.get());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A version 4 UUID from ThreadLocalRandom, as CloudEventHeaders makes ce_id. */
  private static String eventId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    return new java.util.UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | Long.MIN_VALUE).toString();
  }

  private static byte[] time() {
    long ms = System.currentTimeMillis();
    if (ms != timeMs) {
      timeMs = ms;
      timeText = utf8(java.time.format.DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.ofEpochMilli(ms)));
    }
    return timeText;
  }
}
