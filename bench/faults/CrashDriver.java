import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crash fault test's driver (issue 9 points 1 and 7), run as a single-file program on the fat
 * jar's classpath (crash.sh compiles it first: a source launch is slow on a busy machine).
 *
 * <ul>
 *   <li>{@code load <httpPort> <cameras> <framesPerSecond> <seconds> <acceptedFile> [quietAfterSeconds]}:
 *   (with quietAfterSeconds, the first half of the cameras falls quiet after that long) posts NDJSON
 *   batches of frames with a fire in every one, round-robin over the cameras, at a fixed rate; every
 *   frame of a batch answered 202 is written to the accepted file ({@code camera frame}). Failed
 *   requests (the gateway killed) are counted and not retried.</li>
 *   <li>{@code check <bootstrap> <topic> <redisPort> <acceptedFile> <cameraPrefix> <waitSeconds> <restartedAtMs>}:
 *   reads the whole detections topic, compares it with the accepted frames, waits until waitSeconds
 *   after the restart for every camera's newest durable frame to be assessed (its {@code argus:seen:<task>} key), and
 *   counts tasks stored twice (a task id twice in a camera's history stream).</li>
 * </ul>
 */
public class CrashDriver {
  private static final int BATCH = 50;

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "load" -> load(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Path.of(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : Integer.MAX_VALUE);
      case "check" -> check(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]), args[5], Integer.parseInt(args[6]),
          Long.parseLong(args[7]));
      default -> throw new IllegalArgumentException("mode: load | check");
    }
  }

  static String camera(int i) {
    return String.format("crash-%03d", i);
  }

  static void load(int port, int cameras, int rate, int seconds, Path acceptedFile, int quietAfterSeconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/detections");
    Semaphore window = new Semaphore(64);
    ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long[] next = new long[cameras];
    int cam = 0;
    long start = System.nanoTime();
    System.out.println("load started");
    long batches = (long) rate * seconds / BATCH;
    double perBatchNs = 1e9 * BATCH / rate;
    for (long b = 0; b < batches; b++) {
      long due = start + (long) (b * perBatchNs);
      long wait = due - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      StringBuilder body = new StringBuilder();
      List<String> frames = new ArrayList<>(BATCH);
      boolean halfQuiet = (System.nanoTime() - start) / 1_000_000_000L >= quietAfterSeconds;
      for (int i = 0; i < BATCH; i++) {
        if (halfQuiet && cam < cameras / 2) cam = cameras / 2; // the quiet half sends nothing more
        String c = camera(cam + 1);
        long f = ++next[cam];
        cam = (cam + 1) % cameras;
        body.append("{\"camera_id\":\"").append(c).append("\",\"frame_id\":").append(f)
            .append(",\"detections\":[{\"label\":\"fire\",\"confidence\":0.9,\"bbox\":[10,10,60,60]},")
            .append("{\"label\":\"person\",\"confidence\":0.8,\"bbox\":[100,100,140,220]}]}\n");
        frames.add(c + " " + f);
      }
      if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
        failed.addAndGet(BATCH);
        continue;
      }
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
      http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
        window.release();
        if (err != null) {
          if (failed.getAndAdd(BATCH) == 0) System.out.println("first failure: " + err);
        }
        else if (r.statusCode() == 202) {
          ok.addAndGet(BATCH);
          accepted.addAll(frames);
        } else refused.addAndGet(BATCH);
      });
      if (b % (rate / BATCH * 5L) == 0) {
        System.out.printf("load t=%.0fs 202=%d refused=%d failed=%d%n", (System.nanoTime() - start) / 1e9, ok.get(), refused.get(), failed.get());
      }
    }
    window.tryAcquire(64, 15, TimeUnit.SECONDS);
    double took = (System.nanoTime() - start) / 1e9;
    Files.write(acceptedFile, accepted);
    System.out.printf("load done in %.1f s: offered=%d (%.0f frames/s) 202=%d refused=%d failed=%d%n",
        took, batches * BATCH, batches * BATCH / took, ok.get(), refused.get(), failed.get());
  }

  static void check(String bootstrap, String topic, int redisPort, Path acceptedFile, String prefix, int waitSeconds,
                    long restartedAtMs) throws Exception {
    Set<String> accepted = new HashSet<>(Files.readAllLines(acceptedFile));
    Set<String> inTopic = new HashSet<>();
    Map<String, long[]> newest = new HashMap<>(); // camera -> {offset, frame}
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    Pattern frameId = Pattern.compile("\"frame_id\":\"?(\\d+)");
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
          if (r.key() == null || !r.key().startsWith(prefix)) continue;
          Matcher m = frameId.matcher(new String(r.value(), StandardCharsets.UTF_8));
          if (!m.find()) continue;
          long f = Long.parseLong(m.group(1));
          inTopic.add(r.key() + " " + f);
          long[] n = newest.get(r.key());
          if (n == null || r.offset() > n[0]) newest.put(r.key(), new long[] {r.offset(), f});
        }
      }
    }
    long missing = accepted.stream().filter(a -> !inTopic.contains(a)).count();
    System.out.printf("frames answered 202: %d; in %s: %d; answered 202 but missing: %d%n", accepted.size(), topic, inTopic.size(), missing);
    try (Redis redis = new Redis(redisPort)) {
      long t0 = restartedAtMs;
      int assessed = 0;
      long waited = 0;
      List<String> notYet = new ArrayList<>();
      while (true) {
        assessed = 0;
        notYet.clear();
        for (Map.Entry<String, long[]> e : newest.entrySet()) {
          if ((Long) redis.call("EXISTS", "argus:seen:" + e.getKey() + ":" + e.getValue()[1]) == 1) assessed++;
          else notYet.add(e.getKey() + ":" + e.getValue()[1]);
        }
        waited = (System.currentTimeMillis() - t0) / 1000;
        System.out.printf("%d s after the restart: %d of %d cameras' newest durable frame assessed%n", waited, assessed, newest.size());
        if (assessed == newest.size() || waited >= waitSeconds) break;
        Thread.sleep(5000);
      }
      if (!notYet.isEmpty()) System.out.println("not assessed (first 10): " + notYet.subList(0, Math.min(10, notYet.size())));
      long stored = 0;
      long twice = 0;
      for (String camera : newest.keySet()) {
        Map<String, Integer> ids = new HashMap<>();
        for (Object entry : (List<?>) redis.call("XRANGE", "argus:camera:" + camera + ":history", "-", "+")) {
          List<?> fields = (List<?>) ((List<?>) entry).get(1);
          for (int i = 0; i + 1 < fields.size(); i += 2) {
            if ("task_id".equals(fields.get(i))) ids.merge((String) fields.get(i + 1), 1, Integer::sum);
          }
        }
        stored += ids.values().stream().mapToInt(Integer::intValue).sum();
        twice += ids.values().stream().filter(n -> n > 1).count();
      }
      long seen = 0;
      String cursor = "0";
      do {
        List<?> r = (List<?>) redis.call("SCAN", cursor, "MATCH", "argus:seen:" + prefix + "*", "COUNT", "1000");
        cursor = (String) r.get(0);
        seen += ((List<?>) r.get(1)).size();
      } while (!"0".equals(cursor));
      System.out.printf("RESULT accepted=%d in_topic=%d missing=%d cameras=%d newest_assessed=%d after_s=%d history_entries=%d argus_seen_keys=%d tasks_stored_twice=%d%n",
          accepted.size(), inTopic.size(), missing, newest.size(), assessed, waited, stored, seen, twice);
    }
  }

  /** Just enough RESP2 for EXISTS, XRANGE and SCAN. */
  static final class Redis implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Redis(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    Object call(String... args) throws IOException {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read();
    }

    private Object read() throws IOException {
      int type = in.read();
      String line = line();
      switch (type) {
        case '+': return line;
        case '-': throw new IOException("redis: " + line);
        case ':': return Long.parseLong(line);
        case '$': {
          int n = Integer.parseInt(line);
          if (n < 0) return null;
          byte[] data = in.readNBytes(n);
          in.readNBytes(2);
          return new String(data, StandardCharsets.UTF_8);
        }
        case '*': {
          int n = Integer.parseInt(line);
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < n; i++) items.add(read());
          return items;
        }
        default: throw new IOException("redis: unexpected reply type " + (char) type);
      }
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\r') b.append((char) c);
      in.read();
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
